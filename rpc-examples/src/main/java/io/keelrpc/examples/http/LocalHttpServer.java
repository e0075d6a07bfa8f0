package io.keelrpc.examples.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small httpbin look-alike on loopback, so that the robust HTTP client of seed {@code 001} runs
 * without the internet. It answers:
 *
 * <ul>
 *   <li>{@code GET /get}: 200 with a small JSON body, at once;</li>
 *   <li>{@code GET /delay/N}: 200 after {@code N} seconds ({@code N} may be a decimal, e.g.
 *       {@code 0.2}, at most 60), without holding a thread while it waits;</li>
 *   <li>{@code GET /status/CODE}: status {@code CODE} (200..599);</li>
 *   <li>{@code GET /html}: 200 with an HTML page that contains "Herman Melville";</li>
 *   <li>{@code GET /flaky/P}: 503 with probability {@code P} percent, else 200, decided by a
 *       random generator seeded at start, so a run replays;</li>
 *   <li>a bad argument: 400; anything else: 404.</li>
 * </ul>
 *
 * <p>Query strings are ignored (the URL provider adds {@code ?_id=N} to make URLs unique). Every
 * request is counted by its first path segment.
 *
 * <pre>{@code
 * try (LocalHttpServer server = LocalHttpServer.start(42)) {
 *   String url = server.baseUrl() + "/status/503";
 * }
 * }</pre>
 */
public final class LocalHttpServer implements AutoCloseable {
  /** The page {@code /html} serves; like httpbin's, it names Herman Melville. */
  static final String HTML = "<!DOCTYPE html>\n<html>\n<head></head>\n<body>\n"
      + "<h1>Herman Melville - Moby-Dick</h1>\n<div><p>Availing himself of the mild, summer-cool "
      + "weather that now reigned in these latitudes, ...</p></div>\n</body>\n</html>\n";

  private static final double MAX_DELAY_SECONDS = 60;

  static {
    // The JDK's server writes a response's headers and body separately; without TCP_NODELAY the
    // body waits for the client's delayed ACK (about 40 ms on Linux) on every request. The JDK
    // reads this property once, when its first HttpServer starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScheduledExecutorService delays;
  private final Random flaky;
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

  private LocalHttpServer(long seed) throws IOException {
    this.flaky = new Random(seed);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    this.handlers = Executors.newFixedThreadPool(8, r -> daemon(r, "local-http"));
    this.delays = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "local-http-delay"));
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts a server on a free loopback port.
   *
   * @param seed the seed of {@code /flaky}'s decisions
   */
  public static LocalHttpServer start(long seed) {
    try {
      return new LocalHttpServer(seed);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the local HTTP server", e);
    }
  }

  /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Requests received whose path starts with {@code /segment} ({@code "status"}, ...). */
  public int requests(String segment) {
    AtomicInteger n = requests.get(segment);
    return n == null ? 0 : n.get();
  }

  /** A loopback port that nothing listens on (just now), for connection-refused URLs. */
  public static int unusedPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    delays.shutdownNow();
    handlers.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    String[] parts = ex.getRequestURI().getPath().split("/");
    String segment = parts.length > 1 ? parts[1] : "";
    String arg = parts.length > 2 ? parts[2] : null;
    requests.computeIfAbsent(segment, k -> new AtomicInteger()).incrementAndGet();
    if (arg == null && (segment.equals("status") || segment.equals("delay")
        || segment.equals("flaky"))) {
      respond(ex, 400, "text/plain", "missing argument\n");
      return;
    }
    try {
      switch (segment) {
        case "get":
          respond(ex, 200, "application/json", json(ex));
          break;
        case "html":
          respond(ex, 200, "text/html; charset=utf-8", HTML);
          break;
        case "status":
          int code = Integer.parseInt(arg);
          if (code < 200 || code > 599) {
            throw new NumberFormatException(arg);
          }
          respond(ex, code, "text/plain", code >= 400 ? "status " + code + "\n" : "");
          break;
        case "delay":
          double seconds = Double.parseDouble(arg);
          if (!(seconds >= 0 && seconds <= MAX_DELAY_SECONDS)) {
            throw new NumberFormatException(arg);
          }
          String body = json(ex);
          delays.schedule(() -> respondQuietly(ex, 200, "application/json", body),
              Math.round(seconds * 1000), TimeUnit.MILLISECONDS);
          break;
        case "flaky":
          double percent = Double.parseDouble(arg);
          boolean fail;
          synchronized (flaky) {
            fail = flaky.nextDouble() * 100 < percent;
          }
          respond(ex, fail ? 503 : 200, "text/plain", fail ? "flaky: failed\n" : "flaky: ok\n");
          break;
        default:
          respond(ex, 404, "text/plain", "not found\n");
      }
    } catch (NumberFormatException e) {
      respond(ex, 400, "text/plain", "bad argument: " + arg + "\n");
    }
  }

  private static String json(HttpExchange ex) {
    return "{\"url\": \"" + ex.getRequestURI() + "\", \"origin\": \"127.0.0.1\"}\n";
  }

  private static void respondQuietly(HttpExchange ex, int status, String type, String body) {
    try {
      respond(ex, status, type, body);
    } catch (IOException e) {
      ex.close(); // the client gave up on the request
    }
  }

  private static void respond(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
