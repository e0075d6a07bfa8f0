package io.keelrpc.server.proxy;

import io.keelrpc.core.ApplicationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory {@link ShelfApi} that counts how often each method ran. */
public final class Shelf implements ShelfApi {
  /** The application error code of an unknown sku. */
  public static final int NOT_FOUND = 4004;

  private final Map<String, Integer> items = new ConcurrentSkipListMap<>();
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  /** How often {@code method} ran. */
  public int runs(String method) {
    AtomicInteger n = runs.get(method);
    return n == null ? 0 : n.get();
  }

  private void ran(String method) {
    runs.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public Item get(Sku sku) {
    ran("get");
    Integer qty = items.get(sku.sku());
    if (qty == null) {
      throw new ApplicationException(NOT_FOUND, "no item \"" + sku.sku() + "\"");
    }
    return new Item(sku.sku(), qty);
  }

  @Override
  public int count(String sku) {
    ran("count");
    return items.getOrDefault(sku, 0);
  }

  @Override
  public Item put(String sku, int qty) {
    ran("put");
    int now = items.merge(sku, qty, Integer::sum);
    return new Item(sku, now);
  }

  @Override
  public int putAll(List<Item> list) {
    ran("putAll");
    int total = 0;
    for (Item item : list) { // a ClassCastException here if the list held maps
      put(item.sku(), item.qty());
      total += item.qty();
    }
    return total;
  }

  @Override
  public List<Item> list() {
    ran("list");
    List<Item> out = new ArrayList<>();
    items.forEach((sku, qty) -> out.add(new Item(sku, qty)));
    return out;
  }

  @Override
  public void clear() {
    ran("clear");
    items.clear();
  }

  @Override
  public long total() {
    ran("total");
    return items.values().stream().mapToLong(Integer::longValue).sum();
  }

  @Override
  public CompletableFuture<List<Item>> listAsync() {
    return CompletableFuture.completedFuture(list());
  }

  @Override
  public CompletionStage<Void> clearAsync() {
    clear();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public Item peek(Sku sku) {
    ran("peek");
    return new Item(sku.sku(), items.getOrDefault(sku.sku(), 0));
  }

  @Override
  public String where() {
    return Thread.currentThread().getName();
  }

  @Override
  public String whereBlocking() {
    return Thread.currentThread().getName();
  }

  @Override
  public String fail(String kind) {
    switch (kind) {
      case "app":
        throw new ApplicationException(4009, "refused on purpose");
      case "state":
        throw new IllegalStateException("broken on purpose");
      default:
        return "did not fail";
    }
  }
}
