package io.keelrpc.client.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A fixed id prefix makes a client's call ids repeatable, which replaying a seed needs. */
class KeelClientIdPrefixTest {
  record Echo(String text) {}

  static final MethodDescriptor<Echo, Echo> ECHO = MethodDescriptor.of("echo", Echo.class,
      Echo.class);

  @Test
  void callIdsAreThePrefixAndACounterFromOne() {
    List<String> keys = new CopyOnWriteArrayList<>();
    try (KeelServer server = KeelServer.builder().port(0).ioThreads(1).workerThreads(1)
            .shutdownGracePeriod(Duration.ZERO)
            .handle(ECHO, (p, ctx) -> {
              keys.add(ctx.idempotencyKey().orElseThrow());
              return p;
            })
            .start();
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port())
            .idPrefix("order-7-").build()) {
      client.call(ECHO, new Echo("a"));
      client.call(ECHO, new Echo("b"));
    }

    assertThat(keys).containsExactly("order-7-1", "order-7-2");
  }

  @Test
  void badPrefixesAreRefused() {
    KeelClient.Builder b = KeelClient.builder();
    String tooLong = "x".repeat(KeelClient.Builder.MAX_ID_PREFIX_LENGTH + 1);

    assertThatIllegalArgumentException().isThrownBy(() -> b.idPrefix(""))
        .withMessage("idPrefix: \"\" (expected: 1..128 characters)");
    assertThatIllegalArgumentException().isThrownBy(() -> b.idPrefix(tooLong))
        .withMessage("idPrefix: \"" + tooLong + "\" (expected: 1..128 characters)");
    assertThatNullPointerException().isThrownBy(() -> b.idPrefix(null)).withMessage("prefix");
    assertThatNullPointerException().isThrownBy(() -> b.faultInjector(null))
        .withMessage("injector");
  }
}
