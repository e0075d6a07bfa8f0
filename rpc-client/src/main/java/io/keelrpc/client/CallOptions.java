package io.keelrpc.client;

import io.keelrpc.core.policy.CallListener;
import io.keelrpc.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Per-call settings. Anything left unset takes the client's default (see
 * {@link KeelClient.Builder}). Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * CallOptions opts = CallOptions.builder()
 *     .deadline(Duration.ofSeconds(2))          // whole call, all attempts and waits included
 *     .perAttemptTimeout(Duration.ofMillis(250))
 *     .idempotent(true)                         // retry timeouts and resets too
 *     .listener(auditLog)                       // in addition to the client's listeners
 *     .build();
 * }</pre>
 */
public final class CallOptions {
  /** Options that leave everything to the client's defaults. */
  public static final CallOptions DEFAULTS = builder().build();

  private final Duration deadline;
  private final Duration perAttemptTimeout;
  private final RetryPolicy retryPolicy;
  private final Boolean idempotent;
  private final String idempotencyKey;
  private final List<CallListener> listeners;

  private CallOptions(Builder b) {
    this.deadline = b.deadline;
    this.perAttemptTimeout = b.perAttemptTimeout;
    this.retryPolicy = b.retryPolicy;
    this.idempotent = b.idempotent;
    this.idempotencyKey = b.idempotencyKey;
    this.listeners = List.copyOf(b.listeners);
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** The whole call's budget, or {@code null} for the client's default. */
  public Duration deadline() {
    return deadline;
  }

  /** The longest one attempt may wait for its answer, or {@code null} for the client's default. */
  public Duration perAttemptTimeout() {
    return perAttemptTimeout;
  }

  /** The retry policy, or {@code null} for the client's default. */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** Whether the call may run twice safely, or {@code null} to decide from the method. */
  public Boolean idempotent() {
    return idempotent;
  }

  /** The explicit idempotency key sent as {@code meta.idempotencyKey}, or {@code null}. */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  /** A builder holding these options, to derive others from them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.deadline = deadline;
    b.perAttemptTimeout = perAttemptTimeout;
    b.retryPolicy = retryPolicy;
    b.idempotent = idempotent;
    b.idempotencyKey = idempotencyKey;
    b.listeners.addAll(listeners);
    return b;
  }

  /** This call's own listeners, called after the client's; empty by default. */
  public List<CallListener> listeners() {
    return listeners;
  }

  /** Builds {@link CallOptions}; each setter validates at once. */
  public static final class Builder {
    private Duration deadline;
    private Duration perAttemptTimeout;
    private RetryPolicy retryPolicy;
    private Boolean idempotent;
    private String idempotencyKey;
    private final List<CallListener> listeners = new ArrayList<>();

    private Builder() {}

    /** The whole call's budget: every attempt and every backoff wait must fit in it. */
    public Builder deadline(Duration deadline) {
      this.deadline = positive("deadline", deadline);
      return this;
    }

    /** The longest one attempt waits for its answer; capped by what is left of the deadline. */
    public Builder perAttemptTimeout(Duration timeout) {
      this.perAttemptTimeout = positive("perAttemptTimeout", timeout);
      return this;
    }

    /** The retry policy for this call. */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Marks the call safe to run more than once (or protected by the server's deduplication), so
     * that timeouts and connections lost after sending are retried too. Default: true for
     * read-only methods and calls with an idempotency key, false otherwise.
     */
    public Builder idempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    /**
     * Sends {@code key} as {@code meta.idempotencyKey}: the server deduplicates under it instead
     * of the call id, so separate logical calls with one key run once. Implies idempotent.
     */
    public Builder idempotencyKey(String key) {
      Objects.requireNonNull(key, "key");
      if (key.isEmpty() || key.length() > io.keelrpc.core.wire.Meta.MAX_IDEMPOTENCY_KEY_LENGTH) {
        throw new IllegalArgumentException("idempotencyKey: length " + key.length()
            + " (expected: 1.." + io.keelrpc.core.wire.Meta.MAX_IDEMPOTENCY_KEY_LENGTH + ")");
      }
      this.idempotencyKey = key;
      return this;
    }

    /**
     * Adds a listener of this call's events, called after the client's listeners; may be called
     * several times. See {@link KeelClient.Builder#listener(CallListener)}.
     */
    public Builder listener(CallListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The options. */
    public CallOptions build() {
      return new CallOptions(this);
    }

    static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
      return d;
    }
  }
}
