package io.keelrpc.examples.eventlog;

import static io.keelrpc.examples.eventlog.EventLogSourceFaultsTest.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.examples.kv.storage.FsyncPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same seed, same faults, same terminations: the same log, byte for byte. */
class EventLogRunReproducibilityTest {
  @TempDir
  Path dir;

  private EventLogRun.Result run(long seed, String name) throws Exception {
    return EventLogRun.builder(SourceConfig.builder(seed).totalPackets(800)
            .terminationRate(0.01).build(), dir.resolve(name).resolve("events.log"))
        .logger(LoggerConfig.builder().fsync(FsyncPolicy.never()).build())
        .clock(CLOCK).ticker(() -> 0L).build().run();
  }

  @Test
  void sameSeedWritesTheSameLog() throws Exception {
    EventLogRun.Result a = run(9, "a");
    EventLogRun.Result b = run(9, "b");
    EventLogRun.Result other = run(10, "c");

    byte[] bytesA = Files.readAllBytes(dir.resolve("a/events.log"));
    assertThat(a.restarts()).isPositive();
    assertThat(Files.readAllBytes(dir.resolve("b/events.log"))).isEqualTo(bytesA);
    assertThat(Files.readAllBytes(dir.resolve("c/events.log"))).isNotEqualTo(bytesA);
    assertThat(b.stats()).isEqualTo(a.stats());
    assertThat(b.metrics()).isEqualTo(a.metrics());
    assertThat(b.restarts()).isEqualTo(a.restarts());
    assertThat(other.stats()).isNotEqualTo(a.stats());
  }
}
