package io.keelrpc.examples.load;

import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.KeelServer;

/** The load generator's method: {@code echo({"payload": "..."})} answers its params unchanged. */
public final class EchoService {
  /**
   * Params and result of {@code echo}.
   *
   * @param payload any string; the load generator sends {@code --payload-bytes} ASCII characters
   */
  public record Echo(String payload) {}

  /**
   * {@code echo}: deliberately not read-only, so that every call goes through the server's
   * idempotency cache when it is on; that cost is what {@code --cache on|off} compares.
   */
  public static final MethodDescriptor<Echo, Echo> ECHO =
      MethodDescriptor.of("echo", Echo.class, Echo.class);

  private EchoService() {}

  /** Registers {@code echo} as a synchronous handler (the worker pool, as most handlers run). */
  public static KeelServer.Builder registerOn(KeelServer.Builder server) {
    return server.handle(ECHO, (p, ctx) -> p);
  }
}
