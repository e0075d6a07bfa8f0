package io.keelrpc.examples.kv.storage;

import java.io.IOException;
import java.nio.file.Path;

/** The contract on the SQLite backend with its defaults: synchronous = FULL. */
class SqliteKvStorageContractTest extends DurableKvStorageContractTest {
  @Override
  protected KvStorage open(Path dir, int writerHistory) throws IOException {
    return SqliteKvStorage.builder(dir).writerHistory(writerHistory).open();
  }
}
