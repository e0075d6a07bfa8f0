package io.keelrpc.client.occ;

import io.keelrpc.client.occ.internal.DaemonScheduler;
import io.keelrpc.client.occ.internal.Settings;
import io.keelrpc.client.occ.internal.UpdateRun;
import io.keelrpc.client.occ.internal.WriterIds;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.time.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Runs read-compute-write updates against a {@link VersionedStore} with optimistic concurrency:
 * conflicts are retried without limit, network failures a limited number of times, and a write
 * whose answer was lost is recognised as applied instead of being applied twice.
 *
 * <p>One update reads the key's value and version, computes the new value, and writes it naming
 * the version it read. The store refuses the write if another writer got there first; the update
 * then reads again and recomputes. Every write of one logical update carries the same unique
 * writer id, so when a retry is refused with a VERSION_MISMATCH that
 * {@linkplain io.keelrpc.core.occ.VersionMismatchException#provesApplied(String) proves} that
 * writer id was applied, the update is complete: its earlier, ambiguous attempt went through.
 *
 * <table>
 *   <caption>What each failure does</caption>
 *   <tr><th>failure</th><th>action</th><th>limit</th></tr>
 *   <tr><td>VERSION_MISMATCH proving the writer id applied</td>
 *       <td>succeed without writing again</td><td>-</td></tr>
 *   <tr><td>VERSION_MISMATCH (a conflict)</td><td>re-read, recompute, write</td>
 *       <td>none but the deadline</td></tr>
 *   <tr><td>KEY_EXISTS on a create</td><td>re-read, recompute, write as an update</td>
 *       <td>none but the deadline</td></tr>
 *   <tr><td>KEY_NOT_FOUND on an update (or a read)</td><td>recompute from {@code null}, write as
 *       a create</td><td>none but the deadline</td></tr>
 *   <tr><td>network failure of a read or a write</td><td>wait a jittered backoff, send the same
 *       call again (a write with the same value, expected version and writer id)</td>
 *       <td>{@link Builder#maxNetworkRetries(int) maxNetworkRetries} per store call, and the
 *       deadline</td></tr>
 *   <tr><td>any other application error, or a {@link io.keelrpc.core.KeelException} whose
 *       {@link io.keelrpc.core.KeelException#retrySafety() retry safety} is {@code NEVER}</td>
 *       <td>fail the update</td><td>-</td></tr>
 * </table>
 *
 * <p>A "network failure" is any failure of a store call that is neither a store's refusal (an
 * {@link io.keelrpc.core.ApplicationException}) nor a {@code NEVER}-retry Keel failure: a
 * {@link io.keelrpc.core.TransportException}, an attempt timeout, OVERLOADED, an
 * {@link java.io.IOException}, and any other exception a store adapter reports — except errors,
 * {@link java.util.concurrent.CancellationException} and the usual programming errors
 * ({@code NullPointerException}, {@code IllegalArgumentException}, {@code IllegalStateException},
 * {@code ClassCastException}, {@code UnsupportedOperationException}), which fail the update. An
 * exception thrown by the compute function fails the update too.
 *
 * <p>Usage: increment a counter.
 *
 * <pre>{@code
 * OccUpdater updater = OccUpdater.builder()
 *     .maxNetworkRetries(10)                              // per store call; the default
 *     .build();
 * VersionedStore<Long> counters = ...;                    // e.g. an adapter over a KV service
 *
 * OccResult<Long> r = updater
 *     .update(counters, "visits", n -> n == null ? 1L : n + 1, Duration.ofSeconds(5))
 *     .join();
 * long visits = r.written().value();
 * long version = r.written().version();
 * }</pre>
 *
 * <p>The compute function receives the current value ({@code null} if the key is absent), may run
 * several times (once per conflict), must not return {@code null} and should have no side
 * effects. Updates hold no locks while they call the store; store futures may complete on any
 * thread. An updater is immutable and thread-safe; share one per process.
 */
public final class OccUpdater {
  /** Default {@link Builder#maxNetworkRetries(int)}: 10 retries per store call (the seed's). */
  public static final int DEFAULT_MAX_NETWORK_RETRIES = 10;

  private final Settings settings;
  private final Ticker ticker;
  private final Supplier<String> writerIds;

  private OccUpdater(Builder b) {
    this.settings = new Settings(b.maxNetworkRetries, b.networkBackoff,
        b.scheduler != null ? b.scheduler : DaemonScheduler.shared(), b.random);
    this.ticker = b.ticker;
    this.writerIds = b.writerIds != null ? b.writerIds : WriterIds.randomPrefixAndCounter();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** An updater with the defaults. */
  public static OccUpdater ofDefaults() {
    return builder().build();
  }

  /**
   * Starts one logical update of {@code key} and returns its handle.
   *
   * @param compute the new value from the current one ({@code null} if the key is absent)
   * @param deadline when to give up; every wait and store call must fit before it
   * @throws NullPointerException if an argument is null or the writer id supplier returns null
   */
  public <V> OccUpdate<V> start(VersionedStore<V> store, String key, UnaryOperator<V> compute,
      Deadline deadline) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(compute, "compute");
    Objects.requireNonNull(deadline, "deadline");
    String writerId = Objects.requireNonNull(writerIds.get(), "writerIds returned null");
    UpdateRun<V> run = new UpdateRun<>(settings, store, key, compute, deadline, writerId);
    run.start();
    return run;
  }

  /**
   * Updates {@code key}: {@link #start(VersionedStore, String, UnaryOperator, Deadline) start}
   * and return the result future. Cancelling the future stops the update.
   */
  public <V> CompletableFuture<OccResult<V>> update(VersionedStore<V> store, String key,
      UnaryOperator<V> compute, Deadline deadline) {
    return start(store, key, compute, deadline).result();
  }

  /**
   * Updates {@code key} within {@code timeout} from now on the updater's
   * {@link Builder#ticker(Ticker) ticker}.
   */
  public <V> CompletableFuture<OccResult<V>> update(VersionedStore<V> store, String key,
      UnaryOperator<V> compute, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return update(store, key, compute, Deadline.after(timeout, ticker));
  }

  /** Retries of one store call after network failures. */
  public int maxNetworkRetries() {
    return settings.maxNetworkRetries();
  }

  /** The waits between network retries. */
  public RetryPolicy networkBackoff() {
    return settings.networkBackoff();
  }

  @Override
  public String toString() {
    return "OccUpdater{maxNetworkRetries=" + settings.maxNetworkRetries() + ", networkBackoff="
        + settings.networkBackoff() + "}";
  }

  /** Configures an {@link OccUpdater}. Each setter validates its argument at once. */
  public static final class Builder {
    private int maxNetworkRetries = DEFAULT_MAX_NETWORK_RETRIES;
    private RetryPolicy networkBackoff = RetryPolicy.ofDefaults();
    private Ticker ticker = Ticker.system();
    private Scheduler scheduler;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private Supplier<String> writerIds;

    private Builder() {}

    /**
     * How many times one store call (a read, or one write with its value, expected version and
     * writer id) is sent again after network failures in a row (default 10); 0 disables network
     * retries. The count starts over whenever the store answers. Conflicts and mode switches are
     * not network failures and have no limit but the deadline.
     */
    public Builder maxNetworkRetries(int maxNetworkRetries) {
      if (maxNetworkRetries < 0) {
        throw new IllegalArgumentException(
            "maxNetworkRetries: " + maxNetworkRetries + " (expected: >= 0)");
      }
      this.maxNetworkRetries = maxNetworkRetries;
      return this;
    }

    /**
     * The waits between network retries (default {@link RetryPolicy#ofDefaults()}: 50 ms doubling
     * to at most 5 s, full jitter): retry {@code n} of a call waits
     * {@code policy.backoffNanos(n, previous, random)}. Only the policy's backoff settings are
     * used; its {@code maxAttempts} is not — {@link #maxNetworkRetries(int)} bounds the retries.
     * A wait that would end past the deadline is not started: the update fails at once.
     */
    public Builder networkBackoff(RetryPolicy policy) {
      this.networkBackoff = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The time source for {@link OccUpdater#update(VersionedStore, String, UnaryOperator,
     * Duration)}'s timeouts (default the system ticker). Use the same fake as the scheduler's to
     * run on virtual time.
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Where backoff waits and deadline timers are scheduled (default a shared daemon thread named
     * {@code keel-occ-scheduler}). Its tasks issue the next store call after a wait, so a store
     * whose {@code read}/{@code write} block before returning their future should be given a
     * scheduler of its own.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The source of uniform numbers in [0, 1) for jitter (default thread-local random). */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Where each logical update gets its writer id (default a random 64-bit prefix per updater
     * and a counter, e.g. {@code "9f1c04d2a7b3e815-42"}). Every id must be unique among all
     * writers of the store for as long as the store remembers writer ids: a repeated id would
     * make an update look already applied.
     */
    public Builder writerIds(Supplier<String> writerIds) {
      this.writerIds = Objects.requireNonNull(writerIds, "writerIds");
      return this;
    }

    /** The updater. */
    public OccUpdater build() {
      return new OccUpdater(this);
    }
  }
}
