package io.keelrpc.examples.kv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.keelrpc.core.occ.VersionMismatchException;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@link KvStorage} contract plus what a durable backend keeps across close and reopen. */
abstract class DurableKvStorageContractTest extends KvStorageContractTest {

  @Test
  void reopenKeepsValuesVersionsAndWriters() throws IOException {
    KvStorage kv = open(dir, KvStorage.DEFAULT_WRITER_HISTORY);
    kv.put("a", "x", 0, "w-1");
    kv.put("a", "y", 1, "w-2");
    kv.put("b", "\u2603", 0, null);
    kv.close();

    KvStorage reopened = store();

    assertThat(reopened.snapshot()).containsExactly(
        Map.entry("a", new StoredValue("y", 2, "w-2")),
        Map.entry("b", new StoredValue("\u2603", 1, null)));
  }

  @Test
  void reopenKeepsTheWriterHistory() throws IOException {
    KvStorage kv = open(dir, 3);
    for (int v = 0; v < 5; v++) {
      kv.put("a", "v" + (v + 1), v, "w-" + (v + 1));
    }
    kv.close();

    KvStorage reopened = store(3);

    VersionMismatchException remembered = catchThrowableOfType(VersionMismatchException.class,
        () -> reopened.put("a", "again", 2, "w-3"));
    assertThat(remembered.appliedVersion()).isEqualTo(3);
    VersionMismatchException forgotten = catchThrowableOfType(VersionMismatchException.class,
        () -> reopened.put("a", "again", 1, "w-2"));
    assertThat(forgotten.appliedVersion()).isNull();
    assertThat(forgotten.writerId()).isEqualTo("w-5");
  }

  @Test
  void reopenWithASmallerHistoryForgetsTheOlderWriters() throws IOException {
    KvStorage kv = open(dir, 8);
    for (int v = 0; v < 6; v++) {
      kv.put("a", "v" + (v + 1), v, "w-" + (v + 1));
    }
    kv.close();

    KvStorage reopened = store(2);

    assertThat(catchThrowableOfType(VersionMismatchException.class,
        () -> reopened.put("a", "again", 4, "w-5")).appliedVersion()).isEqualTo(5);
    assertThat(catchThrowableOfType(VersionMismatchException.class,
        () -> reopened.put("a", "again", 3, "w-4")).appliedVersion()).isNull();
  }

  @Test
  void reopenedStoreContinuesTheVersions() throws IOException {
    KvStorage kv = open(dir, KvStorage.DEFAULT_WRITER_HISTORY);
    kv.put("a", "x", 0, "w-1");
    kv.close();

    KvStorage reopened = store();
    assertThat(reopened.put("a", "y", 1, "w-2")).isEqualTo(2);
    reopened.close();

    assertThat(store().get("a")).contains(new StoredValue("y", 2, "w-2"));
  }
}
