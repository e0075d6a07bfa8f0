package io.keelrpc.examples.chaos;

import io.keelrpc.client.occ.Versioned;
import io.keelrpc.client.occ.VersionedStore;
import io.keelrpc.core.occ.KeyExistsException;
import io.keelrpc.core.occ.KeyNotFoundException;
import io.keelrpc.core.occ.VersionMismatchException;
import io.keelrpc.examples.chaos.History.Kind;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * A {@link VersionedStore} that records every call to the store it wraps in a {@link History}:
 * reads as {@code GET}s, writes as {@code PUT}s. A refusal (version mismatch, key exists, key not
 * found) is recorded as {@code REFUSED} with the actual and applied versions it names; any other
 * failure of a write as {@code UNKNOWN} (the request or its answer may have been lost); a read
 * that fails as {@code FAILED} (reads have no effect).
 */
public final class RecordingStore implements VersionedStore<String> {
  private final VersionedStore<String> store;
  private final History history;
  private final String client;

  /** Records {@code client}'s calls to {@code store} in {@code history}. */
  public RecordingStore(VersionedStore<String> store, History history, String client) {
    this.store = Objects.requireNonNull(store, "store");
    this.history = Objects.requireNonNull(history, "history");
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public CompletionStage<Versioned<String>> read(String key) {
    History.Call call = history.invoke(client, Kind.GET, key, -1, null, null);
    return store.read(key).whenComplete((v, e) -> {
      if (e == null) {
        call.ok(v.version(), v.value());
      } else if (unwrap(e) instanceof KeyNotFoundException) {
        call.ok(0, null);
      } else {
        call.failed();
      }
    });
  }

  @Override
  public CompletionStage<Long> write(String key, String value, long expectedVersion,
      String writerId) {
    History.Call call = history.invoke(client, Kind.PUT, key, expectedVersion, value, writerId);
    return store.write(key, value, expectedVersion, writerId).whenComplete((v, e) -> {
      if (e == null) {
        call.ok(v, value);
        return;
      }
      Throwable t = unwrap(e);
      if (t instanceof VersionMismatchException m) {
        call.refused(m.actualVersion(), m.appliedVersion());
      } else if (t instanceof KeyExistsException x) {
        call.refused(x.actualVersion(), null);
      } else if (t instanceof KeyNotFoundException) {
        call.refused(0, null);
      } else {
        call.unknown();
      }
    });
  }

  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
