package io.keelrpc.examples.eventlog;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * The seed's {@code MessageSource} in Java: a seeded, reproducible stream of packets with loss,
 * reordering within a window, duplicates, CRC32 corruption, retransmission on request, and
 * random process termination with resumable state.
 *
 * <h2>Generation</h2>
 * Exactly as the seed, from one {@link Random} seeded with {@link SourceConfig#seed()}: packet
 * {@code seq} gets the payload {@code "packet_%06d_%d"} (the second number random below
 * 1 000 000), the timestamp {@code epoch + seq ms + 0..99 µs} and the CRC32 of its payload;
 * then, packet by packet, it is lost with {@code lossRate} (never delivered), or queued at
 * priority {@code seq + [0, reorderWindow]}, flagged corrupted with {@code corruptionRate},
 * and queued once more with {@code duplicateRate}, {@code [1, 2 * reorderWindow]} positions
 * after its first copy (with the same corruption flag). The queue is delivered by priority,
 * ties in generation order. The epoch is read from the injected {@link Clock} when the source
 * is first created (truncated to the second) and kept in the state.
 *
 * <h2>Receiving</h2>
 * {@link #receive()} first serves the oldest pending retransmission request: if the sequence
 * is in the queue it returns a fresh copy, corrupted with {@code corruptionRate}; a lost one is
 * dropped from the list (and, once the queue is exhausted, the next request is tried: the
 * seed's source would instead finish there, dropping every request still pending). Otherwise
 * it draws whether to terminate the process ({@code terminationRate};
 * {@link SourceTerminatedException}, state saved first) and else delivers the next queued
 * packet. Once the queue is exhausted and nothing is pending it returns empty, deletes its state
 * files and stays finished. Those run-time draws come from a second {@code Random} seeded from
 * the seed.
 *
 * <h2>Resumable state</h2>
 * Every call that changes it saves the state, {@code .ms_<seed>.state.0} and {@code .1} in the
 * state directory ({@link SourceState}): the configuration, the epoch, the position in the
 * queue, the pending requests, the number of run-time draws made and the {@link #audit()}.
 * {@link #open} with the same configuration resumes from it: the queue is regenerated from the
 * seed, and the run-time generator is fast-forwarded past the draws already made, so a
 * restarted source continues the random sequence instead of repeating it (the seed reseeds it,
 * so a restart replays the same termination decisions, and a first draw below
 * {@code terminationRate} would terminate every restart at once). A kill at any instant, even
 * in the middle of a save, leaves a state to resume from.
 *
 * <pre>{@code
 * try (MessageSource source = MessageSource.open(SourceConfig.builder(42).build(), dir, clock)) {
 *   Optional<Packet> p = source.receive();   // may throw SourceTerminatedException
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one receiver. {@link #close()} closes its state files (a source dropped
 * without closing, as by a crash, leaves nothing behind but open handles).
 */
public final class MessageSource implements PacketSource, Closeable {
  /** A second stream for the run-time draws, apart from generation. */
  private static final long RUNTIME_SALT = 0x9E37_79B9_7F4A_7C15L;

  private final SourceConfig config;
  private final SourceState.Store store;
  private final long epochMicros;
  private final int[] payloadNumbers;
  private final int[] jitterMicros;
  private final int[] queue;
  private final boolean[] queuedCorrupted;
  private final boolean[] inQueue;
  /** Per sequence, the last queue index holding an intact copy of it, or -1. */
  private final int[] lastIntact;
  private final int deliverable;
  private final Random rng;

  private final SourceState state;
  private boolean finished;

  private MessageSource(SourceConfig config, SourceState.Store store, SourceState state) {
    this.config = config;
    this.store = store;
    this.state = state;
    this.epochMicros = state.epochMicros;
    int n = config.totalPackets();
    this.payloadNumbers = new int[n];
    this.jitterMicros = new int[n];
    Random gen = new Random(config.seed());
    for (int seq = 0; seq < n; seq++) {
      payloadNumbers[seq] = gen.nextInt(1_000_000);
      jitterMicros[seq] = gen.nextInt(100);
    }
    int w = config.reorderWindow();
    long[] keys = new long[2 * n];
    boolean[] corruptedAt = new boolean[2 * n];
    int[] seqAt = new int[2 * n];
    int count = 0;
    for (int seq = 0; seq < n; seq++) {
      if (gen.nextDouble() < config.lossRate()) {
        continue;
      }
      long priority = seq + gen.nextInt(w + 1);
      boolean corrupted = gen.nextDouble() < config.corruptionRate();
      keys[count] = priority << 32 | count;
      seqAt[count] = seq;
      corruptedAt[count++] = corrupted;
      if (gen.nextDouble() < config.duplicateRate()) {
        long dupPriority = priority + 1 + gen.nextInt(Math.max(1, 2 * w));
        keys[count] = dupPriority << 32 | count;
        seqAt[count] = seq;
        corruptedAt[count++] = corrupted;
      }
    }
    Arrays.sort(keys, 0, count); // by priority, then generation order: the seed's stable sort
    this.queue = new int[count];
    this.queuedCorrupted = new boolean[count];
    this.inQueue = new boolean[n];
    this.lastIntact = new int[n];
    Arrays.fill(lastIntact, -1);
    int distinct = 0;
    for (int i = 0; i < count; i++) {
      int index = (int) keys[i];
      queue[i] = seqAt[index];
      queuedCorrupted[i] = corruptedAt[index];
      if (!queuedCorrupted[i]) {
        lastIntact[queue[i]] = i;
      }
      if (!inQueue[queue[i]]) {
        inQueue[queue[i]] = true;
        distinct++;
      }
    }
    this.deliverable = distinct;
    this.rng = new Random(config.seed() ^ RUNTIME_SALT);
    for (long i = 0; i < state.draws; i++) {
      rng.nextDouble();
    }
  }

  /**
   * The source of {@code config} whose state lives in {@code stateDir}: resumed from
   * {@code .ms_<seed>.state} if that exists, otherwise new (and its state saved at once).
   *
   * @param clock gives a new source its epoch, the base of the packets' timestamps
   * @throws IOException if the state cannot be read or written, or was written for a different
   *     configuration
   */
  public static MessageSource open(SourceConfig config, Path stateDir, Clock clock)
      throws IOException {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    Files.createDirectories(stateDir);
    SourceState.Store store = new SourceState.Store(stateFile(stateDir, config.seed()),
        config);
    Optional<SourceState> saved = store.load();
    SourceState state = saved.orElseGet(() -> SourceState.fresh(
        micros(clock.instant().truncatedTo(ChronoUnit.SECONDS))));
    MessageSource source = new MessageSource(config, store, state);
    if (saved.isEmpty()) {
      store.save(state);
    }
    return source;
  }

  /**
   * How many distinct sequences the source of {@code config} delivers (all but the lost ones),
   * computed without touching any state file.
   */
  public static int deliverableSequences(SourceConfig config) {
    return new MessageSource(config, null, SourceState.fresh(0)).deliverable;
  }

  /**
   * The base name of the state of the source with {@code seed} in {@code stateDir}: the state
   * is in this path plus {@code .0} and {@code .1}.
   */
  public static Path stateFile(Path stateDir, long seed) {
    return stateDir.resolve(".ms_" + seed + ".state");
  }

  @Override
  public Optional<Packet> receive() throws IOException, SourceTerminatedException {
    if (finished) {
      return Optional.empty();
    }
    while (!state.pending.isEmpty()) {
      int seq = state.pending.remove(0);
      if (seq >= 0 && seq < inQueue.length && inQueue[seq]) {
        boolean corrupt = draw() < config.corruptionRate();
        store.save(state);
        Packet p = packet(seq);
        return Optional.of(corrupt ? p.corrupted() : p);
      }
      store.save(state); // lost: never had it
      if (state.position < queue.length) {
        break; // as the seed: on to the next regular delivery
      }
    }
    if (state.position >= queue.length) {
      finished = true;
      store.delete();
      return Optional.empty();
    }
    if (draw() < config.terminationRate()) {
      store.save(state);
      throw new SourceTerminatedException(state.position);
    }
    int at = state.position++;
    store.save(state);
    Packet p = packet(queue[at]);
    return Optional.of(queuedCorrupted[at] ? p.corrupted() : p);
  }

  @Override
  public void requestRetransmit(int sequence) throws IOException {
    if (finished) {
      return;
    }
    if (state.pending.contains(sequence)) {
      state.audit[3]++;
    } else {
      boolean had = sequence >= 0 && sequence < inQueue.length && inQueue[sequence];
      state.audit[!had ? 2 : lastIntact[sequence] >= state.position ? 1 : 0]++;
      state.pending.add(sequence);
    }
    store.save(state);
  }

  /** How the requests made so far (across restarts) were worth it. */
  public RetransmitAudit audit() {
    long[] a = state.audit;
    return new RetransmitAudit(a[0], a[1], a[2], a[3]);
  }

  @Override
  public int totalPackets() {
    return config.totalPackets();
  }

  @Override
  public int remainingDeliveries() {
    return queue.length - state.position;
  }

  /** Closes the state files; the state stays on disk for the next {@link #open}. */
  @Override
  public void close() throws IOException {
    if (store != null) {
      store.close();
    }
  }

  /** The configuration. */
  public SourceConfig config() {
    return config;
  }

  /** The position in the delivery queue: regular deliveries made so far, across restarts. */
  public int position() {
    return state.position;
  }

  /** The length of the delivery queue, duplicates included: the seed's total deliveries. */
  public int totalDeliveries() {
    return queue.length;
  }

  /**
   * How many distinct sequences are in the queue: everything but the lost packets, so the most
   * a logger can log. {@code deliverableSequences() / totalPackets()} bounds the coverage.
   */
  public int deliverableSequences() {
    return deliverable;
  }

  /** Whether {@link #receive()} has returned empty: everything delivered. */
  public boolean isFinished() {
    return finished;
  }

  /** The packet {@code sequence} as generated (with a valid checksum), lost or not. */
  public Packet packet(int sequence) {
    byte[] payload = ("packet_" + String.format("%06d", sequence) + "_"
        + payloadNumbers[sequence]).getBytes(StandardCharsets.US_ASCII);
    return new Packet(sequence, epochMicros + sequence * 1000L + jitterMicros[sequence], payload,
        Packet.crc32(payload));
  }

  private double draw() {
    state.draws++;
    return rng.nextDouble();
  }

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }
}
