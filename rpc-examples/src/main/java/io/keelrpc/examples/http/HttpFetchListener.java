package io.keelrpc.examples.http;

import io.keelrpc.core.policy.CallListener;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link CallListener} that also hears the one callback of seed {@code 001} that is specific to
 * HTTP: a successful body containing a monitored keyword ({@code on_body_match}), fired right
 * after the success, in addition to it. Shows how an application extends Keel's listener without
 * Keel knowing: the {@link RobustHttpClient} calls {@link #onBodyMatch} on the listeners that
 * implement this interface.
 *
 * <pre>{@code
 * RobustHttpClient client = RobustHttpClient.builder()
 *     .listener(HttpFetchListener.onBodyMatch(m -> System.out.println(m.url() + ": " + m.keyword())))
 *     .build();
 * }</pre>
 */
public interface HttpFetchListener extends CallListener {
  /**
   * A successful body contained a monitored keyword.
   *
   * @param url the URL fetched
   * @param keyword the keyword found
   */
  record BodyMatchEvent(String url, String keyword) {}

  /** A successful body contained a monitored keyword; fired once per keyword found. */
  default void onBodyMatch(BodyMatchEvent event) {}

  /** A listener of body matches only. */
  static HttpFetchListener onBodyMatch(Consumer<? super BodyMatchEvent> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    return new HttpFetchListener() {
      @Override
      public void onBodyMatch(BodyMatchEvent event) {
        consumer.accept(event);
      }
    };
  }
}
