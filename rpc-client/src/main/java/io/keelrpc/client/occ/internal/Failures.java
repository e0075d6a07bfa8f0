package io.keelrpc.client.occ.internal;

import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.KeelException;
import io.keelrpc.core.RetrySafety;
import io.keelrpc.core.occ.KeyExistsException;
import io.keelrpc.core.occ.KeyNotFoundException;
import io.keelrpc.core.occ.OccErrors;
import io.keelrpc.core.occ.VersionMismatchException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** How an OCC update reads the failure of a store call. */
final class Failures {
  /** What a failed store call means to the update. */
  enum Kind {
    /** {@link VersionMismatchException}: another version is current. */
    VERSION_MISMATCH,
    /** {@link KeyExistsException}: a create found the key. */
    KEY_EXISTS,
    /** {@link KeyNotFoundException}: an update (or a read) found no key. */
    KEY_NOT_FOUND,
    /** Any other {@link ApplicationException}: the store answered and refused. */
    REFUSED,
    /** The outcome is unknown and sending the call again may help. */
    NETWORK,
    /** Retrying cannot help: a Keel failure that is never retried, or a programming error. */
    FATAL
  }

  private Failures() {}

  /** The failure without completion wrappers, typed by {@link OccErrors#typed(Throwable)}. */
  static Throwable normalize(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return OccErrors.typed(t);
  }

  /** The kind of a {@linkplain #normalize(Throwable) normalised} failure. */
  static Kind kind(Throwable t) {
    if (t instanceof VersionMismatchException) {
      return Kind.VERSION_MISMATCH;
    }
    if (t instanceof KeyExistsException) {
      return Kind.KEY_EXISTS;
    }
    if (t instanceof KeyNotFoundException) {
      return Kind.KEY_NOT_FOUND;
    }
    if (t instanceof ApplicationException) {
      return Kind.REFUSED;
    }
    if (t instanceof KeelException k) {
      return k.retrySafety() == RetrySafety.NEVER ? Kind.FATAL : Kind.NETWORK;
    }
    if (t instanceof Error
        || t instanceof CancellationException
        || t instanceof NullPointerException
        || t instanceof IllegalArgumentException
        || t instanceof IllegalStateException
        || t instanceof ClassCastException
        || t instanceof UnsupportedOperationException) {
      return Kind.FATAL;
    }
    return Kind.NETWORK;
  }
}
