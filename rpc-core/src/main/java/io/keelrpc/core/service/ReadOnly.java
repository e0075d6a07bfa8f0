package io.keelrpc.core.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a service interface as having no effects, like
 * {@link io.keelrpc.core.MethodDescriptor#asReadOnly()}: an exporting server skips the idempotency
 * cache for it (a retried read runs again instead of replaying a recorded answer), and a client
 * proxy treats its calls as idempotent (retried after any failure that is safe to retry once
 * nothing has effects). The mark overrides the proxy's own {@code idempotent} option.
 *
 * <pre>{@code
 * public interface CounterApi {
 *   @ReadOnly
 *   Counter get(KeyParams p);
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ReadOnly {}
