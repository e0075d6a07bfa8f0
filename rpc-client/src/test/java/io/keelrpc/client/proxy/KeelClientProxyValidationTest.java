package io.keelrpc.client.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.service.KeelMethod;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code proxy} refuses what it cannot map, naming the interface and the method (the server's
 * {@code export} shares the rules and tests each of them).
 */
class KeelClientProxyValidationTest {
  interface Overloaded {
    int get(String sku);

    int get(int index);
  }

  interface Renamed {
    int get(String sku);

    @KeelMethod("getByIndex")
    int get(int index);
  }

  interface Inherited extends Renamed {
    @KeelMethod("other")
    void more();
  }

  private final RecordingClient recording =
      new RecordingClient(call -> CompletableFuture.completedFuture(7));
  private final KeelClient client = recording.client();

  @Test
  void classIsNotAnInterface() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> client.proxy(Catalog.class))
        .withMessage("type: io.keelrpc.client.proxy.Catalog (expected: an interface)");
  }

  @Test
  void overloadsMappingToOneNameAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> client.proxy(Overloaded.class))
        .withMessageContaining("Overloaded.get(String)")
        .withMessageContaining("Overloaded.get(int)")
        .withMessageContaining("both map to \"get\"");
  }

  @Test
  void overloadsWithDistinctNamesAreCalledByTheirNames() {
    Renamed renamed = client.proxy(Renamed.class);

    assertThat(renamed.get("a")).isEqualTo(7);
    assertThat(renamed.get(1)).isEqualTo(7);
    assertThat(recording.calls()).extracting(c -> c.method().name())
        .containsExactly("get", "getByIndex");
  }

  @Test
  void inheritedMethodsAreRemoteToo() {
    Inherited inherited = client.proxy(Inherited.class);

    inherited.more();
    inherited.get(3);

    assertThat(recording.calls()).extracting(c -> c.method().name())
        .containsExactly("other", "getByIndex");
  }

  @Test
  void nullArgumentsAreRefused() {
    assertThatNullPointerException().isThrownBy(() -> client.proxy(null)).withMessage("type");
    assertThatNullPointerException()
        .isThrownBy(() -> client.proxy(Renamed.class, (CallOptions) null)).withMessage("options");
  }
}
