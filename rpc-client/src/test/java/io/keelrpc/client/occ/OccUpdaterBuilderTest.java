package io.keelrpc.client.occ;

import static io.keelrpc.client.occ.OccFixtures.INCREMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.Deadline;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.core.time.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Builder defaults and validation, argument checks, and the default writer ids. */
class OccUpdaterBuilderTest {
  private final FakeClock clock = new FakeClock();
  private final ScriptedStore<Long> store = new ScriptedStore<>();

  @Test
  void defaultsAreTenNetworkRetriesWithTheDefaultBackoff() {
    OccUpdater updater = OccUpdater.ofDefaults();

    assertThat(updater.maxNetworkRetries()).isEqualTo(10)
        .isEqualTo(OccUpdater.DEFAULT_MAX_NETWORK_RETRIES);
    assertThat(updater.networkBackoff()).isSameAs(RetryPolicy.ofDefaults());
  }

  @Test
  void negativeMaxNetworkRetriesIsRejectedWithTheValueAndTheLimit() {
    assertThatThrownBy(() -> OccUpdater.builder().maxNetworkRetries(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxNetworkRetries: -1 (expected: >= 0)");
  }

  @Test
  void nullSettingsAreRejectedWithTheirName() {
    OccUpdater.Builder b = OccUpdater.builder();
    assertThatThrownBy(() -> b.networkBackoff(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("policy");
    assertThatThrownBy(() -> b.ticker(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("ticker");
    assertThatThrownBy(() -> b.scheduler(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("scheduler");
    assertThatThrownBy(() -> b.random(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("random");
    assertThatThrownBy(() -> b.writerIds(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("writerIds");
  }

  @Test
  void nullArgumentsOfAnUpdateAreRejectedBeforeAnyCall() {
    OccUpdater updater = OccFixtures.virtualTime(clock).build();
    Deadline d = Deadline.after(Duration.ofSeconds(1), clock);

    assertThatThrownBy(() -> updater.update(null, "k", INCREMENT, d))
        .isInstanceOf(NullPointerException.class).hasMessage("store");
    assertThatThrownBy(() -> updater.update(store, null, INCREMENT, d))
        .isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> updater.update(store, "k", null, d))
        .isInstanceOf(NullPointerException.class).hasMessage("compute");
    assertThatThrownBy(() -> updater.update(store, "k", INCREMENT, (Deadline) null))
        .isInstanceOf(NullPointerException.class).hasMessage("deadline");
    assertThatThrownBy(() -> updater.update(store, "k", INCREMENT, (Duration) null))
        .isInstanceOf(NullPointerException.class).hasMessage("timeout");
    assertThat(store.calls()).isEmpty();
  }

  @Test
  void writerIdSupplierReturningNullIsRejectedBeforeAnyCall() {
    OccUpdater updater = OccFixtures.virtualTime(clock).writerIds(() -> null).build();

    assertThatThrownBy(() -> updater.start(store, "k", INCREMENT,
        Deadline.after(Duration.ofSeconds(1), clock)))
        .isInstanceOf(NullPointerException.class).hasMessage("writerIds returned null");
    assertThat(store.calls()).isEmpty();
  }

  @Test
  void defaultWriterIdsShareARandomPrefixPerUpdaterAndCount() {
    OccUpdater one = OccUpdater.builder().ticker(clock).scheduler(clock).build();
    OccUpdater two = OccUpdater.builder().ticker(clock).scheduler(clock).build();
    Deadline d = Deadline.after(Duration.ofSeconds(1), clock);

    List<String> ids = List.of(one.start(store, "k", INCREMENT, d).writerId(),
        one.start(store, "k", INCREMENT, d).writerId(),
        two.start(store, "k", INCREMENT, d).writerId());

    assertThat(ids).allMatch(id -> id.matches("[0-9a-f]{16}-[0-9]+"));
    assertThat(ids.get(0)).endsWith("-1");
    assertThat(ids.get(1)).isEqualTo(ids.get(0).replaceAll("-1$", "-2"));
    assertThat(ids.get(2).substring(0, 16)).isNotEqualTo(ids.get(0).substring(0, 16));
  }

  @Test
  void defaultSchedulerAndTickerRunAnUpdate() {
    OccUpdater updater = OccUpdater.ofDefaults();

    CompletableFuture<OccResult<Long>> f =
        updater.update(store, "k", INCREMENT, Deadline.after(Duration.ofSeconds(30),
            Ticker.system()));

    assertThat(OccFixtures.await(f).written().value()).isEqualTo(1L);
  }

  @Test
  void resultRejectsNegativeCounts() {
    Versioned<Long> v = new Versioned<>(1L, 1, "w");
    assertThatThrownBy(() -> new OccResult<>(v, -1, 0, 0, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("conflicts: -1 (expected: >= 0)");
    assertThatThrownBy(() -> new OccResult<>(null, 0, 0, 0, false))
        .isInstanceOf(NullPointerException.class).hasMessage("written");
  }
}
