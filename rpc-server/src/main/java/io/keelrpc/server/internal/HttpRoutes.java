package io.keelrpc.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keelrpc.core.wire.MessageCodec;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP routes a server answers by itself, shared by its connections:
 *
 * <pre>
 * GET /health         {"status":"UP","live":true,"ready":true,...}  200; 503 while draining
 * GET /health/ready   the same
 * GET /health/live    {"status":"UP","live":true}                   200 while it answers at all
 * GET /metrics        the configured Prometheus text, 200; 404 when none is configured
 * </pre>
 *
 * <p>{@code HEAD} is answered like {@code GET}, without the body. Any other path is 404 and
 * another method 405 (with {@code Allow}), each with a JSON body naming the routes.
 * {@code POST /rpc} is the connection handler's.
 */
final class HttpRoutes {
  private static final Logger log = LoggerFactory.getLogger(HttpRoutes.class);
  static final String RPC = "/rpc";
  static final String HEALTH = "/health";
  static final String LIVE = "/health/live";
  static final String READY = "/health/ready";
  static final String METRICS = "/metrics";
  private static final String ROUTES = "POST /rpc, GET /health, GET /health/live, "
      + "GET /health/ready, GET /metrics";

  private final MessageCodec codec;
  private final Dispatcher dispatcher;
  private final ConnectionLimits limits;
  /** Null: not configured. */
  private final Supplier<String> metrics;

  HttpRoutes(MessageCodec codec, Dispatcher dispatcher, ConnectionLimits limits,
      Supplier<String> metrics) {
    this.codec = codec;
    this.dispatcher = dispatcher;
    this.limits = limits;
    this.metrics = metrics;
  }

  /** The answer to {@code method path}, for every path but {@link #RPC}. */
  FullHttpResponse get(String path, HttpMethod method) {
    boolean known = path.equals(HEALTH) || path.equals(LIVE) || path.equals(READY)
        || path.equals(METRICS);
    if (!known) {
      return HttpAnswers.error(codec, HttpResponseStatus.NOT_FOUND, "no route for " + method
          + " " + path + "; this server answers " + ROUTES);
    }
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      return methodNotAllowed(codec, path, method, "GET, HEAD");
    }
    return switch (path) {
      case LIVE -> HttpAnswers.json(codec, HttpResponseStatus.OK,
          codec.mapper().createObjectNode().put("status", "UP").put("live", true));
      case METRICS -> metrics();
      default -> health();
    };
  }

  /** 405 for {@code method path}, allowing {@code allowed}. */
  static FullHttpResponse methodNotAllowed(MessageCodec codec, String path, HttpMethod method,
      String allowed) {
    FullHttpResponse r = HttpAnswers.error(codec, HttpResponseStatus.METHOD_NOT_ALLOWED,
        method + " is not allowed on " + path + " (expected: " + allowed + ")");
    r.headers().set(HttpHeaderNames.ALLOW, allowed);
    return r;
  }

  private FullHttpResponse health() {
    boolean ready = !dispatcher.draining();
    ObjectNode body = codec.mapper().createObjectNode()
        .put("status", ready ? "UP" : "DRAINING")
        .put("live", true)
        .put("ready", ready)
        .put("draining", !ready)
        .put("openConnections", limits.openConnections())
        .put("callsInFlight", dispatcher.admitted());
    return HttpAnswers.json(codec,
        ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
  }

  private FullHttpResponse metrics() {
    if (metrics == null) {
      return HttpAnswers.error(codec, HttpResponseStatus.NOT_FOUND, "metrics are not configured "
          + "on this server; configure them with KeelServer.builder().metricsEndpoint(supplier), "
          + "e.g. metricsEndpoint(prometheusRegistry::scrape) with Micrometer's Prometheus "
          + "registry");
    }
    String text;
    try {
      text = metrics.get();
    } catch (RuntimeException e) {
      String ref = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
      log.warn("the metrics endpoint's supplier failed (ref {})", ref, e);
      return HttpAnswers.error(codec, HttpResponseStatus.INTERNAL_SERVER_ERROR,
          "the metrics supplier failed; see the server log, ref " + ref);
    }
    return HttpAnswers.text(HttpResponseStatus.OK, HttpAnswers.PROMETHEUS_TEXT,
        text == null ? "" : text);
  }
}
