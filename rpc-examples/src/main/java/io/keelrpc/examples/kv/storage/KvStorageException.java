package io.keelrpc.examples.kv.storage;

/**
 * A {@link KvStorage} could not do what was asked because its medium failed (an I/O or database
 * error), not because of the versioning contract. The outcome of a failed
 * {@link KvStorage#put put} is unknown: the write may or may not have been applied. A store that
 * cannot tell how its log ends after such a failure refuses every later call with this exception.
 */
public class KvStorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming what failed and its cause. */
  public KvStorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
