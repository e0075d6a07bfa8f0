package io.keelrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.FakeClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The methods, payloads and client set-ups the client tests share. */
final class TestApi {
  record Inc(String key, long delta) {}

  record Key(String key) {}

  record Counter(String key, long value) {}

  record Mismatch(long actualVersion) {}

  static final MethodDescriptor<Inc, Counter> INC =
      MethodDescriptor.of("inc", Inc.class, Counter.class);
  static final MethodDescriptor<Key, Counter> GET =
      MethodDescriptor.of("get", Key.class, Counter.class).asReadOnly();

  /** The uniform number every test client draws for jitter. */
  static final double RANDOM = 0.5;

  private TestApi() {}

  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /**
   * A client of {@code port} on {@code clock}'s virtual time: the clock is both ticker and
   * scheduler, and jitter draws {@link #RANDOM}.
   */
  static KeelClient.Builder virtualTimeClient(int port, FakeClock clock) {
    return KeelClient.builder()
        .endpoint("127.0.0.1", port)
        .ticker(clock)
        .scheduler(clock)
        .random(() -> RANDOM);
  }

  /** Exponential backoff from 50 ms, doubling, without jitter. */
  static RetryPolicy noJitter(int maxAttempts) {
    return RetryPolicy.builder()
        .maxAttempts(maxAttempts)
        .initialBackoff(ms(50))
        .multiplier(2.0)
        .jitter(Jitter.none())
        .build();
  }

  static CallOptions idempotent() {
    return CallOptions.builder().idempotent(true).build();
  }

  /** Waits (in real time) for {@code f} to fail; returns its cause, checked to be a {@code T}. */
  static <T extends Throwable> T failureOf(CompletableFuture<?> f, Class<T> type) {
    Throwable thrown = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(type);
    return type.cast(thrown.getCause());
  }

  /** Waits (in real time) for {@code f} to succeed and returns its value. */
  static <T> T valueOf(CompletableFuture<T> f) {
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the call did not succeed", e);
    }
  }
}
