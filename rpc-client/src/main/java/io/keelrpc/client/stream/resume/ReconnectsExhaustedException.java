package io.keelrpc.client.stream.resume;

import io.keelrpc.core.KeelException;
import io.keelrpc.core.RetrySafety;

/**
 * A {@link ResumableStream} gave up: its connections kept ending without delivering a new item
 * until its reconnect policy's {@code maxAttempts} was used up. The cause is the failure that
 * ended the last connection ({@code null} when that connection ended by a window overflow).
 */
public final class ReconnectsExhaustedException extends KeelException {
  private static final long serialVersionUID = 1L;

  private final int reconnects;
  private final long resumeSeq;

  /**
   * Creates the failure.
   *
   * @param reconnects reconnects in a row that delivered nothing new
   * @param resumeSeq the sequence number the stream would have resumed from
   * @param cause the failure of the last connection, or {@code null}
   */
  public ReconnectsExhaustedException(int reconnects, long resumeSeq, Throwable cause) {
    super("resumable stream gave up after " + reconnects
        + " reconnect(s) in a row without a new item; next sequence " + resumeSeq, cause);
    this.reconnects = reconnects;
    this.resumeSeq = resumeSeq;
  }

  /** Reconnects in a row that delivered nothing new before the stream gave up. */
  public int reconnects() {
    return reconnects;
  }

  /** The sequence number a new stream should resume from: the last delivered plus one. */
  public long resumeSeq() {
    return resumeSeq;
  }

  /** {@link RetrySafety#NEVER}: the stream's own reconnect budget is spent. */
  @Override
  public RetrySafety retrySafety() {
    return RetrySafety.NEVER;
  }
}
