package io.keelrpc.client.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.ApplicationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What a proxy does locally: Object methods and default methods, without sending anything. */
class KeelClientProxyObjectMethodsTest {
  /** Package-private, so its default method needs a private lookup to run. */
  interface Greeter {
    String name();

    default String greet() {
      return "hello " + name();
    }
  }

  private final RecordingClient recording = new RecordingClient(call ->
      call.method().name().equals("name") ? CompletableFuture.completedFuture("keel")
          : CompletableFuture.failedFuture(
              new ApplicationException(CatalogApi.NOT_FOUND, "no such item")));

  @Test
  void toStringNamesTheInterface() {
    CatalogApi catalog = recording.client().proxy(CatalogApi.class);

    assertThat(catalog.toString()).isEqualTo("KeelProxy[io.keelrpc.client.proxy.CatalogApi]");
    assertThat(recording.calls()).isEmpty();
  }

  @Test
  void equalsAndHashCodeAreIdentity() {
    CatalogApi one = recording.client().proxy(CatalogApi.class);
    CatalogApi other = recording.client().proxy(CatalogApi.class);

    assertThat(one).isEqualTo(one).isNotEqualTo(other);
    assertThat(one.equals(null)).isFalse();
    assertThat(one.hashCode()).isEqualTo(System.identityHashCode(one));
    assertThat(recording.calls()).isEmpty();
  }

  @Test
  void defaultMethodOfAPublicInterfaceRunsLocally() {
    CatalogApi catalog = recording.client().proxy(CatalogApi.class);

    assertThat(catalog.getOrNull("a")).isNull();
    assertThat(recording.onlyCall().method().name()).isEqualTo("catalog.get");
  }

  @Test
  void defaultMethodOfAPackagePrivateInterfaceRunsLocally() {
    Greeter greeter = recording.client().proxy(Greeter.class);

    assertThat(greeter.greet()).isEqualTo("hello keel");
    assertThat(recording.onlyCall().method().name()).isEqualTo("name");
  }
}
