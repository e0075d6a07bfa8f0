package io.keelrpc.examples.time;

import io.keelrpc.core.ApplicationException;

/**
 * The error codes of seed {@code 004_292a3b7af85865bd.txt} (section 6.3) as the time service
 * answers them. On {@code keel/1} they arrive as typed errors with these codes; a Go
 * {@code net/rpc/jsonrpc} client sees only the message, which starts with the seed's name of the
 * code.
 */
public final class TimeErrors {
  /** 1001 Connection error: the call came without a connection to keep the stream on. */
  public static final int CONNECTION_ERROR = 1001;
  /** 1002 Invalid request parameters: {@code UpdateInterval} or {@code Duration} out of range. */
  public static final int INVALID_PARAMETERS = 1002;
  /**
   * 1003 Stream initialization failed: {@code GetNextUpdate} on a connection without an open
   * stream (none was requested, or the last one ended with {@code IsFinal}).
   */
  public static final int STREAM_NOT_INITIALIZED = 1003;
  /**
   * 1004 Stream terminated unexpectedly: a waiting {@code GetNextUpdate} whose stream was replaced
   * by a new {@code RequestTimeStream}, or stopped because its connection closed or the service
   * shut down.
   */
  public static final int STREAM_TERMINATED = 1004;

  private TimeErrors() {}

  static ApplicationException connectionError(String detail) {
    return new ApplicationException(CONNECTION_ERROR, "connection error: " + detail);
  }

  static ApplicationException invalidParameters(String detail) {
    return new ApplicationException(INVALID_PARAMETERS, "invalid request parameters: " + detail);
  }

  static ApplicationException streamNotInitialized(String detail) {
    return new ApplicationException(STREAM_NOT_INITIALIZED, "stream not initialized: " + detail);
  }

  static ApplicationException streamTerminated(String detail) {
    return new ApplicationException(STREAM_TERMINATED, "stream terminated unexpectedly: " + detail);
  }
}
