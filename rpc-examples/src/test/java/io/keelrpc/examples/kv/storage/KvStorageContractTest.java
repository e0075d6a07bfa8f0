package io.keelrpc.examples.kv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.keelrpc.core.occ.KeyExistsException;
import io.keelrpc.core.occ.KeyNotFoundException;
import io.keelrpc.core.occ.VersionMismatchException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link KvStorage} contract, run against every backend by a subclass that says how to open
 * one. Durable backends extend {@link DurableKvStorageContractTest}, which adds reopening.
 */
abstract class KvStorageContractTest {
  private static final int THREADS = 8;
  private static final int ATTEMPTS_PER_THREAD = 150;

  @TempDir
  Path dir;

  private final List<KvStorage> opened = new ArrayList<>();

  /** Opens (or reopens) the backend's store in {@code dir}. */
  protected abstract KvStorage open(Path dir, int writerHistory) throws IOException;

  /** Opens a store this test closes at the end. */
  protected final KvStorage store(int writerHistory) throws IOException {
    KvStorage s = open(dir, writerHistory);
    opened.add(s);
    return s;
  }

  protected final KvStorage store() throws IOException {
    return store(KvStorage.DEFAULT_WRITER_HISTORY);
  }

  @AfterEach
  void closeStores() {
    for (KvStorage s : opened) {
      s.close();
    }
  }

  @Test
  void createMakesVersionOneAndGetReadsItBack() throws IOException {
    KvStorage kv = store();

    assertThat(kv.put("a", "x", 0, "w-1")).isEqualTo(1);
    assertThat(kv.get("a")).contains(new StoredValue("x", 1, "w-1"));
  }

  @Test
  void updateAtTheExpectedVersionAddsOne() throws IOException {
    KvStorage kv = store();
    kv.put("a", "x", 0, "w-1");

    assertThat(kv.put("a", "y", 1, "w-2")).isEqualTo(2);
    assertThat(kv.put("a", "z", 2, "w-3")).isEqualTo(3);
    assertThat(kv.get("a")).contains(new StoredValue("z", 3, "w-3"));
  }

  @Test
  void getOfAMissingKeyIsEmpty() throws IOException {
    assertThat(store().get("nope")).isEmpty();
  }

  @Test
  void createOfAnExistingKeyThrowsKeyExistsWithTheActualVersion() throws IOException {
    KvStorage kv = store();
    kv.put("a", "x", 0, "w-1");
    kv.put("a", "y", 1, "w-2");

    KeyExistsException e = catchThrowableOfType(KeyExistsException.class,
        () -> kv.put("a", "z", 0, "w-3"));

    assertThat(e.key()).isEqualTo("a");
    assertThat(e.actualVersion()).isEqualTo(2);
    assertThat(kv.get("a")).contains(new StoredValue("y", 2, "w-2"));
  }

  @Test
  void updateOfAMissingKeyThrowsKeyNotFound() throws IOException {
    KvStorage kv = store();

    KeyNotFoundException e = catchThrowableOfType(KeyNotFoundException.class,
        () -> kv.put("a", "x", 3, "w-1"));

    assertThat(e.key()).isEqualTo("a");
    assertThat(kv.get("a")).isEmpty();
  }

  @Test
  void staleExpectedVersionThrowsMismatchWithActualVersionAndLastWriter() throws IOException {
    KvStorage kv = store();
    kv.put("a", "x", 0, "w-1");
    kv.put("a", "y", 1, "w-2");

    VersionMismatchException e = catchThrowableOfType(VersionMismatchException.class,
        () -> kv.put("a", "z", 1, "w-3"));

    assertThat(e.key()).isEqualTo("a");
    assertThat(e.expectedVersion()).isEqualTo(1);
    assertThat(e.actualVersion()).isEqualTo(2);
    assertThat(e.writerId()).isEqualTo("w-2");
    assertThat(e.appliedVersion()).isNull();
    assertThat(e.provesApplied("w-3")).isFalse();
    assertThat(kv.get("a")).contains(new StoredValue("y", 2, "w-2"));
  }

