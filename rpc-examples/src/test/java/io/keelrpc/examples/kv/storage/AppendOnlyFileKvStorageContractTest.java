package io.keelrpc.examples.kv.storage;

import java.io.IOException;
import java.nio.file.Path;

/** The contract on the file backend with its defaults: fsync before every acknowledgement. */
class AppendOnlyFileKvStorageContractTest extends DurableKvStorageContractTest {
  @Override
  protected KvStorage open(Path dir, int writerHistory) throws IOException {
    return AppendOnlyFileKvStorage.builder(dir).writerHistory(writerHistory).open();
  }
}
