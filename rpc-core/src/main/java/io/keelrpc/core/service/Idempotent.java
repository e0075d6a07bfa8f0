package io.keelrpc.core.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a service interface as safe to send more than once: a client proxy makes its
 * calls with {@code CallOptions.idempotent(true)}, so attempts that timed out or whose connection
 * dropped after sending are retried too (see the guide's "Retries" table). The mark overrides the
 * proxy's own options. Servers ignore it: a Keel server deduplicates every call anyway.
 *
 * <pre>{@code
 * public interface CounterApi {
 *   @Idempotent                       // the server deduplicates retries by call id
 *   Counter inc(IncParams p);
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Idempotent {}
