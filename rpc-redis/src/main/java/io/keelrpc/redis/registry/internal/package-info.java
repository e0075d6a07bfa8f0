/** Internal: the Redis registry's scripts, records and watches. Not a public API. */
package io.keelrpc.redis.registry.internal;
