package io.keelrpc.server.proxy;

import io.keelrpc.core.service.KeelMethod;
import io.keelrpc.core.service.KeelService;
import io.keelrpc.core.service.NonBlocking;
import io.keelrpc.core.service.ReadOnly;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A service interface exercising every params and result shape, exported in the tests. */
@KeelService("shelf")
public interface ShelfApi {
  /** An item on the shelf. */
  record Item(String sku, int qty) {}

  /** Params naming one item. */
  record Sku(String sku) {}

  /** {@code "shelf.get"}: one object param, answers ApplicationException 4004 if unknown. */
  Item get(Sku sku);

  /** {@code "shelf.count"}: one scalar param, sent as {@code ["a"]}. */
  int count(String sku);

  /** {@code "shelf.put"}: positional params {@code ["a", 3]}. */
  Item put(String sku, int qty);

  /** {@code "shelf.putAll"}: one generic param, the list itself; returns the total quantity. */
  int putAll(List<Item> items);

  /** {@code "shelf.list"}: no params, a generic result. */
  List<Item> list();

  /** {@code "shelf.clear"}: no params, no result. */
  void clear();

  /** {@code "stock.total"}: an explicit name, no prefix. */
  @KeelMethod("stock.total")
  long total();

  /** {@code "shelf.listAsync"}: asynchronous, generic result. */
  CompletableFuture<List<Item>> listAsync();

  /** {@code "shelf.clearAsync"}: asynchronous, no result. */
  CompletionStage<Void> clearAsync();

  /** {@code "shelf.peek"}: read-only, so duplicates run again. */
  @ReadOnly
  Item peek(Sku sku);

  /** {@code "shelf.where"}: the name of the thread it ran on; on the I/O thread. */
  @NonBlocking
  String where();

  /** {@code "shelf.whereBlocking"}: the name of the thread it ran on; on a worker. */
  String whereBlocking();

  /** {@code "shelf.fail"}: throws the exception named by its param. */
  String fail(String kind);

  /** Not remote: runs locally on a proxy, not exported. */
  default int countTwice(String sku) {
    return 2 * count(sku);
  }
}
