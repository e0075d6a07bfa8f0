package io.keelrpc.examples.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's sequence and final rule, due times, content and parameter checks of a stream. */
class TimeStreamPacingTest {
  private final FakeClock clock = new FakeClock();
  private final VirtualWallClock wall = new VirtualWallClock(clock);

  @Test
  void updatesAreNumberedFromZeroAndTheOneAtDurationIsFinal() {
    TimeStream s = TimeStream.start(new TimeRequest(1L, 3L), clock, wall);

    List<Boolean> finals = new ArrayList<>();
    for (long n = s.claim(); n >= 0; n = s.claim()) {
      finals.add(s.update(n).finalUpdate());
    }

    assertThat(finals).containsExactly(false, false, false, true);
  }

  @Test
  void durationThatIsNotAMultipleOfTheIntervalEndsAtTheFirstUpdateAtOrAfterIt() {
    TimeStream s = TimeStream.start(new TimeRequest(2L, 3L), clock, wall);

    assertThat(s.finalSequence()).isEqualTo(2);
  }

  @Test
  void durationZeroOrAbsentNeverEnds() {
    TimeStream zero = TimeStream.start(new TimeRequest(1L, 0L), clock, wall);
    TimeStream absent = TimeStream.start(new TimeRequest(1L, null), clock, wall);

    assertThat(zero.finalSequence()).isEqualTo(Long.MAX_VALUE);
    assertThat(absent.finalSequence()).isEqualTo(Long.MAX_VALUE);
    assertThat(zero.update(1_000_000).finalUpdate()).isFalse();
  }

  @Test
  void updateNIsDueNIntervalsAfterTheStart() {
    TimeStream s = TimeStream.start(new TimeRequest(2L, 10L), clock, wall);
    clock.advance(Duration.ofMillis(500));

    assertThat(s.delayNanos(0)).isZero();
    assertThat(s.delayNanos(1)).isEqualTo(Duration.ofMillis(1500).toNanos());
    assertThat(s.delayNanos(3)).isEqualTo(Duration.ofMillis(5500).toNanos());
  }

  @Test
  void updateCarriesTheClockTimeAsUnixSecondsAndTimeString() {
    TimeStream s = TimeStream.start(new TimeRequest(1L, 5L), clock, wall);
    clock.advance(Duration.ofMillis(2250));

    TimeResponse u = s.update(2);

    assertThat(u.timestamp()).isEqualTo(1_718_000_002L);
    assertThat(u.timeString()).isEqualTo("2024-06-10 06:13:22.250000");
    assertThat(u.sequenceNum()).isEqualTo(2);
  }

  @Test
  void unclaimGivesBackOnlyTheLastClaimedNumber() {
    TimeStream s = TimeStream.start(new TimeRequest(1L, 0L), clock, wall);
    s.claim();
    long one = s.claim();
    long two = s.claim();

    s.unclaim(one);
    s.unclaim(two);

    assertThat(s.claim()).isEqualTo(2);
    assertThat(s.claim()).isEqualTo(3);
  }

  @Test
  void intervalBelowOneIsInvalidParameters1002() {
    assertInvalid(new TimeRequest(0L, 10L), "UpdateInterval: 0 (expected: 1..86400 seconds)");
  }

  @Test
  void missingIntervalIsInvalidParameters1002() {
    assertInvalid(new TimeRequest(null, 10L), "UpdateInterval: missing");
  }

  @Test
  void intervalAboveADayIsInvalidParameters1002() {
    assertInvalid(new TimeRequest(86_401L, 0L), "UpdateInterval: 86401");
  }

  @Test
  void negativeDurationIsInvalidParameters1002() {
    assertInvalid(new TimeRequest(1L, -1L), "Duration: -1 (expected: >= 0 seconds");
  }

  private void assertInvalid(TimeRequest request, String detail) {
    assertThatThrownBy(() -> TimeStream.start(request, clock, wall))
        .isInstanceOfSatisfying(ApplicationException.class,
            e -> assertThat(e.code()).isEqualTo(TimeErrors.INVALID_PARAMETERS))
        .hasMessageStartingWith("invalid request parameters: ")
        .hasMessageContaining(detail);
  }
}
