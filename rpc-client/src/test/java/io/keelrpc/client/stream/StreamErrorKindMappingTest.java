package io.keelrpc.client.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.StreamErrorKind;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.AttemptTimeoutException;
import io.keelrpc.core.CancelledException;
import io.keelrpc.core.ClientClosedException;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.InternalErrorException;
import io.keelrpc.core.ResponseDecodingException;
import io.keelrpc.core.StreamIdleTimeoutException;
import io.keelrpc.core.TransportException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which exception types make up each kind of stream failure. */
class StreamErrorKindMappingTest {
  @Test
  void timeouts() {
    assertThat(StreamErrorKind.of(new StreamIdleTimeoutException("m", Duration.ofSeconds(1))))
        .isEqualTo(StreamErrorKind.TIMEOUT);
    assertThat(StreamErrorKind.of(new DeadlineExceededException("late")))
        .isEqualTo(StreamErrorKind.TIMEOUT);
    assertThat(StreamErrorKind.of(new AttemptTimeoutException(Duration.ofSeconds(1))))
        .isEqualTo(StreamErrorKind.TIMEOUT);
  }

  @Test
  void transportFailures() {
    assertThat(StreamErrorKind.of(new TransportException("reset", true, null)))
        .isEqualTo(StreamErrorKind.TRANSPORT);
  }

  @Test
  void answersAndWhatDoesNotBindAreApplicationFailures() {
    assertThat(StreamErrorKind.of(new ApplicationException(1001, "no", null)))
        .isEqualTo(StreamErrorKind.APPLICATION);
    assertThat(StreamErrorKind.of(new InternalErrorException("boom")))
        .isEqualTo(StreamErrorKind.APPLICATION);
    assertThat(StreamErrorKind.of(new ResponseDecodingException("bad", null)))
        .isEqualTo(StreamErrorKind.APPLICATION);
  }

  @Test
  void cancellationFromEitherSide() {
    assertThat(StreamErrorKind.of(new CancellationException("closed")))
        .isEqualTo(StreamErrorKind.CANCELLED);
    assertThat(StreamErrorKind.of(new ClientClosedException("closed")))
        .isEqualTo(StreamErrorKind.CANCELLED);
    assertThat(StreamErrorKind.of(new CancelledException("the server gave up")))
        .isEqualTo(StreamErrorKind.CANCELLED);
  }

  @Test
  void aCompletionExceptionIsUnwrapped() {
    assertThat(StreamErrorKind.of(new CompletionException(
        new TransportException("reset", true, null)))).isEqualTo(StreamErrorKind.TRANSPORT);
  }
}
