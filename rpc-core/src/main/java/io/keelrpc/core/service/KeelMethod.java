package io.keelrpc.core.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The wire name of one method of a service interface, replacing the default (the Java method
 * name, prefixed by the interface's {@link KeelService} if any). Use it to match an existing
 * service's names, or to tell two overloads apart (each wire name maps to one Java method).
 *
 * <pre>{@code
 * public interface KvApi {
 *   @KeelMethod("kv.get") @ReadOnly
 *   Entry get(GetParams p);
 * }
 * }</pre>
 *
 * <p>The name follows {@link io.keelrpc.core.MethodDescriptor}'s rules: 1 to 256 characters, no
 * whitespace or control characters.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface KeelMethod {
  /** The method's full wire name; no {@link KeelService} prefix is added to it. */
  String value();
}
