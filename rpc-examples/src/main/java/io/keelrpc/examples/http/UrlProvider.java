package io.keelrpc.examples.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Test URLs with known behaviours, as the seed's {@code URLProvider}, against a
 * {@link LocalHttpServer} instead of httpbin.org. Of {@code count} URLs, as in the seed: 50% fast
 * successes ({@code /get}), 10% slow successes ({@code /delay/N}, N drawn from the slow delays),
 * 15% client errors ({@code /status/400|401|403|404}), 15% server errors
 * ({@code /status/500|502|503}), 5% body matches ({@code /html}, "Herman"), and max(1, 5%) slow
 * pages ({@code /delay/D}, D the first slow delay). Two rows of the seed's matrix that its
 * provider does not generate are added: max(1, 2%) timeouts ({@code /delay/T} with T beyond the
 * client's timeout) and one connection refused (a loopback port nothing listens on). The list
 * is shuffled with the seed and each URL made unique with {@code ?_id=N}.
 *
 * <pre>{@code
 * UrlProvider provider = new UrlProvider(server.baseUrl(), LocalHttpServer.unusedPort(), 42, 50,
 *     UrlProvider.Timing.SEED);
 * for (String url; (url = provider.nextUrl()) != null; ) { ... provider.behavior(url) ... }
 * }</pre>
 */
public final class UrlProvider {
  /** The seed's default number of URLs. */
  public static final int DEFAULT_URL_COUNT = 50;

  /**
   * The delays the URLs ask the server for.
   *
   * @param slowDelaysSeconds the delays of slow successes, drawn at random (the seed: 1 or 2 s)
   * @param timeoutDelaySeconds the delay of timeout URLs: longer than the client's per-attempt
   *     timeout
   */
  public record Timing(List<Double> slowDelaysSeconds, double timeoutDelaySeconds) {
    /** The seed's slow delays of 1 and 2 s, and timeouts of 6 s (beyond its 5 s timeout). */
    public static final Timing SEED = new Timing(List.of(1.0, 2.0), 6.0);

    /** Copies the list; checks the delays are positive. */
    public Timing {
      slowDelaysSeconds = List.copyOf(slowDelaysSeconds);
      if (slowDelaysSeconds.isEmpty()) {
        throw new IllegalArgumentException("slowDelaysSeconds: [] (expected: at least one)");
      }
      for (double d : slowDelaysSeconds) {
        if (!(d > 0)) {
          throw new IllegalArgumentException("slowDelaysSeconds: " + d + " (expected: > 0)");
        }
      }
      if (!(timeoutDelaySeconds > 0)) {
        throw new IllegalArgumentException(
            "timeoutDelaySeconds: " + timeoutDelaySeconds + " (expected: > 0)");
      }
    }
  }

  private final List<String> urls = new ArrayList<>();
  private final Map<String, UrlBehavior> behaviors = new LinkedHashMap<>();
  private int index;

  /**
   * Generates the URLs.
   *
   * @param baseUrl the {@link LocalHttpServer}'s base URL
   * @param refusedPort a loopback port nothing listens on
   * @param seed the seed of the random choices and the shuffle
   * @param count the number of URLs to aim for (as in the seed, rounding makes it a little less)
   * @param timing the delays to ask for
   */
  public UrlProvider(String baseUrl, int refusedPort, long seed, int count, Timing timing) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(timing, "timing");
    if (count < 1) {
      throw new IllegalArgumentException("count: " + count + " (expected: >= 1)");
    }
    Random rng = new Random(seed);
    List<String[]> specs = new ArrayList<>();
    for (int i = 0; i < (int) (count * 0.50); i++) {
      specs.add(new String[] {"success_fast", baseUrl + "/get"});
    }
    for (int i = 0; i < (int) (count * 0.10); i++) {
      specs.add(new String[] {"success_slow", baseUrl + "/delay/"
          + seconds(timing.slowDelaysSeconds().get(rng.nextInt(timing.slowDelaysSeconds().size())))});
    }
    int[] clientCodes = {400, 401, 403, 404};
    for (int i = 0; i < (int) (count * 0.15); i++) {
      specs.add(new String[] {"client_error",
          baseUrl + "/status/" + clientCodes[rng.nextInt(clientCodes.length)]});
    }
    int[] serverCodes = {500, 502, 503};
    for (int i = 0; i < (int) (count * 0.15); i++) {
      specs.add(new String[] {"server_error",
          baseUrl + "/status/" + serverCodes[rng.nextInt(serverCodes.length)]});
    }
    for (int i = 0; i < (int) (count * 0.05); i++) {
      specs.add(new String[] {"body_match", baseUrl + "/html"});
    }
    for (int i = 0; i < Math.max(1, (int) (count * 0.05)); i++) {
      specs.add(new String[] {"slow_body",
          baseUrl + "/delay/" + seconds(timing.slowDelaysSeconds().get(0))});
    }
    for (int i = 0; i < Math.max(1, (int) (count * 0.02)); i++) {
      specs.add(new String[] {"timeout", baseUrl + "/delay/" + seconds(timing.timeoutDelaySeconds())});
    }
    specs.add(new String[] {"connection_refused", "http://127.0.0.1:" + refusedPort + "/get"});
    Collections.shuffle(specs, rng);
    for (String[] spec : specs) {
      String unique = spec[1] + "?_id=" + urls.size();
      urls.add(unique);
      behaviors.put(unique, behavior(spec[0], spec[1]));
    }
  }

  private static String seconds(double s) {
    return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
  }

  private static UrlBehavior behavior(String kind, String url) {
    switch (kind) {
      case "success_fast":
        return new UrlBehavior(kind, 200, 0, false, List.of("on_success"), List.of(), null);
      case "success_slow":
      case "slow_body":
        return new UrlBehavior(kind, 200, 1000, false,
            List.of("on_success", "on_slow_response"), List.of(), null);
      case "client_error":
        return new UrlBehavior(kind, statusOf(url), 0, false, List.of("on_client_error"),
            List.of(), null);
      case "server_error":
        return new UrlBehavior(kind, statusOf(url), 0, true,
            List.of("on_server_error", "on_retry"), List.of(), null);
      case "body_match":
        return new UrlBehavior(kind, 200, 0, false, List.of("on_success", "on_body_match"),
            List.of("Herman"), null);
      case "timeout":
        return new UrlBehavior(kind, null, 0, true, List.of("on_timeout", "on_retry"), List.of(),
            "timeout");
      case "connection_refused":
        return new UrlBehavior(kind, null, 0, true, List.of("on_connection_error", "on_retry"),
            List.of(), "connection");
      default:
        throw new AssertionError(kind);
    }
  }

  private static int statusOf(String url) {
    return Integer.parseInt(url.substring(url.lastIndexOf('/') + 1));
  }

  /** The next URL to fetch, or {@code null} when all were handed out. */
  public synchronized String nextUrl() {
    return index < urls.size() ? urls.get(index++) : null;
  }

  /** The expected behaviour of {@code url}, or {@code null} if it is not one of these URLs. */
  public UrlBehavior behavior(String url) {
    return behaviors.get(url);
  }

  /** URLs not handed out yet. */
  public synchronized int remaining() {
    return urls.size() - index;
  }

  /** All URLs. */
  public int total() {
    return urls.size();
  }

  /** Starts handing out from the first URL again. */
  public synchronized void reset() {
    index = 0;
  }

  /** Every URL, in order (for validation). */
  public List<String> allUrls() {
    return List.copyOf(urls);
  }
}
