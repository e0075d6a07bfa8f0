package io.keelrpc.client.endpoints;

import static io.keelrpc.client.endpoints.PoolFixture.A;
import static io.keelrpc.client.endpoints.PoolFixture.B;
import static io.keelrpc.client.endpoints.PoolFixture.C;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.endpoints.FakeTransport.Link;
import io.keelrpc.core.TransportException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Power-of-two-choices: two distinct healthy endpoints drawn from the injected random source
 * ({@code i = floor(u1 * n)}, {@code j = floor(u2 * (n-1))}, skipping i), the one with fewer
 * outstanding calls wins, the first drawn on a tie; a retry leaves out the failed attempt's one.
 */
class EndpointPoolPowerOfTwoChoicesTest {
  private final PoolFixture f = new PoolFixture(A, B, C);

  @Test
  void theLessLoadedOfTheTwoDrawnWins() {
    Link[] links = f.connectAll();
    links[0].outstanding = 5;
    links[1].outstanding = 1;
    links[2].outstanding = 3;

    assertThat(f.draws(0.0, 0.0).acquire(null).address).as("A vs B").isEqualTo(B);
    assertThat(f.draws(0.0, 0.9).acquire(null).address).as("A vs C").isEqualTo(C);
    assertThat(f.draws(0.9, 0.0).acquire(null).address).as("C vs A").isEqualTo(C);
    assertThat(f.draws(0.5, 0.9).acquire(null).address).as("B vs C").isEqualTo(B);
  }

  @Test
  void theMostLoadedEndpointIsNeverChosenWhateverIsDrawn() {
    Link[] links = f.connectAll();
    links[0].outstanding = 2;
    links[1].outstanding = 9;
    links[2].outstanding = 4;
    Set<Object> chosen = new HashSet<>();

    for (double u1 = 0; u1 < 1; u1 += 0.1) {
      for (double u2 = 0; u2 < 1; u2 += 0.1) {
        chosen.add(f.draws(u1, u2).acquire(null).address);
      }
    }

    assertThat(chosen).containsExactlyInAnyOrder(A, C);
  }

  @Test
  void aTieGoesToTheFirstDrawn() {
    f.connectAll();

    assertThat(f.draws(0.9, 0.0).acquire(null).address).isEqualTo(C);
    assertThat(f.draws(0.0, 0.9).acquire(null).address).isEqualTo(A);
  }

  @Test
  void randomNumbersAtTheEdgesStayInRange() {
    f.connectAll();

    assertThat(f.draws(0.999_999_999, 0.999_999_999).acquire(null).address).isEqualTo(C);
    assertThat(f.draws(1.0, -0.5).acquire(null).address).isEqualTo(C);
  }

  @Test
  void callsWaitingForAConnectionToOpenCountAsLoad() {
    f.transport.hold(A);
    CompletableFuture<Link> first = f.draws(0.0, 0.0).pool.acquire(null);
    CompletableFuture<Link> second = f.draws(0.0, 0.0).pool.acquire(null);

    assertThat(first).isNotDone();
    assertThat(PoolFixture.now(second).address).as("A has one waiting, B none").isEqualTo(B);
    assertThat(f.status(A).outstandingCalls()).isEqualTo(1);
    assertThat(f.status(A).connected()).isFalse();
    f.transport.completeHeld(A);
    assertThat(PoolFixture.now(first).address).isEqualTo(A);
    assertThat(f.status(A).outstandingCalls()).isZero();
    assertThat(f.status(A).connected()).isTrue();
  }

  @Test
  void aRetryGoesToAnotherEndpointThanTheFailedAttemptsEvenIfItIsBusier() {
    Link[] links = f.connectAll();
    links[1].outstanding = 7;
    links[2].outstanding = 7;

    for (double u = 0; u < 1; u += 0.05) {
      assertThat(f.draws(u, 1 - u).acquire(links[0]).address).isNotEqualTo(A);
    }
    assertThat(f.draws(0.0, 0.0).acquire(null).address).as("without avoid").isEqualTo(A);
  }

  @Test
  void withTwoLeftAfterTheAvoidedOneTheyAreCompared() {
    Link[] links = f.connectAll();
    links[1].outstanding = 3;
    links[2].outstanding = 1;

    assertThat(f.draws(0.0, 0.0).acquire(links[0]).address).isEqualTo(C);
    assertThat(f.drawn()).as("two draws per choice").isEqualTo(2 * 3 + 2);
  }

  @Test
  void theAvoidedEndpointIsUsedWhenItIsTheOnlyHealthyOne() {
    Link[] links = f.connectAll();
    f.transport.refuse(B);
    f.transport.refuse(C);
    links[1].drop();
    links[2].drop();

    assertThat(f.acquire(links[0])).isSameAs(links[0]);
  }

  @Test
  void downEndpointsAreNotDrawn() {
    Link[] links = f.connectAll();
    f.transport.refuse(B);
    links[1].drop();
    links[0].outstanding = 50;

    for (double u = 0; u < 1; u += 0.05) {
      assertThat(f.draws(u, u).acquire(null).address).isIn(A, C);
    }
    assertThat(f.transport.opens(B)).as("no call tried B").isEqualTo(1);
  }

  @Test
  void aSingleHealthyEndpointIsChosenWithoutDrawing() {
    PoolFixture one = new PoolFixture(A);

    assertThat(one.acquire(null).address).isEqualTo(A);
    assertThat(one.drawn()).isZero();
  }

  @Test
  void noEndpointsFailsTheAttemptAsNeverSent() {
    PoolFixture none = new PoolFixture(PoolFixture.RECONNECT, listener -> {
      listener.accept(List.of());
      return () -> { };
    });
    TransportException e = PoolFixture.failureOf(none.pool.acquire(null), TransportException.class);

    assertThat(e).hasMessageContaining("no endpoints");
    assertThat(e.requestSent()).isFalse();
  }
}
