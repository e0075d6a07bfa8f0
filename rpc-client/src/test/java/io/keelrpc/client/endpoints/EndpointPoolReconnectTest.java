package io.keelrpc.client.endpoints;

import static io.keelrpc.client.endpoints.PoolFixture.A;
import static io.keelrpc.client.endpoints.PoolFixture.B;
import static io.keelrpc.client.endpoints.PoolFixture.C;
import static io.keelrpc.client.endpoints.PoolFixture.failureOf;
import static io.keelrpc.client.endpoints.PoolFixture.ms;
import static io.keelrpc.client.endpoints.PoolFixture.now;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.EndpointStatus;
import io.keelrpc.client.endpoints.FakeTransport.Link;
import io.keelrpc.core.ClientClosedException;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Health and background reconnects on virtual time: a failed or lost connection marks an endpoint
 * down, a timer reconnects it after the reconnect policy's jittered exponential wait, and calls
 * that find every endpoint down connect themselves.
 */
class EndpointPoolReconnectTest {

  @Test
  void aRefusedConnectionFailsTheAttemptAsNeverSentAndMarksTheEndpointDown() {
    PoolFixture f = new PoolFixture(A, B);
    f.transport.refuse(A);

    TransportException e = failureOf(f.draws(0.0, 0.0).pool.acquire(null),
        TransportException.class);

    assertThat(e.requestSent()).isFalse();
    assertThat(e).hasMessage("cannot connect to 10.0.0.1:7001: Connection refused");
    assertThat(f.status(A)).isEqualTo(new EndpointStatus(A, false, false, 0, 1));
    assertThat(f.status(B).healthy()).isTrue();
    assertThat(f.clock.pendingDelays()).containsExactly(ms(100));
  }

  @Test
  void reconnectWaitsGrowExponentiallyUpToTheCap() {
    PoolFixture f = new PoolFixture(A, B);
    f.transport.refuse(A);
    failureOf(f.draws(0.0, 0.0).pool.acquire(null), TransportException.class);
    long[] waits = {100, 200, 400, 800, 1000, 1000};

    for (int k = 0; k < waits.length; k++) {
      assertThat(f.clock.pendingDelays()).containsExactly(ms(waits[k]));
      f.clock.advance(ms(waits[k] - 1));
      assertThat(f.transport.opens(A)).isEqualTo(k + 1);
      f.clock.advance(ms(1));
      assertThat(f.transport.opens(A)).isEqualTo(k + 2);
      assertThat(f.status(A).consecutiveFailures()).isEqualTo(k + 2);
    }
    assertThat(f.status(A).healthy()).isFalse();
    assertThat(f.transport.opens(B)).as("B was never needed").isZero();
  }

  @Test
  void reconnectWaitsAreJitteredWithTheInjectedRandomSource() {
    RetryPolicy equalJitter = PoolFixture.RECONNECT.toBuilder().jitter(Jitter.equal()).build();
    PoolFixture f = new PoolFixture(equalJitter, A, B);
    f.transport.refuse(A);

    failureOf(f.draws(0.0, 0.0, 0.5).pool.acquire(null), TransportException.class);
    assertThat(f.clock.pendingDelays()).as("50 ms + 50 ms * 0.5").containsExactly(ms(75));
    f.draws(0.0).clock.advance(ms(75));
    assertThat(f.clock.pendingDelays()).as("100 ms + 100 ms * 0.0").containsExactly(ms(100));
  }

  @Test
  void aSuccessfulReconnectMakesTheEndpointHealthyAndLeavesNoTimer() {
    PoolFixture f = new PoolFixture(A, B);
    f.transport.refuse(A);
    failureOf(f.draws(0.0, 0.0).pool.acquire(null), TransportException.class);
    f.clock.advance(ms(100));
    f.transport.accept(A);

    f.clock.advance(ms(200));

    assertThat(f.status(A)).isEqualTo(new EndpointStatus(A, true, true, 0, 0));
    assertThat(f.clock.pendingTasks()).isZero();
    assertThat(f.draws(0.0, 0.0).acquire(null).address).isEqualTo(A);
    assertThat(f.transport.opens(A)).as("the call used the reconnected link").isEqualTo(3);
  }

  @Test
  void aLostConnectionMarksTheEndpointDownAndReconnectsAfterTheFirstWait() {
    PoolFixture f = new PoolFixture(A, B, C);
    Link[] links = f.connectAll();

    links[0].drop();

    assertThat(f.status(A)).isEqualTo(new EndpointStatus(A, false, false, 0, 1));
    assertThat(f.clock.pendingDelays()).containsExactly(ms(100));
    f.clock.advance(ms(100));
    assertThat(f.transport.opens(A)).isEqualTo(2);
    assertThat(f.status(A)).isEqualTo(new EndpointStatus(A, true, true, 0, 0));
    assertThat(f.clock.pendingTasks()).isZero();
  }

