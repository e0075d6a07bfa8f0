package io.keelrpc.bench.memory;

import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.idempotency.InMemoryIdempotencyStore;
import io.keelrpc.server.idempotency.Outcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Measures the server's heap per idle connection and per cached idempotency entry, and checks the
 * idempotency cache stays within its bound under a flood of unique keys.
 *
 * <pre>
 * java -cp keel-bench.jar io.keelrpc.bench.memory.MemoryFootprint \
 *     [--connections 2000] [--entries 100000] [--flood 1000000] [--flood-bound 10000] [--top 12]
 * </pre>
 *
 * <p>Heap is "used after GC": the least of three {@code System.gc()} + {@code MemoryMXBean}
 * readings. The same deltas are also taken from a class histogram (the
 * {@code GC.class_histogram} diagnostic command, what {@code jcmd <pid> GC.class_histogram}
 * prints; it counts live objects only), whose per-class difference shows what dominates.
 *
 * <ol>
 *   <li>Connections: a {@link KeelServer} runs in this JVM; the N client connections are opened by
 *       a child JVM (plain blocking {@link SocketChannel}s over loopback, this class with
 *       {@code --client-mode}), so only the server side is in this heap. Every connection sends
 *       one small request (numeric id, so nothing enters the idempotency cache) and reads the
 *       answer, which proves the server accepted it; the child then reports READY and holds the
 *       connections idle while this JVM measures. A few connections are opened and closed first
 *       so one-off costs (class loading, first-call caches) fall before the baseline. Heap is
 *       measured at 0, N/2 and N connections: {@code (at N - at 0) / N} is the figure checked
 *       against the target; {@code (at N - at N/2) / (N/2)} is the marginal cost, without
 *       one-off growth (table resizes and the like).
 *   <li>Entries: an {@link InMemoryIdempotencyStore} (TTL 1 h, maxEntries 1.25 N) is filled through
 *       the server's per-call path ({@code claim} + {@code complete}) with N keys shaped like the
 *       client's ids and N distinct 25-byte results; the per-entry delta is reported with and
 *       without the result's own {@code byte[]}.
 *   <li>Flood: a store with maxEntries 10 000 gets 1 000 000 unique keys; its size is sampled on
 *       the way and reported at the end (after {@code cleanUp}).
 * </ol>
 */
public final class MemoryFootprint {
  /** The params and result of the one method the test server has. */
  public record Ping(int n) {}

  private static final MethodDescriptor<Ping, Ping> PING =
      MethodDescriptor.of("ping", Ping.class, Ping.class);
  /** {"jsonrpc":"2.0","id":1,"method":"ping","params":{"n":1}} in a frame. */
  private static final byte[] REQUEST = frame(
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"n\":1}}");
  /** byte[] header on a 64-bit JVM with compressed class pointers (the default below 32 GB). */
  private static final int ARRAY_HEADER = 16;

  private MemoryFootprint() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    Map<String, String> opts = parse(args);
    if (opts.containsKey("client-mode")) {
      clientMode(opts.get("host"), Integer.parseInt(opts.get("port")));
      return;
    }
    int connections = Integer.parseInt(opts.getOrDefault("connections", "2000"));
    int entries = Integer.parseInt(opts.getOrDefault("entries", "100000"));
    int flood = Integer.parseInt(opts.getOrDefault("flood", "1000000"));
    int floodBound = Integer.parseInt(opts.getOrDefault("flood-bound", "10000"));
    int top = Integer.parseInt(opts.getOrDefault("top", "12"));

