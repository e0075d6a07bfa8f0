package io.keelrpc.examples.docs;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import java.time.Duration;

/** Calls {@code hello.greet}. */
public final class HelloClient {
  /** One call with a 2 s deadline; throws the typed {@code KeelException} on failure. */
  public static String greet(String host, int port, String name) {
    try (KeelClient client = KeelClient.builder().endpoint(host, port).build()) {
      HelloApi.Greeting greeting = client.call(HelloApi.GREET, new HelloApi.Greet(name),
          CallOptions.builder()
              .deadline(Duration.ofSeconds(2))            // the whole call, retries included
              .perAttemptTimeout(Duration.ofMillis(500))  // one attempt; read-only: retried
              .build());
      return greeting.text();
    }
  }

  /** {@code HelloClient [name]} against 127.0.0.1:7070. */
  public static void main(String[] args) {
    System.out.println(greet("127.0.0.1", 7070, args.length > 0 ? args[0] : "world"));
  }

  private HelloClient() {}
}
