package io.keelrpc.examples.kv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.keelrpc.core.occ.VersionMismatchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log is rewritten to the live state once it grows past a multiple of it. */
class AppendOnlyFileKvStorageCompactionTest {
  @TempDir
  Path dir;

  private Path log() {
    return dir.resolve(AppendOnlyFileKvStorage.LOG_FILE);
  }

  private AppendOnlyFileKvStorage open(double ratio, long minBytes) throws IOException {
    return AppendOnlyFileKvStorage.builder(dir)
        .writerHistory(4)
        .compactionRatio(ratio)
        .compactionMinBytes(minBytes)
        .open();
  }

  /** Overwrites keys k0..k{keys-1} {@code rounds} times each; returns the last versions. */
  private static void overwrite(KvStorage kv, int keys, int rounds) {
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < keys; k++) {
        kv.put("k" + k, "value-" + r, r, "w-" + k + "-" + r);
      }
    }
  }

  @Test
  void logGrowingPastTheRatioIsRewrittenToTheLiveState() throws IOException {
    try (AppendOnlyFileKvStorage kv = open(3.0, 0)) {
      overwrite(kv, 5, 40);

      assertThat(kv.compactionCount()).isPositive();
      assertThat(kv.logBytes()).isLessThanOrEqualTo((long) (3.0 * kv.liveBytes()));
      assertThat(Files.size(log())).isEqualTo(kv.logBytes());
      assertThat(dir.resolve(AppendOnlyFileKvStorage.COMPACT_FILE)).doesNotExist();
    }
  }

  @Test
  void compactedLogReopensWithTheSameStateAndWriterHistory() throws IOException {
    SortedMap<String, StoredValue> before;
    try (AppendOnlyFileKvStorage kv = open(2.0, 0)) {
      overwrite(kv, 3, 30);
      assertThat(kv.compactionCount()).isPositive();
      kv.put("k0", "after", 30, "w-after"); // appended to the compacted log
      before = kv.snapshot();
    }

    try (AppendOnlyFileKvStorage kv = open(2.0, 0)) {
      assertThat(kv.truncatedBytesOnOpen()).isZero();
      assertThat(kv.snapshot()).isEqualTo(before);
      assertThat(kv.get("k0")).contains(new StoredValue("after", 31, "w-after"));
      VersionMismatchException retried = catchThrowableOfType(VersionMismatchException.class,
          () -> kv.put("k1", "value-28", 28, "w-1-28"));
      assertThat(retried.appliedVersion()).isEqualTo(29);
    }
  }

  @Test
  void explicitCompactionShrinksTheLogToTheLiveBytes() throws IOException {
    try (AppendOnlyFileKvStorage kv = open(1_000.0, 0)) {
      overwrite(kv, 2, 20);
      long grown = kv.logBytes();

      kv.compact();

      assertThat(kv.compactionCount()).isEqualTo(1);
      assertThat(kv.logBytes()).isEqualTo(kv.liveBytes()).isLessThan(grown);
      assertThat(Files.size(log())).isEqualTo(kv.logBytes());
    }
  }

  @Test
  void liveBytesTrackWhatACompactionWouldWrite() throws IOException {
    try (AppendOnlyFileKvStorage kv = open(1_000.0, 0)) {
      overwrite(kv, 4, 7);
      kv.put("\u2603-key", "\ud83d\ude00", 0, null);
      long predicted = kv.liveBytes();

      kv.compact();

      assertThat(Files.size(log())).isEqualTo(predicted);
    }
  }

  @Test
  void logUnderTheMinimumIsNotCompacted() throws IOException {
    try (AppendOnlyFileKvStorage kv = open(1.5, 1 << 20)) {
      overwrite(kv, 2, 50);

      assertThat(kv.compactionCount()).isZero();
      assertThat(kv.logBytes()).isGreaterThan((long) (1.5 * kv.liveBytes()));
    }
  }
}
