package io.keelrpc.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The seed's URL mix, reproducible from the seed, plus a timeout and a refused connection. */
class UrlProviderMixTest {
  private static final UrlProvider.Timing TIMING = new UrlProvider.Timing(List.of(1.0, 2.0), 3.0);

  private static UrlProvider provider(long seed) {
    return new UrlProvider("http://127.0.0.1:8080", 9, seed, 50, TIMING);
  }

  @Test
  void fiftyUrlsInTheSeedsProportions() {
    UrlProvider p = provider(42);

    Map<String, Long> kinds = p.allUrls().stream().collect(Collectors.groupingBy(
        u -> p.behavior(u).kind(), Collectors.counting()));
    assertThat(kinds).isEqualTo(Map.of("success_fast", 25L, "success_slow", 5L,
        "client_error", 7L, "server_error", 7L, "body_match", 2L, "slow_body", 2L,
        "timeout", 1L, "connection_refused", 1L));
    assertThat(p.allUrls()).doesNotHaveDuplicates().hasSize(p.total());
  }

  @Test
  void behavioursMatchTheUrls() {
    UrlProvider p = provider(42);

    for (String url : p.allUrls()) {
      UrlBehavior b = p.behavior(url);
      switch (b.kind()) {
        case "client_error", "server_error" ->
            assertThat(url).contains("/status/" + b.statusCode() + "?_id=");
        case "timeout" -> assertThat(url).contains("/delay/3?_id=");
        case "connection_refused" -> assertThat(url).startsWith("http://127.0.0.1:9/get");
        case "body_match" -> assertThat(b.bodyKeywords()).containsExactly("Herman");
        default -> assertThat(b.statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void sameSeedSameUrlsAndHandsEachOutOnce() {
    UrlProvider a = provider(7);
    assertThat(a.allUrls()).isEqualTo(provider(7).allUrls()).isNotEqualTo(provider(8).allUrls());

    List<String> handedOut = new java.util.ArrayList<>();
    for (String url; (url = a.nextUrl()) != null; ) {
      handedOut.add(url);
    }
    assertThat(handedOut).isEqualTo(a.allUrls());
    assertThat(a.remaining()).isZero();
    a.reset();
    assertThat(a.nextUrl()).isEqualTo(handedOut.get(0));
  }

  @Test
  void timingIsValidated() {
    assertThatThrownBy(() -> new UrlProvider.Timing(List.of(), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slowDelaysSeconds: [] (expected: at least one)");
    assertThatThrownBy(() -> new UrlProvider.Timing(List.of(1.0), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeoutDelaySeconds: 0.0 (expected: > 0)");
  }
}
