package io.keelrpc.examples.append;

import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.KeelServer;
import java.util.List;

/**
 * Lists of strings, the service of seed task 3, in two designs.
 *
 * <ul>
 *   <li>{@link #APPEND} {@code append(list, item)} is not idempotent: each execution adds the
 *       item, so a request delivered twice as two calls (a client that timed out and sent it
 *       again under a new id) adds it twice.
 *   <li>{@link #APPEND_ONCE} {@code appendOnce(list, itemId, item)} is idempotent by design: the
 *       list holds at most one item per {@code itemId} (set semantics), so every later delivery of
 *       the same item is a no-op, whether or not the server's idempotency cache caught it. A client
 *       picks the item id once per logical append (e.g. a UUID) and also sends it as the call's
 *       idempotency key, so the cache answers duplicates without running the handler at all.
 * </ul>
 */
public interface AppendService {
  /**
   * Params of {@code append}.
   *
   * @param list the list's name; required and non-empty
   * @param item the item to add; required
   */
  record AppendParams(String list, String item) {}

  /**
   * Params of {@code appendOnce}.
   *
   * @param list the list's name; required and non-empty
   * @param itemId the item's identity, chosen once by the client per logical append; required
   *     and non-empty
   * @param item the item to add; required
   */
  record AppendOnceParams(String list, String itemId, String item) {}

  /**
   * Params of {@code items}.
   *
   * @param list the list's name; required and non-empty
   */
  record ListParams(String list) {}

  /**
   * The result of every method: the list after the call.
   *
   * @param list the list's name
   * @param items its items in the order they were first added
   */
  record ListView(String list, List<String> items) {}

  /** Application error code: an item id was reused for a different item. */
  int ITEM_ID_CONFLICT = 1001;

  /** {@code append(list, item)}: adds the item at the end, every time it runs. */
  MethodDescriptor<AppendParams, ListView> APPEND =
      MethodDescriptor.of("append", AppendParams.class, ListView.class);

  /** {@code appendOnce(list, itemId, item)}: adds the item unless the list already holds itemId. */
  MethodDescriptor<AppendOnceParams, ListView> APPEND_ONCE =
      MethodDescriptor.of("appendOnce", AppendOnceParams.class, ListView.class);

  /** {@code items(list)}: reads a list (empty if it was never appended to); read-only. */
  MethodDescriptor<ListParams, ListView> ITEMS =
      MethodDescriptor.of("items", ListParams.class, ListView.class).asReadOnly();

  /** Adds {@code item} to {@code list}, every time it is called. */
  ListView append(String list, String item);

  /**
   * Adds {@code item} to {@code list} under {@code itemId} unless the list already holds that id.
   *
   * @throws io.keelrpc.core.ApplicationException with code {@link #ITEM_ID_CONFLICT} if the id
   *     is already in the list with a different item
   */
  ListView appendOnce(String list, String itemId, String item);

  /** The items of {@code list}. */
  ListView items(String list);

  /** Registers {@code append}, {@code appendOnce} and {@code items} on {@code server}; returns it. */
  default KeelServer.Builder registerOn(KeelServer.Builder server) {
    return server
        .handle(APPEND, (p, ctx) -> append(p.list(), p.item()))
        .handle(APPEND_ONCE, (p, ctx) -> appendOnce(p.list(), p.itemId(), p.item()))
        .handle(ITEMS, (p, ctx) -> items(p.list()));
  }
}
