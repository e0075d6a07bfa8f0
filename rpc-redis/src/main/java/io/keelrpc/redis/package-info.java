/**
 * Optional multi-instance support on Redis: {@code RedisIdempotencyStore}, an idempotency store
 * shared by several Keel server instances, and a service registry. The core modules do not depend
 * on this module. See docs/multi-instance.md.
 */
package io.keelrpc.redis;
