/**
 * A service registry on Redis: {@link io.keelrpc.redis.registry.RedisServiceRegistry}. See
 * {@code docs/multi-instance.md}, section "Service registry".
 */
package io.keelrpc.redis.registry;
