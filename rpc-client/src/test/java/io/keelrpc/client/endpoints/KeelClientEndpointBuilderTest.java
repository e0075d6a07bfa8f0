package io.keelrpc.client.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.client.EndpointSource;
import io.keelrpc.client.EndpointStatus;
import io.keelrpc.client.KeelClient;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How endpoints are given to the builder, and what it refuses. */
class KeelClientEndpointBuilderTest {
  private static final InetSocketAddress ONE = InetSocketAddress.createUnresolved("one", 7001);
  private static final InetSocketAddress TWO = InetSocketAddress.createUnresolved("two", 7002);

  @Test
  void repeatedEndpointCallsAddEndpointsInOrder() {
    try (KeelClient client = KeelClient.builder().endpoint("one", 7001).endpoint("two", 7002)
        .build()) {
      assertThat(client.endpoints()).containsExactly(
          new EndpointStatus(ONE, true, false, 0, 0), new EndpointStatus(TWO, true, false, 0, 0));
    }
  }

  @Test
  void endpointsAddsAListAfterEndpointsGivenBefore() {
    InetSocketAddress three = new InetSocketAddress("127.0.0.1", 7003);
    try (KeelClient client = KeelClient.builder().endpoint("one", 7001)
        .endpoints(List.of(TWO, three)).build()) {
      assertThat(client.endpoints()).extracting(EndpointStatus::address)
          .containsExactly(ONE, TWO, three);
    }
  }

  @Test
  void anEndpointGivenTwiceIsRefused() {
    KeelClient.Builder b = KeelClient.builder().endpoint("one", 7001);

    assertThatThrownBy(() -> b.endpoint("one", 7001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint: one:7001 added twice (expected: distinct endpoints)");
    assertThatThrownBy(() -> b.endpoints(List.of(TWO, ONE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint: one:7001 added twice (expected: distinct endpoints)");
  }

  @Test
  void badListsAreRefusedWithTheirValue() {
    KeelClient.Builder b = KeelClient.builder();

    assertThatThrownBy(() -> b.endpoints(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoints: [] (expected: at least one)");
    assertThatThrownBy(() -> b.endpoints(List.of(new InetSocketAddress("127.0.0.1", 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: 0 (expected: 1..65535)");
    assertThatThrownBy(() -> b.endpoints(Arrays.asList(ONE, null)))
        .isInstanceOf(NullPointerException.class).hasMessage("endpoint");
    assertThatThrownBy(() -> b.endpoints(null))
        .isInstanceOf(NullPointerException.class).hasMessage("endpoints");
    assertThatThrownBy(() -> b.endpointSource(null))
        .isInstanceOf(NullPointerException.class).hasMessage("source");
    assertThatThrownBy(() -> b.reconnectBackoff(null))
        .isInstanceOf(NullPointerException.class).hasMessage("policy");
  }

  @Test
  void aRefusedListAddsNothing() {
    KeelClient.Builder b = KeelClient.builder();
    assertThatThrownBy(() -> b.endpoints(Arrays.asList(ONE, null)))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.endpoints(List.of(TWO, ONE, TWO)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint: two:7002 added twice (expected: distinct endpoints)");

    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
        .hasMessage("endpoint: not set (expected: endpoint(host, port))");
  }

  @Test
  void anEndpointSourceExcludesStaticEndpoints() {
    EndpointSource source = EndpointSource.of(List.of(ONE));

    assertThatThrownBy(() -> KeelClient.builder().endpoint("one", 7001).endpointSource(source))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("endpointSource: endpoints are set already (expected: one endpointSource, "
            + "or endpoints)");
    assertThatThrownBy(() -> KeelClient.builder().endpointSource(source).endpoints(List.of(TWO)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("endpoint: an endpointSource is set (expected: one or the other)");
  }

  @Test
  void theClientSubscribesToItsSourceWhenBuiltAndUnsubscribesWhenClosed() {
    AtomicInteger subscribed = new AtomicInteger();
    AtomicInteger unsubscribed = new AtomicInteger();
    EndpointSource source = listener -> {
      subscribed.incrementAndGet();
      listener.accept(List.of(TWO, ONE));
      return unsubscribed::incrementAndGet;
    };

    KeelClient client = KeelClient.builder().endpointSource(source).build();
    assertThat(subscribed).hasValue(1);
    assertThat(client.endpoints()).extracting(EndpointStatus::address).containsExactly(TWO, ONE);
    client.close();
    client.close();

    assertThat(unsubscribed).hasValue(1);
  }

  @Test
  void theStaticSourceValidatesAndCopiesItsList() {
    assertThatThrownBy(() -> EndpointSource.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoints: [] (expected: at least one)");
    assertThatThrownBy(() -> EndpointSource.of(List.of(ONE, ONE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoints: " + ONE + " twice (expected: distinct)");
    assertThatThrownBy(() -> EndpointSource.of(List.of(new InetSocketAddress("127.0.0.1", 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: 0 (expected: 1..65535)");

    List<InetSocketAddress> mutable = new ArrayList<>(List.of(ONE));
    EndpointSource source = EndpointSource.of(mutable);
    mutable.add(TWO);
    List<List<InetSocketAddress>> seen = new ArrayList<>();
    source.subscribe(seen::add).close();
    assertThat(seen).containsExactly(List.of(ONE));
  }
}
