package io.keelrpc.client.proxy;

import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.service.Idempotent;
import io.keelrpc.core.service.KeelService;
import io.keelrpc.core.service.ReadOnly;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A service interface with every params and result shape, proxied in the tests. */
@KeelService("catalog")
public interface CatalogApi {
  /** The application error code of an unknown sku. */
  int NOT_FOUND = 4004;

  /** An item of the catalog. */
  record Item(String sku, String name, int qty) {}

  /** Params of the searches. */
  record Query(String prefix) {}

  /** {@code "catalog.get"}: a scalar param; answers {@link #NOT_FOUND} for an unknown sku. */
  Item get(String sku);

  /** {@code "catalog.add"}: an object param; idempotent. */
  @Idempotent
  Item add(Item item);

  /** {@code "catalog.rename"}: positional params. */
  Item rename(String sku, String name);

  /** {@code "catalog.find"}: a generic result; read-only. */
  @ReadOnly
  List<Item> find(Query query);

  /** {@code "catalog.bySku"}: a generic map result. */
  Map<String, Item> bySku();

  /** {@code "catalog.size"}: a primitive result. */
  int size();

  /** {@code "catalog.clear"}: no params, no result. */
  void clear();

  /** {@code "catalog.findAsync"}: asynchronous, generic result. */
  CompletableFuture<List<Item>> findAsync(Query query);

  /** {@code "catalog.getAsync"}: asynchronous, plain result. */
  CompletionStage<Item> getAsync(String sku);

  /** {@code "catalog.clearAsync"}: asynchronous, no result. */
  CompletionStage<Void> clearAsync();

  /** Runs locally: {@link #get} or {@code null} if the catalog has no such item. */
  default Item getOrNull(String sku) {
    try {
      return get(sku);
    } catch (ApplicationException e) {
      if (e.code() == NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }
}
