package io.keelrpc.core.policy;

/**
 * A call failed for good after a failure that retries could in principle fix (server error,
 * timeout, connection error): no further attempt is made, and {@link #reason()} says why.
 *
 * @param name the call's name
 * @param attempts the attempts made, from 1 (0 if the deadline had passed before the first)
 * @param lastKind the kind of the last attempt's failure
 * @param lastCode the last failure's code, or {@code null}
 * @param lastError a short description of the last failure
 * @param reason why no further attempt is made
 */
public record RetriesExhaustedEvent(String name, int attempts, Outcome.Kind lastKind,
    Integer lastCode, String lastError, Reason reason) implements CallEvent {
  /** Why a call stops retrying. */
  public enum Reason {
    /** The retry policy's {@code maxAttempts} were made. */
    MAX_ATTEMPTS("max_attempts"),
    /** The deadline passed, or the next wait would have ended after it. */
    DEADLINE("deadline"),
    /** The {@link RetryBudget} was spent: too many recent failures. */
    BUDGET("budget"),
    /** The failure may not be retried for this call (e.g. a timeout of a non-idempotent write). */
    NOT_RETRYABLE("not_retryable");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    /** The lowercase name used in logs. */
    public String label() {
      return label;
    }
  }

  /** The last attempt made: {@link #attempts()}. */
  @Override
  public int attempt() {
    return attempts;
  }

  @Override
  public String eventName() {
    return "retries_exhausted";
  }
}
