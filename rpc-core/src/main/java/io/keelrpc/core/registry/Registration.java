package io.keelrpc.core.registry;

import java.util.Map;

/**
 * The handle of one {@link ServiceRegistry#register registered} instance. While it is open the
 * registry renews the instance's TTL in the background (every third of the TTL); if the process
 * dies, the renewals stop and the instance disappears once its TTL runs out.
 */
public interface Registration extends AutoCloseable {
  /** The instance as last registered or updated. */
  ServiceInstance instance();

  /**
   * Changes several tags at once: every watcher sees either all of the changes or none. A name
   * mapped to a value sets that tag, a name mapped to {@code null} removes it (use a
   * {@link java.util.HashMap}); tags not named stay as they are.
   *
   * @throws IllegalArgumentException if a name or value is invalid (nothing is changed)
   * @throws IllegalStateException if the registration is closed
   * @throws RegistryException if the registry cannot be reached: the change may or may not have
   *     been applied; the registration keeps the new tags and writes them at its next renewal
   */
  void updateTags(Map<String, String> changes);

  /**
   * Deregisters the instance (graceful shutdown): watchers stop seeing it at once, without waiting
   * for its TTL. Idempotent; if the registry cannot be reached the instance still expires.
   */
  @Override
  void close();
}
