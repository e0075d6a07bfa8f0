package com.example.greeter;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.KeelServer;

/**
 * A one-method greeter service on Keel, as another project would write it: the shared method
 * descriptor, the server, and a client call.
 */
public final class Greeter {
  /**
   * Params of {@code greet}.
   *
   * @param name who to greet; required and non-blank
   */
  public record Hello(String name) {}

  /**
   * The result of {@code greet}.
   *
   * @param message the greeting
   */
  public record Greeting(String message) {}

  /** {@code greet}: a pure function of its params, so the default retry rules apply. */
  public static final MethodDescriptor<Hello, Greeting> GREET =
      MethodDescriptor.of("greet", Hello.class, Greeting.class);

  private Greeter() {}

  /**
   * Starts a greeter server on {@code host}:{@code port} (port 0 picks a free one).
   *
   * @param host the address to bind
   * @param port the port to bind, or 0
   * @return the started server; close it to stop
   */
  public static KeelServer serve(String host, int port) {
    return KeelServer.builder()
        .host(host)
        .port(port)
        .handle(GREET, (hello, ctx) -> {
          if (hello == null || hello.name() == null || hello.name().isBlank()) {
            throw new InvalidParamsException("name is required");
          }
          return new Greeting("Hello, " + hello.name() + "!");
        })
        .start();
  }

  /**
   * Starts a server on a free loopback port, greets {@code args[0]} (default: world) through a
   * client, prints the reply and stops.
   *
   * @param args an optional name
   */
  public static void main(String[] args) {
    String name = args.length > 0 ? args[0] : "world";
    try (KeelServer server = serve("127.0.0.1", 0);
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      System.out.println(client.call(GREET, new Hello(name)).message());
    }
  }
}
