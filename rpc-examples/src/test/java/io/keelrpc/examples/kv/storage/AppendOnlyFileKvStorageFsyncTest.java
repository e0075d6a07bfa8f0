package io.keelrpc.examples.kv.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.time.FakeClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When each fsync policy forces the log, driven by virtual time where it waits. */
class AppendOnlyFileKvStorageFsyncTest {
  @TempDir
  Path dir;

  @Test
  void alwaysForcesBeforeEveryPutReturns() throws IOException {
    try (AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.builder(dir)
        .fsync(FsyncPolicy.always()).open()) {
      for (int v = 0; v < 5; v++) {
        kv.put("a", "v" + v, v, "w-" + v);
        assertThat(kv.fsyncCount()).isEqualTo(v + 1);
      }
    }
  }

  @Test
  void intervalForcesOnTheSchedulerAndOnlyWhenSomethingWasWritten() throws IOException {
    FakeClock clock = new FakeClock();
    AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.builder(dir)
        .fsync(FsyncPolicy.every(Duration.ofMillis(100)))
        .scheduler(clock)
        .open();
    try {
      kv.put("a", "x", 0, "w-1");
      kv.put("a", "y", 1, "w-2");
      assertThat(kv.fsyncCount()).isZero();

      clock.advance(Duration.ofMillis(99));
      assertThat(kv.fsyncCount()).isZero();
      clock.advance(Duration.ofMillis(1));
      assertThat(kv.fsyncCount()).isEqualTo(1);

      clock.advance(Duration.ofMillis(500)); // nothing new written: nothing to force
      assertThat(kv.fsyncCount()).isEqualTo(1);

      kv.put("a", "z", 2, "w-3");
      clock.advance(Duration.ofMillis(100));
      assertThat(kv.fsyncCount()).isEqualTo(2);
      assertThat(clock.pendingDelays()).containsExactly(Duration.ofMillis(100));
    } finally {
      kv.close();
    }
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void neverForcesOnlyOnClose() throws IOException {
    AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.builder(dir)
        .fsync(FsyncPolicy.never()).open();
    for (int v = 0; v < 5; v++) {
      kv.put("a", "v" + v, v, "w-" + v);
    }
    assertThat(kv.fsyncCount()).isZero();

    kv.close();

    assertThat(kv.fsyncCount()).isEqualTo(1);
  }

  @Test
  void explicitSyncForcesUnderAnyPolicy() throws IOException {
    try (AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.builder(dir)
        .fsync(FsyncPolicy.never()).open()) {
      kv.put("a", "x", 0, "w-1");
      kv.sync();
      kv.sync(); // nothing new: no second force

      assertThat(kv.fsyncCount()).isEqualTo(1);
    }
  }
}
