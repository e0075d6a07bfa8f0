/**
 * Implementation of {@link io.keelrpc.core.policy}; not API. Public only so that Keel's client
 * module can share the retry decisions and event firing ({@code RetryController}).
 */
package io.keelrpc.core.policy.internal;
