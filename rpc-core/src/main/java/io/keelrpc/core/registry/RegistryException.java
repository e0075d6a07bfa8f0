package io.keelrpc.core.registry;

/** A {@link ServiceRegistry} could not carry out an operation, e.g. its backing store is down. */
public class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message and the cause (may be null). */
  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