  @Test
  void expectedVersionAheadOfTheKeyThrowsMismatch() throws IOException {
    KvStorage kv = store();
    kv.put("a", "x", 0, "w-1");

    VersionMismatchException e = catchThrowableOfType(VersionMismatchException.class,
        () -> kv.put("a", "z", 5, "w-2"));

    assertThat(e.actualVersion()).isEqualTo(1);
    assertThat(e.appliedVersion()).isNull();
  }

  @Test
  void retriedWriterIdThrowsMismatchWithTheVersionItProduced() throws IOException {
    KvStorage kv = store();
    kv.put("a", "x", 0, "w-1");
    kv.put("a", "y", 1, "w-2");
    kv.put("a", "z", 2, "w-3");

    VersionMismatchException e = catchThrowableOfType(VersionMismatchException.class,
        () -> kv.put("a", "y", 1, "w-2"));

    assertThat(e.appliedVersion()).isEqualTo(2);
    assertThat(e.actualVersion()).isEqualTo(3);
    assertThat(e.writerId()).isEqualTo("w-3");
    assertThat(e.provesApplied("w-2")).isTrue();
    assertThat(kv.get("a")).contains(new StoredValue("z", 3, "w-3"));
  }

  @Test
  void writerIdCheckComesFirstEvenWhenTheVersionMatches() throws IOException {
    KvStorage kv = store();
    kv.put("a", "x", 0, "w-1");

    VersionMismatchException e = catchThrowableOfType(VersionMismatchException.class,
        () -> kv.put("a", "again", 1, "w-1"));

    assertThat(e.appliedVersion()).isEqualTo(1);
    assertThat(kv.get("a")).contains(new StoredValue("x", 1, "w-1"));
  }

  @Test
  void retriedCreateIsRecognisedInsteadOfKeyExists() throws IOException {
    KvStorage kv = store();
    kv.put("a", "x", 0, "w-1");
    kv.put("a", "y", 1, "w-2");

    VersionMismatchException e = catchThrowableOfType(VersionMismatchException.class,
        () -> kv.put("a", "x", 0, "w-1"));

    assertThat(e.appliedVersion()).isEqualTo(1);
    assertThat(e.expectedVersion()).isZero();
  }

  @Test
  void writerHistoryRemembersOnlyTheLastNWritesOfEachKey() throws IOException {
    KvStorage kv = store(3);
    for (int v = 0; v < 5; v++) {
      kv.put("a", "v" + (v + 1), v, "w-" + (v + 1)); // w-1 made version 1, ..., w-5 version 5
    }
    kv.put("b", "x", 0, "w-1"); // the same writer id on another key is another history

    for (int w = 3; w <= 5; w++) {
      String writer = "w-" + w;
      VersionMismatchException e = catchThrowableOfType(VersionMismatchException.class,
          () -> kv.put("a", "again", 1, writer));
      assertThat(e.appliedVersion()).as(writer).isEqualTo(w);
    }
    VersionMismatchException forgotten = catchThrowableOfType(VersionMismatchException.class,
        () -> kv.put("a", "again", 1, "w-2"));
    assertThat(forgotten.appliedVersion()).isNull();
    assertThat(forgotten.actualVersion()).isEqualTo(5);
    assertThat(forgotten.writerId()).isEqualTo("w-5");
    assertThat(kv.put("a", "v6", 5, "w-1")).isEqualTo(6); // w-1 fell out of a's history
  }

  @Test
  void writesWithoutWriterIdAreStoredWithoutOne() throws IOException {
    KvStorage kv = store();
    kv.put("a", "x", 0, null);
    kv.put("a", "y", 1, null);

    assertThat(kv.get("a")).contains(new StoredValue("y", 2, null));
    VersionMismatchException e = catchThrowableOfType(VersionMismatchException.class,
        () -> kv.put("a", "z", 1, null));
    assertThat(e.writerId()).isNull();
    assertThat(e.appliedVersion()).isNull();
  }

