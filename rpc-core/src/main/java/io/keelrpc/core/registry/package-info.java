/**
 * Service registry: instances register an address and tags with a TTL they renew, clients watch
 * the live instances whose tags match a {@link io.keelrpc.core.registry.TagSelector}. See
 * {@code docs/multi-instance.md}, section "Service registry".
 */
package io.keelrpc.core.registry;
