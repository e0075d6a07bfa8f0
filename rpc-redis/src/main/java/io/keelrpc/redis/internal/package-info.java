/** Implementation of the Redis idempotency store: its Lua scripts and value encoding. Not API. */
package io.keelrpc.redis.internal;
