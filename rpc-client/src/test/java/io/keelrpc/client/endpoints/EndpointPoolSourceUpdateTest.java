package io.keelrpc.client.endpoints;

import static io.keelrpc.client.endpoints.PoolFixture.A;
import static io.keelrpc.client.endpoints.PoolFixture.B;
import static io.keelrpc.client.endpoints.PoolFixture.C;
import static io.keelrpc.client.endpoints.PoolFixture.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.EndpointSource;
import io.keelrpc.client.EndpointStatus;
import io.keelrpc.client.endpoints.FakeTransport.Link;
import io.keelrpc.core.TransportException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** An {@link EndpointSource} that changes its list: added endpoints are used, removed ones drained. */
class EndpointPoolSourceUpdateTest {
  private final AtomicReference<Consumer<? super List<InetSocketAddress>>> listener =
      new AtomicReference<>();
  private final AtomicBoolean unsubscribed = new AtomicBoolean();
  private final EndpointSource source = l -> {
    listener.set(l);
    l.accept(List.of(A, B));
    return () -> unsubscribed.set(true);
  };
  private final PoolFixture f = new PoolFixture(PoolFixture.RECONNECT, source);

  private void deliver(InetSocketAddress... endpoints) {
    listener.get().accept(List.of(endpoints));
  }

  @Test
  void anAddedEndpointIsUsedAndKeptEndpointsKeepTheirConnection() {
    Link[] links = f.connectAll();

    deliver(A, B, C);

    assertThat(f.pool.status()).extracting(EndpointStatus::address).containsExactly(A, B, C);
    assertThat(f.pool.status()).extracting(EndpointStatus::connected)
        .containsExactly(true, true, false);
    assertThat(f.draws(0.0, 0.0).acquire(null)).isSameAs(links[0]);
    assertThat(f.draws(0.9, 0.0).acquire(null).address).isEqualTo(C);
    assertThat(f.transport.opens(A)).isOne();
  }

  @Test
  void aRemovedEndpointGetsNoNewCallsAndItsIdleLinkIsClosed() {
    Link[] links = f.connectAll();

    deliver(B);

    assertThat(f.pool.status()).extracting(EndpointStatus::address).containsExactly(B);
    assertThat(f.transport.closedByPool()).containsExactly(links[0]);
    for (double u = 0; u < 1; u += 0.1) {
      assertThat(f.draws(u, u).acquire(null)).isSameAs(links[1]);
    }
  }

  @Test
  void aRemovedEndpointsLinkIsClosedOnlyOnceItsCallsHaveEnded() {
    Link[] links = f.connectAll();
    links[0].outstanding = 2;

    deliver(B);
    assertThat(f.transport.closedByPool()).isEmpty();
    links[0].outstanding = 1;
    f.pool.linkReleased();
    assertThat(f.transport.closedByPool()).isEmpty();
    links[0].outstanding = 0;
    f.pool.linkReleased();

    assertThat(f.transport.closedByPool()).containsExactly(links[0]);
  }

  @Test
  void aRemovedEndpointIsNotReconnected() {
    Link[] links = f.connectAll();
    links[0].drop();
    assertThat(f.clock.pendingTasks()).isOne();

    deliver(B);
    f.clock.advance(ms(10_000));

    assertThat(f.clock.pendingTasks()).isZero();
    assertThat(f.transport.opens(A)).isOne();
  }

  @Test
  void aDownEndpointStartsReconnectingInTheBackgroundWhenASecondOneArrives() {
    deliver(A);
    f.transport.refuse(A);
    PoolFixture.failureOf(f.pool.acquire(null), TransportException.class);
    assertThat(f.clock.pendingTasks()).as("alone: no background reconnect").isZero();

    deliver(A, B);

    assertThat(f.clock.pendingDelays()).containsExactly(ms(100));
  }

  @Test
  void closingThePoolUnsubscribes() {
    f.pool.close();

    assertThat(unsubscribed).isTrue();
    deliver(A, B, C);
    assertThat(f.pool.status()).extracting(EndpointStatus::address).containsExactly(A, B);
  }
}
