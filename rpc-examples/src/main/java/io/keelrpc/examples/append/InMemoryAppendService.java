package io.keelrpc.examples.append;

import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.InvalidParamsException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread-safe {@link AppendService} in memory. It also counts how often each handler ran, so a
 * demo or test can tell "the handler ran once" from "the handler ran twice and did nothing".
 */
public final class InMemoryAppendService implements AppendService {
  private final ConcurrentMap<String, Items> lists = new ConcurrentHashMap<>();
  private final AtomicInteger appendRuns = new AtomicInteger();
  private final AtomicInteger appendOnceRuns = new AtomicInteger();

  @Override
  public ListView append(String list, String item) {
    appendRuns.incrementAndGet();
    require("list", list);
    requireItem(item);
    return lists.computeIfAbsent(list, k -> new Items()).add(list, null, item);
  }

  @Override
  public ListView appendOnce(String list, String itemId, String item) {
    appendOnceRuns.incrementAndGet();
    require("list", list);
    require("itemId", itemId);
    requireItem(item);
    return lists.computeIfAbsent(list, k -> new Items()).add(list, itemId, item);
  }

  @Override
  public ListView items(String list) {
    require("list", list);
    Items items = lists.get(list);
    return items == null ? new ListView(list, List.of()) : items.view(list);
  }

  /** How many times the {@code append} handler ran. */
  public int appendRuns() {
    return appendRuns.get();
  }

  /** How many times the {@code appendOnce} handler ran, no-ops included. */
  public int appendOnceRuns() {
    return appendOnceRuns.get();
  }

  private static void require(String name, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidParamsException(name + ": " + (value == null ? "missing" : "\"\"")
          + " (expected: a non-empty string)");
    }
  }

  private static void requireItem(String item) {
    if (item == null) {
      throw new InvalidParamsException("item: missing (expected: a string)");
    }
  }

  /** One list: its items in order, and which item each id added. */
  private static final class Items {
    private final List<String> items = new ArrayList<>();
    private final Map<String, String> byId = new HashMap<>();

    synchronized ListView add(String list, String itemId, String item) {
      if (itemId != null) {
        String earlier = byId.putIfAbsent(itemId, item);
        if (earlier != null) {
          if (!earlier.equals(item)) {
            throw new ApplicationException(ITEM_ID_CONFLICT, "itemId \"" + itemId
                + "\" already added \"" + earlier + "\" to list \"" + list
                + "\"; it cannot add \"" + item + "\" (expected: one item per itemId)");
          }
          return view(list); // a duplicate delivery: nothing to do
        }
      }
      items.add(item);
      return view(list);
    }

    synchronized ListView view(String list) {
      return new ListView(list, List.copyOf(items));
    }
  }
}
