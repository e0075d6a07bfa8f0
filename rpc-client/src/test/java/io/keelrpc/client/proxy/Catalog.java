package io.keelrpc.client.proxy;

import io.keelrpc.core.ApplicationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;

/** An in-memory {@link CatalogApi}, exported by the round-trip tests. */
final class Catalog implements CatalogApi {
  private final Map<String, Item> items = new ConcurrentSkipListMap<>();

  @Override
  public Item get(String sku) {
    Item item = items.get(sku);
    if (item == null) {
      throw new ApplicationException(NOT_FOUND, "no item \"" + sku + "\"");
    }
    return item;
  }

  @Override
  public Item add(Item item) {
    items.put(item.sku(), item);
    return item;
  }

  @Override
  public Item rename(String sku, String name) {
    Item renamed = new Item(sku, name, get(sku).qty());
    items.put(sku, renamed);
    return renamed;
  }

  @Override
  public List<Item> find(Query query) {
    if (query.prefix().isEmpty()) {
      throw new ApplicationException(4000, "empty prefix");
    }
    List<Item> out = new ArrayList<>();
    for (Item item : items.values()) {
      if (item.sku().startsWith(query.prefix())) {
        out.add(item);
      }
    }
    return out;
  }

  @Override
  public Map<String, Item> bySku() {
    return new LinkedHashMap<>(items);
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public void clear() {
    items.clear();
  }

  @Override
  public CompletableFuture<List<Item>> findAsync(Query query) {
    try {
      return CompletableFuture.completedFuture(find(query));
    } catch (ApplicationException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Item> getAsync(String sku) {
    return CompletableFuture.supplyAsync(() -> get(sku));
  }

  @Override
  public CompletionStage<Void> clearAsync() {
    clear();
    return CompletableFuture.completedFuture(null);
  }
}
