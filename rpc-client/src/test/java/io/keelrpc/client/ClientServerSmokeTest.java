package io.keelrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.MethodNotFoundException;
import io.keelrpc.server.KeelServer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientServerSmokeTest {
  record Inc(String key, long delta) {}
  record Counter(String key, long value) {}

  static final MethodDescriptor<Inc, Counter> INC = MethodDescriptor.of("inc", Inc.class, Counter.class);
  static final MethodDescriptor<Inc, Counter> NOPE = MethodDescriptor.of("nope", Inc.class, Counter.class);

  @Test
  void incrementsOverLoopback() {
    AtomicLong value = new AtomicLong();
    try (KeelServer server = KeelServer.builder()
            .handle(INC, (p, ctx) -> new Counter(p.key(), value.addAndGet(p.delta())))
            .start();
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      assertThat(client.call(INC, new Inc("a", 2))).isEqualTo(new Counter("a", 2));
      assertThat(client.call(INC, new Inc("a", 3))).isEqualTo(new Counter("a", 5));
      assertThatThrownBy(() -> client.call(NOPE, new Inc("a", 1)))
          .isInstanceOf(MethodNotFoundException.class).hasMessageContaining("nope");
    }
  }
}
