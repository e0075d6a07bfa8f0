package io.keelrpc.client;

import io.keelrpc.core.AttemptTimeoutException;
import io.keelrpc.core.CancelledException;
import io.keelrpc.core.ClientClosedException;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.StreamIdleTimeoutException;
import io.keelrpc.core.TransportException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * What kind of failure ended a stream, for callers that handle kinds rather than exception types.
 * Each kind is a set of Keel's exception types; see {@link #of(Throwable)}.
 *
 * <pre>{@code
 * try { ... stream.next() ... }
 * catch (KeelException | CancellationException e) {
 *   switch (StreamErrorKind.of(e)) {
 *     case TIMEOUT -> reconnectLater();
 *     ...
 *   }
 * }
 * }</pre>
 */
public enum StreamErrorKind {
  /**
   * Nothing arrived in time: {@link StreamIdleTimeoutException}, or
   * {@link DeadlineExceededException} (the stream's deadline, on either side).
   */
  TIMEOUT,
  /**
   * The connection failed: {@link TransportException} (could not connect, the connection closed,
   * or the server broke the stream protocol).
   */
  TRANSPORT,
  /**
   * The server ended the stream with an error answer ({@link io.keelrpc.core.RpcException},
   * {@link io.keelrpc.core.ApplicationException} for application codes), or what it sent does not
   * bind to the expected type ({@link io.keelrpc.core.ResponseDecodingException}).
   */
  APPLICATION,
  /**
   * The stream was cancelled: by this side ({@link CancellationException}, or
   * {@link ClientClosedException} when the client closed), or by the server
   * ({@link CancelledException}).
   */
  CANCELLED;

  /** The kind of {@code failure} (unwrapping a {@link CompletionException}). */
  public static StreamErrorKind of(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (t instanceof StreamIdleTimeoutException || t instanceof DeadlineExceededException
        || t instanceof AttemptTimeoutException) {
      return TIMEOUT;
    }
    if (t instanceof TransportException) {
      return TRANSPORT;
    }
    if (t instanceof CancellationException || t instanceof ClientClosedException
        || t instanceof CancelledException) {
      return CANCELLED;
    }
    return APPLICATION;
  }
}
