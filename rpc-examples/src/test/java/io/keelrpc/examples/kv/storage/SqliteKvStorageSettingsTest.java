package io.keelrpc.examples.kv.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.time.FakeClock;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite backend leaves in its database file, and its periodic checkpoint. */
class SqliteKvStorageSettingsTest {
  @TempDir
  Path dir;

  private String query(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(
            "jdbc:sqlite:" + dir.resolve(SqliteKvStorage.DB_FILE));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Test
  void databaseIsInWalJournalMode() throws Exception {
    try (SqliteKvStorage kv = SqliteKvStorage.open(dir)) {
      kv.put("a", "x", 0, "w-1");

      assertThat(query("PRAGMA journal_mode")).isEqualTo("wal");
    }
  }

  @Test
  void writerHistoryTableIsPrunedToTheLastNWritesOfEachKey() throws Exception {
    try (SqliteKvStorage kv = SqliteKvStorage.builder(dir).writerHistory(4).open()) {
      for (int v = 0; v < 20; v++) {
        kv.put("a", "v" + v, v, "w-a-" + v);
      }
      kv.put("b", "x", 0, "w-b");

      assertThat(query("SELECT COUNT(*) FROM kv_writers WHERE key = 'a'")).isEqualTo("4");
      assertThat(query("SELECT MIN(version) FROM kv_writers WHERE key = 'a'")).isEqualTo("17");
      assertThat(query("SELECT COUNT(*) FROM kv_writers WHERE key = 'b'")).isEqualTo("1");
    }
  }

  @Test
  void intervalPolicyCheckpointsOnTheScheduler() throws IOException {
    FakeClock clock = new FakeClock();
    SqliteKvStorage kv = SqliteKvStorage.builder(dir)
        .fsync(FsyncPolicy.every(Duration.ofMillis(50)))
        .scheduler(clock)
        .open();
    try {
      kv.put("a", "x", 0, "w-1");
      assertThat(kv.checkpointCount()).isZero();

      clock.advance(Duration.ofMillis(50));
      assertThat(kv.checkpointCount()).isEqualTo(1);
      clock.advance(Duration.ofMillis(100));
      assertThat(kv.checkpointCount()).isEqualTo(3);
    } finally {
      kv.close();
    }
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void everyPolicyKeepsDataAcrossReopen() throws IOException {
    for (FsyncPolicy policy : new FsyncPolicy[] {
        FsyncPolicy.always(), FsyncPolicy.every(Duration.ofMillis(10)), FsyncPolicy.never()}) {
      Path sub = dir.resolve(policy.mode().name());
      try (SqliteKvStorage kv = SqliteKvStorage.builder(sub).fsync(policy).open()) {
        kv.put("a", "x", 0, "w-1");
      }
      try (SqliteKvStorage kv = SqliteKvStorage.open(sub)) {
        assertThat(kv.get("a")).as(policy.toString()).contains(new StoredValue("x", 1, "w-1"));
      }
    }
  }
}