  @Test
  void snapshotHoldsEveryKeySortedAndIsAnUnmodifiableCopy() throws IOException {
    KvStorage kv = store();
    kv.put("b", "2", 0, "w-b");
    kv.put("c", "3", 0, "w-c");
    kv.put("a", "1", 0, "w-a");
    kv.put("a", "1b", 1, "w-a2");

    SortedMap<String, StoredValue> snapshot = kv.snapshot();
    kv.put("d", "4", 0, "w-d");

    assertThat(snapshot).containsExactly(
        Map.entry("a", new StoredValue("1b", 2, "w-a2")),
        Map.entry("b", new StoredValue("2", 1, "w-b")),
        Map.entry("c", new StoredValue("3", 1, "w-c")));
    assertThatThrownBy(() -> snapshot.put("e", new StoredValue("5", 1, null)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(kv.snapshot()).containsKey("d");
  }

  @Test
  void keysAndValuesKeepEveryCharacter() throws IOException {
    KvStorage kv = store();
    String key = "k\u00e9y \u2603 \ud83d\ude00 \"'\\;--";
    String value = "line1\nline2\t\u0000 \u00fc \ud83d\udc4d" + "x".repeat(5_000);

    kv.put(key, value, 0, "w-\u00e9");

    assertThat(kv.get(key)).contains(new StoredValue(value, 1, "w-\u00e9"));
    assertThat(kv.snapshot()).containsOnlyKeys(key);
  }

  @Test
  void rejectsBadArgumentsWithoutWriting() throws IOException {
    KvStorage kv = store();

    assertThatThrownBy(() -> kv.put("", "x", 0, "w")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key");
    assertThatThrownBy(() -> kv.put("a", "x", -1, "w"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expectedVersion: -1");
    assertThatThrownBy(() -> kv.put("a", null, 0, "w")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> kv.put(null, "x", 0, "w")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> kv.get("")).isInstanceOf(IllegalArgumentException.class);
    assertThat(kv.snapshot()).isEmpty();
  }

  @Test
  void closedStoreRefusesCalls() throws IOException {
    KvStorage kv = open(dir, KvStorage.DEFAULT_WRITER_HISTORY);
    kv.put("a", "x", 0, "w-1");
    kv.close();
    kv.close(); // idempotent

    assertThatThrownBy(() -> kv.get("a")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> kv.put("a", "y", 1, "w-2"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void concurrentConflictingPutsEndWithVersionEqualToSuccessfulPuts() throws Exception {
    KvStorage kv = store();
    String[] keys = {"hot-1", "hot-2"};
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<List<long[]>>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        results.add(pool.submit(() -> readModifyWrite(kv, keys, thread)));
      }
      long[] successes = new long[keys.length];
      List<List<Long>> versions = List.of(new ArrayList<>(), new ArrayList<>());
      for (Future<List<long[]>> f : results) {
        for (long[] ack : f.get(60, TimeUnit.SECONDS)) {
          successes[(int) ack[0]]++;
          versions.get((int) ack[0]).add(ack[1]);
        }
      }

      for (int k = 0; k < keys.length; k++) {
        StoredValue v = kv.get(keys[k]).orElseThrow();
        assertThat(successes[k]).as(keys[k]).isPositive();
        assertThat(v.version()).as(keys[k]).isEqualTo(successes[k]);
        assertThat(versions.get(k)).as("versions acknowledged on " + keys[k])
            .doesNotHaveDuplicates().hasSize((int) successes[k]);
        // Each value names the version it was written at: no write was lost or reordered.
        assertThat(v.value()).as(keys[k]).endsWith("@" + v.version());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** One thread's loop: read, then write the version it read; returns {key index, version}. */
  private static List<long[]> readModifyWrite(KvStorage kv, String[] keys, int thread) {
    List<long[]> acks = new ArrayList<>();
    for (int i = 0; i < ATTEMPTS_PER_THREAD; i++) {
      int k = (thread + i) % keys.length;
      Optional<StoredValue> current = kv.get(keys[k]);
      long expected = current.map(StoredValue::version).orElse(0L);
      try {
        long version = kv.put(keys[k], "t" + thread + "@" + (expected + 1), expected,
            "t" + thread + "-" + i);
        acks.add(new long[] {k, version});
      } catch (VersionMismatchException | KeyExistsException e) {
        // another thread got there first: a conflict, not a failure
      }
    }
    return acks;
  }
}
