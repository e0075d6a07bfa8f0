package io.keelrpc.core.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Prefixes the wire names of a service interface's methods: with {@code @KeelService("counter")}
 * the Java method {@code inc} is called {@code "counter.inc"} on the wire. Without it the wire
 * name is the Java method name. A method's own {@link KeelMethod} replaces the whole name, prefix
 * included.
 *
 * <pre>{@code
 * @KeelService("counter")
 * public interface CounterApi {
 *   Counter inc(IncParams p);          // "counter.inc"
 *   @KeelMethod("stats.get")
 *   Stats stats();                     // "stats.get"
 * }
 * }</pre>
 *
 * <p>The prefix must be non-empty and hold no whitespace or control characters. See the package
 * documentation for every mapping rule.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface KeelService {
  /** The prefix; {@code "counter"} gives wire names {@code "counter.<java method name>"}. */
  String value();
}