    long t0 = System.nanoTime();
    System.out.printf(Locale.ROOT, "Keel memory footprint   (java %s, %s, max heap %d MiB, pid %d)%n",
        Runtime.version(), gcNames(), Runtime.getRuntime().maxMemory() >> 20,
        ProcessHandle.current().pid());
    boolean ok = true;
    if (connections > 0) {
      ok &= connections(connections, top);
    }
    if (entries > 0) {
      ok &= entries(entries, top);
    }
    if (flood > 0) {
      ok &= flood(flood, floodBound);
    }
    System.out.printf(Locale.ROOT, "%nverdict: %s   (%.1f s)%n", ok ? "PASS" : "FAIL",
        (System.nanoTime() - t0) / 1e9);
    System.exit(ok ? 0 : 1);
  }

  // ------------------------------------------------------------------ (a) idle connections

  private static boolean connections(int n, int top) throws Exception {
    System.out.printf(Locale.ROOT, "%n[1] server heap per idle connection  (N = %d)%n", n);
    KeelServer server = KeelServer.builder()
        .handleNonBlocking(PING, (p, ctx) -> p)
        .start();
    Process child = null;
    try {
      // One-off costs (classes, Jackson serializers, allocator caches) before the baseline.
      for (int i = 0; i < 4; i++) {
        connectAndPing("127.0.0.1", server.port()).close();
      }
      child = new ProcessBuilder(javaExe(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"), MemoryFootprint.class.getName(),
          "--client-mode", "stdin", "--host", "127.0.0.1",
          "--port", Integer.toString(server.port()))
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      BufferedReader fromChild = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      Writer toChild = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
      // Run the measuring code once too (its classes and threads are not connection costs).
      if (!openInChild(toChild, fromChild, 0, 0)) {
        return false;
      }
      Snapshot.take().printTopDeltas(Snapshot.take(), 1, "warm-up", -1);
      Snapshot before = Snapshot.take();
      int half = n / 2;
      if (!openInChild(toChild, fromChild, half, half)) {
        return false;
      }
      Snapshot mid = Snapshot.take();
      if (!openInChild(toChild, fromChild, n - half, n)) {
        return false;
      }
      Snapshot after = Snapshot.take();
      double heapPer = (after.heapUsed - before.heapUsed) / (double) n;
      double livePer = (after.liveBytes - before.liveBytes) / (double) n;
      double heapMarginal = (after.heapUsed - mid.heapUsed) / (double) (n - half);
      double liveMarginal = (after.liveBytes - mid.liveBytes) / (double) (n - half);
      System.out.printf(Locale.ROOT,
          "  clients: a child JVM (pid %d) holds %d loopback connections, each answered once, now idle;%n"
              + "           so the deltas below are this (server) JVM only%n", child.pid(), n);
      System.out.printf(Locale.ROOT, "  heap used after GC: %,d -> %,d (at %d) -> %,d bytes (at %d)%n",
          before.heapUsed, mid.heapUsed, half, after.heapUsed, n);
      System.out.printf(Locale.ROOT, "  per idle connection, 0..%d:  %,6.0f B (heap used)   %,6.0f B (live objects,"
          + " histogram)%n", n, heapPer, livePer);
      System.out.printf(Locale.ROOT, "  per idle connection, %d..%d: %,6.0f B (heap used)   %,6.0f B (live objects)"
          + "   (marginal: one-off growth excluded)%n", half, n, heapMarginal, liveMarginal);
      boolean pass = Math.max(heapPer, livePer) <= 4096;
      System.out.printf(Locale.ROOT, "  target <= 4,096 B per connection (0..%d)  -> %s%n", n, verdict(pass));
      after.printTopDeltas(before, n, "connection", top);
      return pass;
    } finally {
      if (child != null) {
        child.getOutputStream().close(); // the child closes its connections and exits at EOF
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
          child.destroyForcibly();
        }
      }
      server.shutdown(Duration.ofSeconds(1));
    }
  }

  /** Asks the child for {@code more} connections; true once it reports {@code total} open. */
  private static boolean openInChild(Writer toChild, BufferedReader fromChild, int more, int total)
      throws Exception {
    toChild.write(more + "\n");
    toChild.flush();
    String ready = CompletableFuture.supplyAsync(() -> {
      try {
        return fromChild.readLine();
      } catch (IOException e) {
        return "error: " + e;
      }
    }).get(60, TimeUnit.SECONDS); // bounded wait for the answers, no polling
    if (!("READY " + total).equals(ready)) {
      System.out.println("  client process failed: " + ready);
      return false;
    }
    return true;
  }

  /**
   * Child JVM: for each number K read from stdin, opens K more connections, pings over each, and
   * prints {@code READY <total>}; at EOF closes them all and exits.
   */
  private static void clientMode(String host, int port) throws IOException {
    List<SocketChannel> open = new ArrayList<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        int more = Integer.parseInt(line.trim());
        for (int i = 0; i < more; i++) {
          open.add(connectAndPing(host, port));
        }
        System.out.println("READY " + open.size());
        System.out.flush();
      }
    } catch (IOException e) {
      System.out.println("error after " + open.size() + " connections: " + e);
      System.out.flush();
    } finally {
      for (SocketChannel ch : open) {
        ch.close();
      }
    }
  }

  /** Connects, sends one request, reads the whole answer frame; returns the open channel. */
  private static SocketChannel connectAndPing(String host, int port) throws IOException {
    SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, port));
    try {
      ch.write(ByteBuffer.wrap(REQUEST));
      ByteBuffer len = ByteBuffer.allocate(4);
      readFully(ch, len);
      int length = len.getInt(0);
      if (length < 1 || length > 1 << 16) {
        throw new IOException("bad answer frame length " + length);
      }
      ByteBuffer body = ByteBuffer.allocate(length);
      readFully(ch, body);
      String answer = new String(body.array(), StandardCharsets.UTF_8);
      if (!answer.contains("\"result\"")) {
        throw new IOException("not a result: " + answer);
      }
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static void readFully(SocketChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) {
        throw new IOException("server closed the connection");
      }
    }
  }

  // ------------------------------------------------------------------ (b) cached entries

  private static boolean entries(int n, int top) {
    long maxEntries = n + n / 4;
    System.out.printf(Locale.ROOT,
        "%n[2] idempotency cache heap per completed entry  (N = %,d, maxEntries %,d, TTL 1 h)%n",
        n, maxEntries);
    // Warm up the code and classes on a throwaway store first.
    fill(InMemoryIdempotencyStore.builder().maxEntries(1000).build(), "warm-", 5000);
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder()
        .ttl(Duration.ofHours(1)).maxEntries(maxEntries).build();
    Snapshot.take().printTopDeltas(Snapshot.take(), 1, "warm-up", -1);
    Snapshot before = Snapshot.take();
    String prefix = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + "-";
    int resultLength = fill(store, prefix, n);
    Snapshot after = Snapshot.take();
    long held = store.completedEntries();
    Reference.reachabilityFence(store);
    long resultOwn = align8(ARRAY_HEADER + resultLength);
    double heapPer = (after.heapUsed - before.heapUsed) / (double) n;
    double livePer = (after.liveBytes - before.liveBytes) / (double) n;
    String sampleKey = prefix + 1_000_000;
    System.out.printf(Locale.ROOT, "  keys like \"%s\" (%d chars); results like {\"key\":\"a\",\"value\":12345} "
        + "(%d B, its byte[] = %d B); entries held: %,d%n", sampleKey, sampleKey.length(),
        resultLength, resultOwn, held);
    System.out.printf(Locale.ROOT, "  per entry, total:            %,.0f B (heap used)   %,.0f B (live objects)%n",
        heapPer, livePer);
    boolean pass = Math.max(heapPer, livePer) - resultOwn <= 300;
    System.out.printf(Locale.ROOT, "  per entry, beyond the result: %,.0f B (heap used)   %,.0f B (live objects)"
        + "   target <= 300 B  -> %s%n", heapPer - resultOwn, livePer - resultOwn, verdict(pass));
    after.printTopDeltas(before, n, "entry", top);
    return pass && held == n;
  }

  /** claim + complete n fresh keys; returns the result length. */
  private static int fill(InMemoryIdempotencyStore store, String prefix, int n) {
    int length = 0;
    for (int i = 0; i < n; i++) {
      String key = prefix + (1_000_000 + i);
      if (store.claim(key, 42L) != null) {
        throw new IllegalStateException("key claimed twice: " + key);
      }
      byte[] result = ("{\"key\":\"a\",\"value\":" + (10_000 + i % 90_000) + "}")
          .getBytes(StandardCharsets.UTF_8);
      length = result.length;
      store.complete(key, new Outcome(false, result));
    }
    return length;
  }

  // ------------------------------------------------------------------ (c) flood

  private static boolean flood(int keys, int bound) {
    System.out.printf(Locale.ROOT, "%n[3] cache bound under a flood of unique keys  (maxEntries %,d, %,d keys)%n",
        bound, keys);
    long heapBefore = Snapshot.heapUsedAfterGc();
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().maxEntries(bound).build();
    Outcome small = new Outcome(false,
        "{\"key\":\"a\",\"value\":12345}".getBytes(StandardCharsets.UTF_8));
    String prefix = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + "-";
    long maxSeen = 0;
    long start = System.nanoTime();
    int step = Math.max(1, keys / 10);
    for (int i = 0; i < keys; i++) {
      String key = prefix + i;
      if (store.claim(key, 42L) != null) {
        throw new IllegalStateException("key claimed twice: " + key);
      }
      store.complete(key, small);
      if ((i + 1) % step == 0) {
        maxSeen = Math.max(maxSeen, store.completedEntries());
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    long end = store.completedEntries();
    long heapAfter = Snapshot.heapUsedAfterGc();
    Reference.reachabilityFence(store);
    boolean pass = end <= bound && maxSeen <= bound && store.runningEntries() == 0;
    System.out.printf(Locale.ROOT, "  %,d claim+complete in %.2f s (%,.0f ns each)%n",
        keys, secs, secs * 1e9 / keys);
    System.out.printf(Locale.ROOT, "  completedEntries() at the end: %,d (largest of %d samples: %,d), running: %d"
        + "   bound %,d  -> %s%n", end, keys / step, maxSeen, store.runningEntries(), bound,
        verdict(pass));
    System.out.printf(Locale.ROOT, "  heap held by the flooded store after GC: %,d B (%,.0f B per held entry)%n",
        heapAfter - heapBefore, (heapAfter - heapBefore) / (double) Math.max(1, end));
    return pass;
  }

  // ------------------------------------------------------------------ measuring

  /** Heap used after GC plus a live-object class histogram. */
  private static final class Snapshot {
    private static final Pattern ROW =
        Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)(?:\\s.*)?$");
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    final long heapUsed;
    final long liveBytes;
    /**
     * The histogram, kept in a file rather than on the heap: a parsed histogram (thousands of
     * class names) held in memory would itself show up in the next snapshot's live bytes.
     */
    private final Path histogram;

    private Snapshot(long heapUsed, long liveBytes, Path histogram) {
      this.heapUsed = heapUsed;
      this.liveBytes = liveBytes;
      this.histogram = histogram;
    }

    static Snapshot take() {
      long heap = heapUsedAfterGc();
      String text = classHistogram();
      long total = -1;
      for (String line : text.split("\n")) {
        Matcher t = TOTAL.matcher(line.trim());
        if (t.matches()) {
          total = Long.parseLong(t.group(2));
        }
      }
      try {
        Path file = Files.createTempFile("keel-histogram-", ".txt");
        file.toFile().deleteOnExit();
        Files.writeString(file, text);
        return new Snapshot(heap, total, file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Class name to {instances, bytes}, read back from the file. */
    Map<String, long[]> classes() {
      Map<String, long[]> classes = new HashMap<>();
      try {
        for (String line : Files.readAllLines(histogram)) {
          Matcher m = ROW.matcher(line);
          if (m.matches()) {
            classes.put(m.group(3),
                new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return classes;
    }

    /** The least heap-used reading over three full GCs. */
    static long heapUsedAfterGc() {
      long min = Long.MAX_VALUE;
      for (int i = 0; i < 3; i++) {
        System.gc();
        min = Math.min(min, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      }
      return min;
    }

    /** What {@code jcmd <pid> GC.class_histogram} prints (runs a full GC first). */
    static String classHistogram() {
      try {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
            new Object[] {new String[0]}, new String[] {String[].class.getName()});
      } catch (Exception e) {
        throw new IllegalStateException("GC.class_histogram unavailable: " + e, e);
      }
    }

    void printTopDeltas(Snapshot before, int n, String unit, int top) {
      Map<String, long[]> beforeClasses = before.classes();
      List<Map.Entry<String, long[]>> deltas = new ArrayList<>();
      for (Map.Entry<String, long[]> e : classes().entrySet()) {
        long[] b = beforeClasses.getOrDefault(e.getKey(), new long[2]);
        long[] d = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
        deltas.add(Map.entry(e.getKey(), d));
      }
      deltas.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
      if (top <= 0) {
        return;
      }
      System.out.printf(Locale.ROOT, "  largest growth by class (live objects, per %s):%n", unit);
      System.out.printf(Locale.ROOT, "    %9s %9s  %s%n", "bytes", "objects", "class");
      for (int i = 0; i < Math.min(top, deltas.size()); i++) {
        long[] d = deltas.get(i).getValue();
        if (d[1] <= 0) {
          break;
        }
        System.out.printf(Locale.ROOT, "    %9.1f %9.2f  %s%n", d[1] / (double) n, d[0] / (double) n,
            deltas.get(i).getKey());
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static byte[] frame(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
  }

  private static long align8(long bytes) {
    return (bytes + 7) & ~7L;
  }

  private static String verdict(boolean pass) {
    return pass ? "OK" : "OVER TARGET";
  }

  private static String javaExe() {
    return ProcessHandle.current().info().command()
        .orElse(System.getProperty("java.home") + "/bin/java");
  }

  private static String gcNames() {
    List<String> names = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      names.add(gc.getName());
    }
    return String.join("/", names);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || i + 1 >= args.length) {
        usage("bad argument: " + a);
      }
      opts.put(a.substring(2), args[++i]);
    }
    for (String k : opts.keySet()) {
      if (!List.of("connections", "entries", "flood", "flood-bound", "top", "client-mode", "host",
          "port").contains(k)) {
        usage("unknown option --" + k);
      }
    }
    return opts;
  }

  private static void usage(String why) {
    System.err.println(why);
    System.err.println("usage: MemoryFootprint [--connections N (2000)] [--entries N (100000)]"
        + " [--flood N (1000000)] [--flood-bound N (10000)] [--top K (12)]   (0 skips a part)");
    System.exit(2);
  }
}
