package io.keelrpc.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.core.occ.OccErrors;
import io.keelrpc.examples.kv.KvService.Entry;
import io.keelrpc.examples.kv.KvService.GetParams;
import io.keelrpc.examples.kv.KvService.PutParams;
import io.keelrpc.examples.kv.KvService.PutResult;
import io.keelrpc.examples.kv.storage.InMemoryKvStorage;
import io.keelrpc.server.KeelServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kv.get and kv.put over a real loopback connection: results and typed errors with data. */
class KvServiceWireTest {
  private InMemoryKvStorage storage;
  private KeelServer server;
  private KeelClient client;

  @BeforeEach
  void start() {
    storage = new InMemoryKvStorage();
    server = KvService.register(KeelServer.builder().port(0), storage).start();
    client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
    storage.close();
  }

  private ApplicationException putFails(PutParams p) {
    return catchThrowableOfType(ApplicationException.class, () -> client.call(KvService.PUT, p));
  }

  @Test
  void putCreatesAndUpdatesAndGetReadsTheValueVersionAndWriter() {
    assertThat(client.call(KvService.PUT, new PutParams("a", "x", 0L, "w-1")))
        .isEqualTo(new PutResult("a", 1));
    assertThat(client.call(KvService.PUT, new PutParams("a", "y", 1L, "w-2")))
        .isEqualTo(new PutResult("a", 2));

    assertThat(client.call(KvService.GET, new GetParams("a")))
        .isEqualTo(new Entry("a", "y", 2, "w-2"));
  }

  @Test
  void getOfAMissingKeyAnswersKeyNotFoundWithTheKey() {
    ApplicationException e = catchThrowableOfType(ApplicationException.class,
        () -> client.call(KvService.GET, new GetParams("nope")));

    assertThat(e.code()).isEqualTo(OccErrors.KEY_NOT_FOUND);
    assertThat(e.data().get("key").asText()).isEqualTo("nope");
  }

  @Test
  void staleWriteAnswersVersionMismatchWithActualVersionAndLastWriter() {
    client.call(KvService.PUT, new PutParams("a", "x", 0L, "w-1"));
    client.call(KvService.PUT, new PutParams("a", "y", 1L, "w-2"));

    ApplicationException e = putFails(new PutParams("a", "z", 1L, "w-3"));

    assertThat(e.code()).isEqualTo(OccErrors.VERSION_MISMATCH);
    JsonNode data = e.data();
    assertThat(data.get("key").asText()).isEqualTo("a");
    assertThat(data.get("expectedVersion").asLong()).isEqualTo(1);
    assertThat(data.get("actualVersion").asLong()).isEqualTo(2);
    assertThat(data.get("writerId").asText()).isEqualTo("w-2");
    assertThat(data.has("appliedVersion")).isFalse();
  }

  @Test
  void repeatedWriterIdAnswersVersionMismatchWithTheAppliedVersion() {
    client.call(KvService.PUT, new PutParams("a", "x", 0L, "w-1"));
    client.call(KvService.PUT, new PutParams("a", "y", 1L, "w-2"));

    ApplicationException e = putFails(new PutParams("a", "x", 0L, "w-1"));

    assertThat(e.code()).isEqualTo(OccErrors.VERSION_MISMATCH);
    assertThat(e.data().get("appliedVersion").asLong()).isEqualTo(1);
    assertThat(e.data().get("actualVersion").asLong()).isEqualTo(2);
  }

  @Test
  void createOfAnExistingKeyAnswersKeyExistsWithTheActualVersion() {
    client.call(KvService.PUT, new PutParams("a", "x", 0L, "w-1"));

    ApplicationException e = putFails(new PutParams("a", "y", 0L, "w-2"));

    assertThat(e.code()).isEqualTo(OccErrors.KEY_EXISTS);
    assertThat(e.data().get("actualVersion").asLong()).isEqualTo(1);
  }

  @Test
  void updateOfAMissingKeyAnswersKeyNotFound() {
    ApplicationException e = putFails(new PutParams("a", "y", 4L, "w-1"));

    assertThat(e.code()).isEqualTo(OccErrors.KEY_NOT_FOUND);
  }

  @Test
  void writeWithoutWriterIdIsAcceptedAndReadsWithoutOne() {
    client.call(KvService.PUT, new PutParams("a", "x", 0L, null));

    assertThat(client.call(KvService.GET, new GetParams("a")))
        .isEqualTo(new Entry("a", "x", 1, null));
  }

  @Test
  void missingOrBadParamsAnswerInvalidParamsNamingTheField() {
    assertThat(catchThrowableOfType(InvalidParamsException.class,
        () -> client.call(KvService.PUT, new PutParams("a", "x", null, "w"))))
        .hasMessageContaining("expectedVersion: missing");
    assertThat(catchThrowableOfType(InvalidParamsException.class,
        () -> client.call(KvService.PUT, new PutParams("a", "x", -2L, "w"))))
        .hasMessageContaining("expectedVersion: -2");
    assertThat(catchThrowableOfType(InvalidParamsException.class,
        () -> client.call(KvService.PUT, new PutParams("", "x", 0L, "w"))))
        .hasMessageContaining("key: \"\"");
    assertThat(catchThrowableOfType(InvalidParamsException.class,
        () -> client.call(KvService.PUT, new PutParams("a", null, 0L, "w"))))
        .hasMessageContaining("value: missing");
    assertThat(catchThrowableOfType(InvalidParamsException.class,
        () -> client.call(KvService.PUT, new PutParams("a", "x", 0L, ""))))
        .hasMessageContaining("writerId: \"\"");
    assertThat(catchThrowableOfType(InvalidParamsException.class,
        () -> client.call(KvService.GET, new GetParams(null))))
        .hasMessageContaining("key: missing");
    assertThat(storage.snapshot()).isEmpty();
  }
}
