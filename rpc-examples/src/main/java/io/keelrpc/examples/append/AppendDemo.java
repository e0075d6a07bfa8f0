package io.keelrpc.examples.append;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.examples.append.AppendService.AppendOnceParams;
import io.keelrpc.examples.append.AppendService.AppendParams;
import io.keelrpc.examples.append.AppendService.ListParams;
import io.keelrpc.examples.append.AppendService.ListView;
import io.keelrpc.server.KeelServer;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.UUID;

/**
 * Seed task 3 as a program: the same append delivered twice, against the naive and the
 * idempotent design, with and without the server's idempotency cache.
 *
 * <p>Two in-process servers on free loopback ports: one with the idempotency cache (the default),
 * serving {@code cached}, and one built with {@code .idempotency(false)}, serving {@code uncached}.
 */
public final class AppendDemo {
  /** The item every case appends. */
  public static final String ITEM = "milk";
  /** The list of case 1, on the cached server. */
  public static final String NAIVE_LIST = "naive";
  /** The list of case 2, on the cached server. */
  public static final String KEYED_LIST = "keyed";
  /** The list of case 3, on the server without the cache. */
  public static final String UNCACHED_LIST = "keyed-no-cache";

  private final InMemoryAppendService cached;
  private final InMemoryAppendService uncached;

  /** A demo over two services; each should be fresh, so the printed counts mean what they say. */
  public AppendDemo(InMemoryAppendService cached, InMemoryAppendService uncached) {
    this.cached = Objects.requireNonNull(cached, "cached");
    this.uncached = Objects.requireNonNull(uncached, "uncached");
  }

  /**
   * Runs the three cases, printing what each shows to {@code out}.
   *
   * @throws io.keelrpc.core.KeelException if a call fails
   */
  public void run(PrintWriter out) {
    try (KeelServer withCache = cached.registerOn(KeelServer.builder().port(0)).start();
        KeelServer withoutCache = uncached.registerOn(KeelServer.builder().port(0))
            .idempotency(false).start();
        KeelClient toCached = KeelClient.builder().endpoint("127.0.0.1", withCache.port()).build();
        KeelClient toUncached =
            KeelClient.builder().endpoint("127.0.0.1", withoutCache.port()).build()) {
      out.println("# Each request is delivered twice, as by a client that timed out and sent it"
          + " again.");

      // 1. Naive: the re-send is a second logical call with its own id; nothing ties the two.
      AppendParams naive = new AppendParams(NAIVE_LIST, ITEM);
      toCached.call(AppendService.APPEND, naive);
      toCached.call(AppendService.APPEND, naive);
      int naiveRuns = cached.appendRuns();
      print(out, "1. append(list, item), re-sent as a new call with a new id:",
          toCached.call(AppendService.ITEMS, new ListParams(NAIVE_LIST)), naiveRuns,
          "DUPLICATED: the server cannot tell a re-sent append from a new one.");

      // 2. Redesign: one item id per logical append, also sent as the idempotency key.
      String itemId = UUID.randomUUID().toString();
      AppendOnceParams once = new AppendOnceParams(KEYED_LIST, itemId, ITEM);
      CallOptions sameKey = CallOptions.builder().idempotencyKey(itemId).build();
      toCached.call(AppendService.APPEND_ONCE, once, sameKey);
      toCached.call(AppendService.APPEND_ONCE, once, sameKey);
      print(out, "2. appendOnce(list, itemId, item), both deliveries with idempotency key "
              + "= itemId = " + itemId + ":",
          toCached.call(AppendService.ITEMS, new ListParams(KEYED_LIST)), cached.appendOnceRuns(),
          "ONE item: the server's idempotency cache answered the second delivery without running"
              + " the handler.");

      // 3. The same on a server without the cache: the handler's set semantics alone suffice.
      AppendOnceParams onceUncached = new AppendOnceParams(UNCACHED_LIST, itemId, ITEM);
      toUncached.call(AppendService.APPEND_ONCE, onceUncached, sameKey);
      toUncached.call(AppendService.APPEND_ONCE, onceUncached, sameKey);
      print(out, "3. the same on a server built with .idempotency(false) (no cache):",
          toUncached.call(AppendService.ITEMS, new ListParams(UNCACHED_LIST)),
          uncached.appendOnceRuns(),
          "still ONE item: the handler keeps one item per itemId (set semantics), so its second"
              + " run was a no-op.");
      out.flush();
    }
  }

  private static void print(PrintWriter out, String title, ListView view, int handlerRuns,
      String meaning) {
    out.println();
    out.println(title);
    out.println("   list \"" + view.list() + "\" = " + view.items() + "   (handler ran "
        + handlerRuns + (handlerRuns == 1 ? " time)" : " times)"));
    out.println("   -> " + meaning);
  }
}
