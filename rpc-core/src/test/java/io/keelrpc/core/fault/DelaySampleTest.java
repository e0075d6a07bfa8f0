package io.keelrpc.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A delay maps a uniform number in [0, 1) to a duration: fixed, uniform or exponential. */
class DelaySampleTest {
  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @Test
  void fixedIsAlwaysTheSame() {
    Delay d = Delay.fixed(ms(5));

    assertThat(d.sample(0.0)).isEqualTo(ms(5));
    assertThat(d.sample(0.999)).isEqualTo(ms(5));
  }

  @Test
  void uniformSpansItsBoundsLinearly() {
    Delay d = Delay.uniform(ms(10), ms(20));

    assertThat(d.sample(0.0)).isEqualTo(ms(10));
    assertThat(d.sample(0.5)).isEqualTo(ms(15));
    assertThat(d.sample(Math.nextDown(1.0))).isBetween(ms(19), ms(20));
  }

  @Test
  void exponentialHasItsMeanOverAnEvenGridOfDraws() {
    Delay d = Delay.exponential(ms(10));
    int n = 100_000;
    double sumMs = 0;
    for (int i = 0; i < n; i++) {
      sumMs += d.sampleNanos((i + 0.5) / n) / 1e6;
    }

    assertThat(sumMs / n).isCloseTo(10.0, offset(0.1));
    assertThat(d.sample(0.0)).isZero();
    assertThat(d.sampleNanos(0.5)).isCloseTo((long) (10_000_000 * Math.log(2)), within(1L));
  }

  @Test
  void drawsOutsideZeroToOneAreRefused() {
    Delay d = Delay.fixed(ms(1));

    assertThatIllegalArgumentException().isThrownBy(() -> d.sample(1.0))
        .withMessage("u: 1.0 (expected: [0, 1))");
    assertThatIllegalArgumentException().isThrownBy(() -> d.sample(-0.1))
        .withMessage("u: -0.1 (expected: [0, 1))");
  }

  @Test
  void equalDelaysAreEqual() {
    assertThat(Delay.uniform(ms(1), ms(2))).isEqualTo(Delay.uniform(ms(1), ms(2)))
        .isNotEqualTo(Delay.uniform(ms(1), ms(3)));
    assertThat(Delay.exponential(ms(3))).hasToString("exponential(mean PT0.003S)")
        .isNotEqualTo(Delay.fixed(ms(3)));
  }
}
