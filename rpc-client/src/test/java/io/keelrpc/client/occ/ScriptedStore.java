package io.keelrpc.client.occ;

import io.keelrpc.core.TransportException;
import io.keelrpc.core.occ.KeyExistsException;
import io.keelrpc.core.occ.KeyNotFoundException;
import io.keelrpc.core.occ.VersionMismatchException;
import io.keelrpc.core.time.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * An in-memory {@link VersionedStore} that implements the store contract, with scripted faults:
 * each read or write may be lost before it is applied, lose its answer after it was applied, let
 * "another client" write first, be held until the test releases it, or answer after a latency on
 * a (fake) scheduler. Calls without a script behave normally and answer at once.
 *
 * <p>Two other factories model weaker stores, to show what their clients cannot know:
 * {@link #withoutWriterIds()} is the seed's store (versions only), {@link #lastWriterOnly()}
 * reports the last writer with a mismatch but remembers nothing older and has no writer-id rule.
 */
final class ScriptedStore<V> implements VersionedStore<V> {
  /** One call the engine made. {@code value} and {@code expectedVersion} are unset for reads. */
  record Call(String op, String key, Object value, long expectedVersion, String writerId) {}

  /** Decides the answer of one scripted call; {@code proceed} runs the call against the store. */
  @FunctionalInterface
  interface Hook<T> {
    CompletableFuture<T> apply(Call call, Supplier<CompletableFuture<T>> proceed);
  }

  private static final class Entry<V> {
    V value;
    long version;
    String lastWriter;
    final Map<String, Long> appliedByWriter = new HashMap<>();
  }

  /** What the store remembers about writers. */
  private enum Memory { EVERY_WRITER, LAST_WRITER, NONE }

  /** A safety net: a runaway update fails its test instead of spinning forever on virtual time. */
  private static final int MAX_CALLS = 50_000;

  private final Memory memory;
  private final Map<String, Entry<V>> data = new HashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private final Deque<Hook<Versioned<V>>> readScript = new ArrayDeque<>();
  private final Deque<Hook<Long>> writeScript = new ArrayDeque<>();
  private Scheduler latencyScheduler;
  private long latencyNanos;
  private Random faults;
  private double loseRequestRate;
  private double loseResponseRate;

  private ScriptedStore(Memory memory) {
    this.memory = memory;
  }

  /** A store that follows the contract of {@link VersionedStore}. */
  ScriptedStore() {
    this(Memory.EVERY_WRITER);
  }

  /** The seed's store: versions only; a mismatch names no writer and no applied version. */
  static <V> ScriptedStore<V> withoutWriterIds() {
    return new ScriptedStore<>(Memory.NONE);
  }

  /** A store whose mismatch names the last writer only: no writer-id rule, no applied version. */
  static <V> ScriptedStore<V> lastWriterOnly() {
    return new ScriptedStore<>(Memory.LAST_WRITER);
  }

  // ---- scripting ----

  /** Scripts the next reads, one hook each, in order. */
  @SafeVarargs
  final ScriptedStore<V> nextReads(Hook<Versioned<V>>... hooks) {
    synchronized (this) {
      for (Hook<Versioned<V>> hook : hooks) {
        readScript.add(hook);
      }
    }
    return this;
  }

  /** Scripts the next writes, one hook each, in order. */
  @SafeVarargs
  final ScriptedStore<V> nextWrites(Hook<Long>... hooks) {
    synchronized (this) {
      for (Hook<Long> hook : hooks) {
        writeScript.add(hook);
      }
    }
    return this;
  }

  /** Answers every unscripted call {@code latency} after it was applied, on {@code scheduler}. */
  synchronized ScriptedStore<V> latency(Scheduler scheduler, Duration latency) {
    this.latencyScheduler = scheduler;
    this.latencyNanos = latency.toNanos();
    return this;
  }

  /**
   * Unscripted calls lose their request with probability {@code loseRequest} and, otherwise, their
   * answer with probability {@code loseResponse}, drawn from {@code random} (seed it to replay).
   */
  synchronized ScriptedStore<V> randomFaults(Random random, double loseRequest,
      double loseResponse) {
    this.faults = random;
    this.loseRequestRate = loseRequest;
    this.loseResponseRate = loseResponse;
    return this;
  }

  /** The call goes through normally. */
  static <T> Hook<T> pass() {
    return (call, proceed) -> proceed.get();
  }

  /** The request is lost before the store sees it: not applied, the caller gets a network error. */
  static <T> Hook<T> loseRequest() {
    return (call, proceed) -> CompletableFuture.failedFuture(lost(call, "request"));
  }

  /** The store applies the call, then its answer is lost: the caller gets a network error. */
  static <T> Hook<T> loseResponse() {
    return (call, proceed) -> proceed.get().handle((r, t) -> null)
        .thenCompose(x -> CompletableFuture.failedFuture(lost(call, "response")));
  }

  /** {@code other} (another client's write) runs first, then {@code then} handles the call. */
  static <T> Hook<T> after(Runnable other, Hook<T> then) {
    return (call, proceed) -> {
      other.run();
      return then.apply(call, proceed);
    };
  }

  /** The call fails with {@code failure} without reaching the store. */
  static <T> Hook<T> failWith(Throwable failure) {
    return (call, proceed) -> CompletableFuture.failedFuture(failure);
  }

  /** The call waits for {@code gate}, then goes through; it answers on the gate's thread. */
  static <T> Hook<T> heldUntil(CompletableFuture<Void> gate) {
    return (call, proceed) -> gate.thenCompose(x -> proceed.get());
  }

  /** The call never gets an answer. */
  static <T> Hook<T> hang() {
    return (call, proceed) -> new CompletableFuture<>();
  }

  private static TransportException lost(Call call, String what) {
    return new TransportException("scripted: the " + what + " of " + call.op() + " '"
        + call.key() + "' was lost", true, null);
  }

  // ---- direct access for tests ("another client", set-up, checks) ----

  /** Applies {@code f} to {@code key} at once as writer {@code writerId}; returns the version. */
  synchronized long apply(String key, UnaryOperator<V> f, String writerId) {
    Entry<V> e = data.get(key);
    return applyLocked(key, f.apply(e == null ? null : e.value), writerId);
  }

  /** Removes {@code key} (and what the store remembered about its writers). */
  synchronized void delete(String key) {
    data.remove(key);
  }

  /** The current state of {@code key}. */
  synchronized Versioned<V> get(String key) {
    Entry<V> e = data.get(key);
    return e == null ? Versioned.absent() : new Versioned<>(e.value, e.version, e.lastWriter);
  }

  /** The calls made through the {@link VersionedStore} interface so far, in order. */
  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The writes among {@link #calls()}. */
  synchronized List<Call> writes() {
    return calls.stream().filter(c -> c.op().equals("write")).toList();
  }

  /** Scripted hooks not used yet. */
  synchronized int unusedHooks() {
    return readScript.size() + writeScript.size();
  }

  // ---- VersionedStore ----

  @Override
  public CompletionStage<Versioned<V>> read(String key) {
    Call call = new Call("read", key, null, 0, null);
    Hook<Versioned<V>> hook;
    synchronized (this) {
      if (calls.size() >= MAX_CALLS) {
        return runaway();
      }
      calls.add(call);
      hook = readScript.poll();
    }
    Supplier<CompletableFuture<Versioned<V>>> proceed =
        () -> CompletableFuture.completedFuture(get(key));
    return hook != null ? hook.apply(call, proceed)
        : delayed(this.<Versioned<V>>randomFault().apply(call, proceed));
  }

  @Override
  public CompletionStage<Long> write(String key, V value, long expectedVersion, String writerId) {
    Call call = new Call("write", key, value, expectedVersion, writerId);
    Hook<Long> hook;
    synchronized (this) {
      if (calls.size() >= MAX_CALLS) {
        return runaway();
      }
      calls.add(call);
      hook = writeScript.poll();
    }
    Supplier<CompletableFuture<Long>> proceed = () -> decide(key, value, expectedVersion, writerId);
    return hook != null ? hook.apply(call, proceed)
        : delayed(this.<Long>randomFault().apply(call, proceed));
  }

  private static <T> CompletableFuture<T> runaway() {
    return CompletableFuture.failedFuture(
        new AssertionError("more than " + MAX_CALLS + " store calls: a runaway update"));
  }

  private synchronized <T> Hook<T> randomFault() {
    if (faults != null) {
      double u = faults.nextDouble();
      if (u < loseRequestRate) {
        return loseRequest();
      }
      if (u < loseRequestRate + loseResponseRate) {
        return loseResponse();
      }
    }
    return pass();
  }

  /** The store contract, rule by rule (see {@link VersionedStore}). */
  private synchronized CompletableFuture<Long> decide(String key, V value, long expected,
      String writerId) {
    Entry<V> e = data.get(key);
    if (memory == Memory.EVERY_WRITER && e != null && e.appliedByWriter.containsKey(writerId)) {
      return CompletableFuture.failedFuture(new VersionMismatchException(key, expected, e.version,
          e.lastWriter, e.appliedByWriter.get(writerId)));
    }
    if (expected == 0 && e != null) {
      return CompletableFuture.failedFuture(new KeyExistsException(key, e.version));
    }
    if (expected > 0 && e == null) {
      return CompletableFuture.failedFuture(new KeyNotFoundException(key));
    }
    if (e != null && expected != e.version) {
      return CompletableFuture.failedFuture(new VersionMismatchException(key, expected, e.version,
          memory == Memory.NONE ? null : e.lastWriter, null));
    }
    return CompletableFuture.completedFuture(applyLocked(key, value, writerId));
  }

  private long applyLocked(String key, V value, String writerId) {
    Entry<V> e = data.computeIfAbsent(key, k -> new Entry<>());
    e.value = value;
    e.version++;
    e.lastWriter = writerId;
    if (memory == Memory.EVERY_WRITER) {
      e.appliedByWriter.put(writerId, e.version);
    }
    return e.version;
  }

  private <T> CompletableFuture<T> delayed(CompletableFuture<T> answer) {
    Scheduler scheduler;
    long nanos;
    synchronized (this) {
      scheduler = latencyScheduler;
      nanos = latencyNanos;
    }
    if (scheduler == null) {
      return answer;
    }
    CompletableFuture<T> later = new CompletableFuture<>();
    scheduler.schedule(() -> answer.whenComplete((r, t) -> {
      if (t != null) {
        later.completeExceptionally(t);
      } else {
        later.complete(r);
      }
    }), nanos);
    return later;
  }
}
