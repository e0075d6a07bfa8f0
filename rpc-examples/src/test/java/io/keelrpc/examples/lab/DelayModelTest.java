package io.keelrpc.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class DelayModelTest {
  private static final DelayModel FIFTY = DelayModel.of(Duration.ofMillis(50));

  /** Hands out {@code values} in order. */
  private static java.util.function.DoubleSupplier draws(Double... values) {
    Iterator<Double> it = List.of(values).iterator();
    return it::next;
  }

  @Test
  void aZeroDrawGivesTheBaseAndNoTail() {
    assertThat(FIFTY.sampleNanos(draws(0.0, 0.5))).isEqualTo(50_000_000L);
  }

  @Test
  void theExtraIsExponentialWithMeanJitterTimesBase() {
    // mean 5 ms; u = 0.5 is the median: 5 ms x ln 2
    long extra = FIFTY.sampleNanos(draws(0.5, 0.5)) - 50_000_000L;
    assertThat(extra).isBetween(3_465_000L, 3_466_000L);
  }

  @Test
  void aTailDrawMultipliesTheWholeTime() {
    assertThat(FIFTY.sampleNanos(draws(0.0, 0.005))).isEqualTo(150_000_000L);
  }

  @Test
  void zeroBaseIsAlwaysZero() {
    assertThat(DelayModel.of(Duration.ZERO).sampleNanos(draws(0.9, 0.0))).isZero();
  }

  @Test
  void badParametersAreNamed() {
    assertThatThrownBy(() -> new DelayModel(Duration.ofMillis(-1), 0.1, 0.01, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("base: ");
    assertThatThrownBy(() -> new DelayModel(Duration.ZERO, 0.1, 1.5, 3))
        .hasMessage("tailProbability: 1.5 (expected: 0..1)");
    assertThatThrownBy(() -> new DelayModel(Duration.ZERO, 0.1, 0.01, 0.5))
        .hasMessage("tailMultiplier: 0.5 (expected: 1..100)");
  }
}
