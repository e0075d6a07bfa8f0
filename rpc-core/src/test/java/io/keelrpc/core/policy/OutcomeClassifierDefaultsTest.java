package io.keelrpc.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.AttemptTimeoutException;
import io.keelrpc.core.ClientClosedException;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.InternalErrorException;
import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.core.MethodNotFoundException;
import io.keelrpc.core.OverloadedException;
import io.keelrpc.core.RpcException;
import io.keelrpc.core.ServerErrorException;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.policy.Outcome.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The default classification of failures: kind, code and retryability, idempotent or not. */
class OutcomeClassifierDefaultsTest {
  static Stream<Arguments> failures() {
    return Stream.of(
        // failure, kind, code, retryable if idempotent, retryable if not
        Arguments.of(new AttemptTimeoutException(Duration.ofMillis(5)), Kind.TIMEOUT, null, true,
            false),
        Arguments.of(new DeadlineExceededException("late"), Kind.TIMEOUT, -32002, false, false),
        Arguments.of(new TransportException("refused", false, null), Kind.CONNECTION_ERROR, null,
            true, true),
        Arguments.of(new TransportException("reset", true, null), Kind.CONNECTION_ERROR, null,
            true, false),
        Arguments.of(new OverloadedException("busy", null), Kind.SERVER_ERROR, -32001, true,
            true),
        Arguments.of(new UnavailableException("draining", null), Kind.SERVER_ERROR, -32003, true,
            true),
        Arguments.of(new ServerErrorException("boom", null), Kind.SERVER_ERROR, -32000, true,
            false),
        Arguments.of(new InternalErrorException("bug", null), Kind.SERVER_ERROR, -32603, false,
            false),
        Arguments.of(new RpcException(-32050, "reserved", null), Kind.SERVER_ERROR, -32050, false,
            false),
        Arguments.of(new InvalidParamsException("bad", null), Kind.CLIENT_ERROR, -32602, false,
            false),
        Arguments.of(new MethodNotFoundException("nope", null), Kind.CLIENT_ERROR, -32601, false,
            false),
        Arguments.of(new ApplicationException(1001, "app"), Kind.CLIENT_ERROR, 1001, false, false),
        Arguments.of(new ClientClosedException("closed"), Kind.CLIENT_ERROR, null, false, false),
        Arguments.of(new TimeoutException("jdk"), Kind.TIMEOUT, null, true, false),
        Arguments.of(new SocketTimeoutException("read"), Kind.TIMEOUT, null, true, false),
        Arguments.of(new ConnectException("refused"), Kind.CONNECTION_ERROR, null, true, true),
        Arguments.of(new IOException("reset"), Kind.CONNECTION_ERROR, null, true, false),
        Arguments.of(new IllegalStateException("bug"), Kind.CLIENT_ERROR, null, false, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void classifiesFailures(Throwable failure, Kind kind, Integer code, boolean idempotentRetry,
      boolean otherRetry) {
    Outcome idempotent = OutcomeClassifier.classifyFailure(failure, true);
    Outcome other = OutcomeClassifier.classifyFailure(failure, false);

    assertThat(idempotent.kind()).isEqualTo(kind);
    assertThat(idempotent.code()).isEqualTo(code);
    assertThat(idempotent.retryable()).as("idempotent").isEqualTo(idempotentRetry);
    assertThat(other.retryable()).as("not idempotent").isEqualTo(otherRetry);
    assertThat(idempotent.message()).isEqualTo(failure.getMessage());
  }

  @Test
  void looksThroughCompletionExceptions() {
    Outcome o = OutcomeClassifier.classifyFailure(
        new CompletionException(new ConnectException("refused")), false);

    assertThat(o.kind()).isEqualTo(Kind.CONNECTION_ERROR);
  }

  @Test
  void overloadedCarriesTheServersRetryAfter() {
    Outcome o = OutcomeClassifier.classifyFailure(
        OverloadedException.withRetryAfter("busy", Duration.ofMillis(40)), false);

    assertThat(o.retryAfter()).isEqualTo(Duration.ofMillis(40));
  }

  @Test
  void defaultsCallEveryValueASuccess() {
    assertThat(OutcomeClassifier.defaults(true).classify("anything", null))
        .isEqualTo(Outcome.success());
  }

  @Test
  void successesAndClientErrorsCannotBeRetryable() {
    assertThatThrownBy(() -> Outcome.success(200).withRetryable(true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retryable: true (expected: false for SUCCESS)");
    assertThatThrownBy(() -> Outcome.clientError(404, "x").withRetryable(true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retryable: true (expected: false for CLIENT_ERROR)");
  }
}
