package io.keelrpc.examples.kv.storage;

import java.nio.file.Path;

class InMemoryKvStorageContractTest extends KvStorageContractTest {
  @Override
  protected KvStorage open(Path dir, int writerHistory) {
    return new InMemoryKvStorage(writerHistory);
  }
}
