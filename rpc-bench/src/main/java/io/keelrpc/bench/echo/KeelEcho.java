package io.keelrpc.bench.echo;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.KeelServer;
import java.time.Duration;

/**
 * Keel itself: {@code echo({"payload": "..."})} registered with {@code handleNonBlocking} (the
 * handler runs on the server's I/O thread, Keel's counterpart of gRPC's direct executor), called
 * through one {@link KeelClient} with its defaults (10 s deadline, default retry policy).
 *
 * <p>The method is deliberately not read-only, so with the idempotency cache on every call is
 * recorded in it (the client gives every call a unique string id); that cost is what
 * {@code keel-cache} vs {@code keel-nocache} shows.
 */
public final class KeelEcho {
  /** Params and result of {@code echo}. */
  public record Echo(String payload) {}

  /** {@code echo}: answers its params unchanged. */
  public static final MethodDescriptor<Echo, Echo> ECHO =
      MethodDescriptor.of("echo", Echo.class, Echo.class);

  private KeelEcho() {}

  /** Starts a Keel echo server on {@code 127.0.0.1:port} (0 for any free port). */
  public static EchoServer startServer(int port, boolean idempotencyCache) {
    KeelServer server = KeelServer.builder()
        .host("127.0.0.1")
        .port(port)
        .idempotency(idempotencyCache)
        .shutdownGracePeriod(Duration.ofSeconds(1))
        .handleNonBlocking(ECHO, (p, ctx) -> p)
        .start();
    return new EchoServer() {
      @Override
      public int port() {
        return server.port();
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }

  /** A client of one connection to {@code 127.0.0.1:port}. */
  public static EchoClient connect(String host, int port) {
    KeelClient client = KeelClient.builder().endpoint(host, port).build();
    return new EchoClient() {
      // The Echo object of the last payload, so that a run does not allocate one per call.
      private volatile Echo last = new Echo("");

      @Override
      public void call(Payload payload, Listener listener) {
        Echo request = last;
        if (!request.payload().equals(payload.text())) {
          request = new Echo(payload.text());
          last = request;
        }
        String expected = request.payload();
        client.callAsync(ECHO, request).whenComplete((reply, failure) -> {
          if (failure != null) {
            listener.done(failure);
          } else if (reply == null || !expected.equals(reply.payload())) {
            listener.done(new EchoMismatchException("keel: the answer's payload differs"));
          } else {
            listener.done(null);
          }
        });
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }
}