  @Test
  void theCloseOfAReplacedLinkIsIgnored() {
    PoolFixture f = new PoolFixture(A, B);
    Link[] links = f.connectAll();
    links[0].drop();
    f.clock.advance(ms(100));

    links[0].drop(); // the old link's close reported again: the new one stays

    assertThat(f.status(A).healthy()).isTrue();
    assertThat(f.clock.pendingTasks()).isZero();
  }

  @Test
  void aSingleEndpointIsReconnectedByTheNextAttemptNotByATimer() {
    PoolFixture f = new PoolFixture(A);
    f.transport.refuse(A);

    failureOf(f.pool.acquire(null), TransportException.class);
    assertThat(f.clock.pendingTasks()).isZero();
    failureOf(f.pool.acquire(null), TransportException.class);
    f.transport.accept(A);
    Link link = f.acquire(null);

    assertThat(f.transport.opens(A)).isEqualTo(3);
    assertThat(f.status(A).healthy()).isTrue();
    link.drop();
    assertThat(f.status(A).healthy()).isFalse();
    assertThat(f.clock.pendingTasks()).isZero();
    assertThat(f.acquire(null)).isNotSameAs(link);
  }

  @Test
  void whenAllAreDownAnAttemptConnectsAtOnceToTheEndpointTriedLongestAgo() {
    PoolFixture f = new PoolFixture(A, B);
    f.transport.refuse(A);
    f.transport.refuse(B);
    failureOf(f.draws(0.0, 0.0).pool.acquire(null), TransportException.class); // A
    failureOf(f.pool.acquire(null), TransportException.class); // B, the only healthy one
    assertThat(f.clock.pendingDelays()).containsExactly(ms(100), ms(100));
    f.transport.accept(A);
    f.transport.accept(B);

    Link link = f.acquire(null);

    assertThat(link.address).isEqualTo(A);
    assertThat(f.transport.opens(A)).isEqualTo(2);
    assertThat(f.clock.pendingDelays()).as("B's reconnect only").containsExactly(ms(100));
    f.clock.advance(ms(100));
    assertThat(f.pool.status()).extracting(EndpointStatus::healthy).containsExactly(true, true);
  }

  @Test
  void whenAllAreDownAttemptsJoinTheConnectionAttemptInProgress() {
    PoolFixture f = new PoolFixture(A, B);
    Link[] links = f.connectAll();
    f.transport.hold(A);
    links[0].drop();
    links[1].drop();
    f.transport.refuse(B);

    CompletableFuture<Link> first = f.pool.acquire(null);
    CompletableFuture<Link> second = f.pool.acquire(null);

    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
    assertThat(f.transport.opens(A)).isEqualTo(2);
    assertThat(f.transport.opens(B)).isEqualTo(1);
    assertThat(f.status(A).outstandingCalls()).isEqualTo(2);
    f.transport.completeHeld(A);
    assertThat(now(first)).isSameAs(now(second));
    assertThat(f.status(A).healthy()).isTrue();
  }

  @Test
  void whenAllAreDownARetryConnectsToAnotherEndpointThanItsLast() {
    PoolFixture f = new PoolFixture(A, B, C);
    Link[] links = f.connectAll();
    for (Link l : links) {
      l.drop();
    }

    Link retry = f.acquire(links[0]);

    assertThat(retry.address).isIn(B, C);
    assertThat(f.transport.opens(A)).isEqualTo(1);
  }

  @Test
  void closingThePoolCancelsReconnectsAndClosesEveryLink() {
    PoolFixture f = new PoolFixture(A, B, C);
    Link[] links = f.connectAll();
    f.transport.refuse(B);
    links[1].drop();
    assertThat(f.clock.pendingTasks()).isOne();

    f.pool.close();

    assertThat(f.clock.pendingTasks()).isZero();
    assertThat(f.transport.closedByPool()).containsExactlyInAnyOrder(links[0], links[2]);
    failureOf(f.pool.acquire(null), ClientClosedException.class);
    f.pool.close(); // a second close does nothing
  }

  @Test
  void anOpeningThatCompletesAfterCloseIsClosedAndFailsItsCall() {
    PoolFixture f = new PoolFixture(A, B);
    f.transport.hold(A);
    CompletableFuture<Link> waiting = f.draws(0.0, 0.0).pool.acquire(null);

    f.pool.close();
    f.transport.completeHeld(A);

    failureOf(waiting, ClientClosedException.class);
    assertThat(f.transport.closedByPool()).extracting(l -> l.address)
        .containsExactly(A);
    assertThat(f.clock.pendingTasks()).isZero();
  }
}
