package io.keelrpc.examples.kv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a log whose end a crash (or a bad disk) left broken: the store opens, keeps every record
 * before the damage, and appends after it.
 */
class AppendOnlyFileKvStorageRecoveryTest {
  @TempDir
  Path dir;

  /** Writes a@1, a@2, b@1 and returns the log's size before the last record. */
  private long writeThreeRecords() throws IOException {
    try (AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.open(dir)) {
      kv.put("a", "x", 0, "w-1");
      kv.put("a", "y", 1, "w-2");
      long beforeLast = kv.logBytes();
      kv.put("b", "z", 0, "w-3");
      assertThat(Files.size(log())).isEqualTo(kv.logBytes());
      return beforeLast;
    }
  }

  private Path log() {
    return dir.resolve(AppendOnlyFileKvStorage.LOG_FILE);
  }

  private void truncateTo(long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log().toFile(), "rw")) {
      f.setLength(size);
    }
  }

  private void flipByte(long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log().toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x5a);
    }
  }

  /** Opens the damaged log, checks what survived, writes after it, and reopens once more. */
  private void assertRecoveredKeepingTheFirstTwoRecords(long expectedTruncated, long goodEnd)
      throws IOException {
    try (AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.open(dir)) {
      assertThat(kv.truncatedBytesOnOpen()).isEqualTo(expectedTruncated);
      assertThat(Files.size(log())).isEqualTo(goodEnd);
      assertThat(kv.snapshot()).containsExactly(Map.entry("a", new StoredValue("y", 2, "w-2")));
      assertThat(kv.put("b", "z2", 0, "w-4")).isEqualTo(1);
      assertThat(kv.put("a", "y2", 2, "w-5")).isEqualTo(3);
    }
    try (AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.open(dir)) {
      assertThat(kv.truncatedBytesOnOpen()).isZero();
      assertThat(kv.snapshot()).containsExactly(
          Map.entry("a", new StoredValue("y2", 3, "w-5")),
          Map.entry("b", new StoredValue("z2", 1, "w-4")));
    }
  }

  @Test
  void recordCutMidPayloadIsTruncatedAndLaterWritesAppendAfterIt() throws IOException {
    long beforeLast = writeThreeRecords();
    long size = Files.size(log());
    truncateTo(size - 5);

    assertRecoveredKeepingTheFirstTwoRecords(size - 5 - beforeLast, beforeLast);
  }

  @Test
  void recordCutInsideItsHeaderIsTruncated() throws IOException {
    long beforeLast = writeThreeRecords();
    truncateTo(beforeLast + 3);

    assertRecoveredKeepingTheFirstTwoRecords(3, beforeLast);
  }

  @Test
  void flippedByteInTheLastRecordFailsItsCrcAndIsTruncated() throws IOException {
    long beforeLast = writeThreeRecords();
    long size = Files.size(log());
    flipByte(size - 2);

    assertRecoveredKeepingTheFirstTwoRecords(size - beforeLast, beforeLast);
  }

  @Test
  void flippedByteInTheLastRecordsCrcIsTruncated() throws IOException {
    long beforeLast = writeThreeRecords();
    long size = Files.size(log());
    flipByte(beforeLast + 5);

    assertRecoveredKeepingTheFirstTwoRecords(size - beforeLast, beforeLast);
  }

  @Test
  void absurdLengthInTheLastRecordIsTruncatedWithoutAllocatingIt() throws IOException {
    long beforeLast = writeThreeRecords();
    long size = Files.size(log());
    flipByte(beforeLast); // the length's top byte: now far beyond 16 MiB

    assertRecoveredKeepingTheFirstTwoRecords(size - beforeLast, beforeLast);
  }

  @Test
  void zeroFilledTailIsTruncated() throws IOException {
    writeThreeRecords();
    long size = Files.size(log());
    Files.write(log(), new byte[100], java.nio.file.StandardOpenOption.APPEND);

    try (AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.open(dir)) {
      assertThat(kv.truncatedBytesOnOpen()).isEqualTo(100);
      assertThat(Files.size(log())).isEqualTo(size);
      assertThat(kv.snapshot()).containsOnlyKeys("a", "b");
    }
  }

  @Test
  void damageInAnEarlierRecordDropsEverythingFromIt() throws IOException {
    try (AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.open(dir)) {
      kv.put("a", "x", 0, "w-1");
    }
    long firstRecord = LogCodec.HEADER_BYTES;
    writeMore();
    long size = Files.size(log());
    flipByte(firstRecord + LogCodec.RECORD_HEADER_BYTES + 2);

    try (AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.open(dir)) {
      assertThat(kv.truncatedBytesOnOpen()).isEqualTo(size - firstRecord);
      assertThat(kv.snapshot()).isEmpty();
      assertThat(kv.put("a", "fresh", 0, "w-9")).isEqualTo(1);
    }
  }

  private void writeMore() throws IOException {
    try (AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.open(dir)) {
      kv.put("a", "y", 1, "w-2");
      kv.put("b", "z", 0, "w-3");
    }
  }

  @Test
  void headerCutShortStartsAnEmptyLog() throws IOException {
    Files.write(log(), new byte[] {'K', 'E', 'E'});

    try (AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.open(dir)) {
      assertThat(kv.truncatedBytesOnOpen()).isEqualTo(3);
      assertThat(kv.snapshot()).isEmpty();
      kv.put("a", "x", 0, "w-1");
    }
    try (AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.open(dir)) {
      assertThat(kv.get("a")).contains(new StoredValue("x", 1, "w-1"));
    }
  }

  @Test
  void fileThatIsNotAKvLogFailsToOpenAndIsLeftAlone() throws IOException {
    byte[] other = "name,value\nfoo,bar\n".getBytes(StandardCharsets.UTF_8);
    Files.write(log(), other);

    assertThatThrownBy(() -> AppendOnlyFileKvStorage.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a Keel KV log");
    assertThat(Files.readAllBytes(log())).isEqualTo(other);
  }

  @Test
  void versionGapIsAnInconsistentLogNotATornOne() throws IOException {
    try (AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.open(dir)) {
      kv.put("a", "x", 0, "w-1");
    }
    // A well-formed record that skips version 2: a bug, so opening must refuse, not truncate.
    java.nio.ByteBuffer gap = LogCodec.put("a", 3, "z", "w-3");
    byte[] bytes = new byte[gap.remaining()];
    gap.get(bytes);
    Files.write(log(), bytes, java.nio.file.StandardOpenOption.APPEND);
    long size = Files.size(log());

    assertThatThrownBy(() -> AppendOnlyFileKvStorage.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("at version 3 after version 1");
    assertThat(Files.size(log())).isEqualTo(size);
  }

  @Test
  void leftoverCompactionFileIsDeletedOnOpen() throws IOException {
    writeThreeRecords();
    Path leftover = dir.resolve(AppendOnlyFileKvStorage.COMPACT_FILE);
    Files.write(leftover, new byte[] {1, 2, 3});

    try (AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.open(dir)) {
      assertThat(leftover).doesNotExist();
      assertThat(kv.snapshot()).containsOnlyKeys("a", "b");
    }
  }
}
