package io.keelrpc.examples.docs;

import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.server.KeelServer;
import java.util.concurrent.CountDownLatch;

/** Serves {@code hello.greet}. */
public final class HelloServer {
  /** Starts serving on 127.0.0.1:{@code port}; 0 picks a free port ({@code server.port()}). */
  public static KeelServer start(int port) {
    return KeelServer.builder()
        .port(port)
        .handle(HelloApi.GREET, (p, ctx) -> {
          if (p.name() == null || p.name().isBlank()) {
            throw new InvalidParamsException("name: missing (expected: a non-blank string)");
          }
          return new HelloApi.Greeting("Hello, " + p.name() + "!");
        })
        .start();
  }

  /** Serves on port 7070 until Ctrl+C, then shuts down gracefully. */
  public static void main(String[] args) throws InterruptedException {
    KeelServer server = start(7070);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("listening on 127.0.0.1:" + server.port());
    new CountDownLatch(1).await();
  }

  private HelloServer() {}
}
