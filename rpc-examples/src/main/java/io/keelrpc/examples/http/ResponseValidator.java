package io.keelrpc.examples.http;

import io.keelrpc.core.policy.ClientErrorEvent;
import io.keelrpc.core.policy.ConnectionErrorEvent;
import io.keelrpc.core.policy.RetriesExhaustedEvent;
import io.keelrpc.core.policy.RetryEvent;
import io.keelrpc.core.policy.ServerErrorEvent;
import io.keelrpc.core.policy.SlowResponseEvent;
import io.keelrpc.core.policy.SuccessEvent;
import io.keelrpc.core.policy.TimeoutEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Checks that the client invoked the right callbacks for each URL, as the seed's
 * {@code ResponseValidator}: it records the callbacks by their seed names ({@code on_success},
 * {@code on_slow_response}, {@code on_client_error}, {@code on_server_error}, {@code on_timeout},
 * {@code on_connection_error}, {@code on_retry}, {@code on_max_retries}, {@code on_body_match})
 * and passes a URL when every expected callback other than {@code on_retry} and
 * {@code on_max_retries} was recorded for it. Attach it to the client as a listener.
 *
 * <pre>{@code
 * ResponseValidator validator = new ResponseValidator(provider);
 * RobustHttpClient client = RobustHttpClient.builder().listener(validator).build();
 * client.fetchAll(provider, 8);
 * ResponseValidator.Result result = validator.validate();
 * }</pre>
 */
public final class ResponseValidator implements HttpFetchListener {
  /** The callbacks a URL may lack: retries are optional. */
  private static final Set<String> OPTIONAL = Set.of("on_retry", "on_max_retries");

  /**
   * One URL that missed a required callback.
   *
   * @param url the URL
   * @param expected the callbacks it should have fired
   * @param recorded the callbacks it fired
   * @param missing the required callbacks it did not fire
   */
  public record Failure(String url, Set<String> expected, Set<String> recorded,
      Set<String> missing) {}

  /**
   * The outcome of {@link #validate()}.
   *
   * @param total the provider's URLs
   * @param passed URLs that fired every required callback
   * @param failed URLs that did not
   * @param failures what each failed URL missed
   */
  public record Result(int total, int passed, int failed, List<Failure> failures) {}

  private final UrlProvider provider;
  private final Map<String, List<String>> recorded = new ConcurrentHashMap<>();

  /** A validator of {@code provider}'s URLs. */
  public ResponseValidator(UrlProvider provider) {
    this.provider = provider;
  }

  /** Records that {@code callback} fired for {@code url}. */
  public void addCallback(String url, String callback) {
    recorded.computeIfAbsent(url, k -> new CopyOnWriteArrayList<>()).add(callback);
  }

  /** The callbacks recorded for {@code url}, in order. */
  public List<String> recorded(String url) {
    return List.copyOf(recorded.getOrDefault(url, List.of()));
  }

  /** Checks every URL of the provider. */
  public Result validate() {
    List<Failure> failures = new ArrayList<>();
    int passed = 0;
    for (String url : provider.allUrls()) {
      UrlBehavior b = provider.behavior(url);
      Set<String> got = new TreeSet<>(recorded.getOrDefault(url, List.of()));
      Set<String> expected = new LinkedHashSet<>(b == null ? List.of() : b.expectedCallbacks());
      Set<String> missing = new TreeSet<>(expected);
      missing.removeAll(OPTIONAL);
      missing.removeAll(got);
      if (missing.isEmpty()) {
        passed++;
      } else {
        failures.add(new Failure(url, expected, got, missing));
      }
    }
    return new Result(provider.total(), passed, failures.size(), List.copyOf(failures));
  }

  @Override
  public void onSuccess(SuccessEvent e) {
    addCallback(e.name(), "on_success");
  }

  @Override
  public void onSlowResponse(SlowResponseEvent e) {
    addCallback(e.name(), "on_slow_response");
  }

  @Override
  public void onClientError(ClientErrorEvent e) {
    addCallback(e.name(), "on_client_error");
  }

  @Override
  public void onServerError(ServerErrorEvent e) {
    addCallback(e.name(), "on_server_error");
  }

  @Override
  public void onTimeout(TimeoutEvent e) {
    addCallback(e.name(), "on_timeout");
  }

  @Override
  public void onConnectionError(ConnectionErrorEvent e) {
    addCallback(e.name(), "on_connection_error");
  }

  @Override
  public void onRetry(RetryEvent e) {
    addCallback(e.name(), "on_retry");
  }

  @Override
  public void onRetriesExhausted(RetriesExhaustedEvent e) {
    addCallback(e.name(), "on_max_retries");
  }

  @Override
  public void onBodyMatch(BodyMatchEvent e) {
    addCallback(e.url(), "on_body_match");
  }
}
