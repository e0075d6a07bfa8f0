package io.keelrpc.examples.docs;

import io.keelrpc.core.MethodDescriptor;

/** What the server and its clients share: the method's wire name, params and result types. */
public final class HelloApi {
  /** The params: {@code {"name": "Ada"}}. */
  public record Greet(String name) {}

  /** The result: {@code {"text": "Hello, Ada!"}}. */
  public record Greeting(String text) {}

  /** {@code hello.greet}; read-only (no effects), so clients may retry it after any failure. */
  public static final MethodDescriptor<Greet, Greeting> GREET =
      MethodDescriptor.of("hello.greet", Greet.class, Greeting.class).asReadOnly();

  private HelloApi() {}
}
