package io.keelrpc.client.stream.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResumableStreamBuilderValidationTest {
  private final ResumeFixture f = new ResumeFixture();

  private ResumableStream.Builder<String> builder() {
    return ResumableStream.builder(f.source);
  }

  @Test
  void windowMustBePositive() {
    assertThatThrownBy(() -> builder().window(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window: 0 (expected: >= 1)");
  }

  @Test
  void windowIsBounded() {
    assertThatThrownBy(() -> builder().window(ResumableStream.MAX_WINDOW + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window: 1048577 (expected: <= 1048576)");
    assertThatCode(() -> builder().window(ResumableStream.MAX_WINDOW)).doesNotThrowAnyException();
  }

  @Test
  void gapTimeoutMustBePositive() {
    assertThatThrownBy(() -> builder().gapTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gapTimeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> builder().gapTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gapTimeout: PT-0.001S (expected: > 0)");
  }

  @Test
  void fromSeqMustNotBeNegative() {
    assertThatThrownBy(() -> builder().fromSeq(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fromSeq: -1 (expected: >= 0)");
  }

  @Test
  void sequenceNumbersMustNotBeNegative() {
    assertThatThrownBy(() -> new Sequenced<>(-1, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("seq: -1 (expected: >= 0)");
  }

  @Test
  void nullsAreRefusedByName() {
    assertThatThrownBy(() -> ResumableStream.builder(null))
        .isInstanceOf(NullPointerException.class).hasMessage("source");
    assertThatThrownBy(() -> builder().gapTimeout(null)).hasMessage("gapTimeout");
    assertThatThrownBy(() -> builder().reconnectBackoff(null)).hasMessage("policy");
    assertThatThrownBy(() -> builder().ticker(null)).hasMessage("ticker");
    assertThatThrownBy(() -> builder().scheduler(null)).hasMessage("scheduler");
    assertThatThrownBy(() -> builder().random(null)).hasMessage("random");
    assertThatThrownBy(() -> builder().executor(null)).hasMessage("executor");
    assertThatThrownBy(() -> builder().start(null)).hasMessage("consumer");
    assertThat(f.source.opens()).isZero();
  }

  @Test
  void veryLongGapTimeoutIsAccepted() {
    ResumableStream<String> stream = builder().ticker(f.clock).scheduler(f.clock)
        .gapTimeout(Duration.ofDays(365_000_000L)).start(f::record);
    f.source.last().send(1);

    f.clock.advance(Duration.ofDays(365));

    assertThat(f.source.last().retransmits).isEmpty();
    stream.close();
    assertThat(f.clock.pendingTasks()).isZero();
  }
}
