package io.keelrpc.client.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.client.KeelStream;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.UnauthenticatedException;
import io.keelrpc.server.Authenticator;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bearer tokens from the client, the server's authenticator, and principal-scoped dedup. */
class KeelClientAuthenticationTest {
  record Add(long delta) {}

  record Total(long value) {}

  record Count(int n) {}

  static final MethodDescriptor<Add, Total> ADD = MethodDescriptor.of("add", Add.class, Total.class);
  static final MethodDescriptor<Count, Total> COUNT =
      MethodDescriptor.of("count", Count.class, Total.class);

  record Who(String name) {}

  static final MethodDescriptor<Count, Who> WHO = MethodDescriptor.of("who", Count.class, Who.class);

  private final AtomicInteger runs = new AtomicInteger();
  private final AtomicInteger total = new AtomicInteger();
  private final KeelServer server = KeelServer.builder().port(0)
      .shutdownGracePeriod(Duration.ZERO)
      .authenticator(Authenticator.bearerTokens(Map.of("t-alice", "alice", "t-bob", "bob")))
      .handle(ADD, (p, ctx) -> {
        runs.incrementAndGet();
        return new Total(total.addAndGet((int) p.delta()));
      })
      .handleServerStream(WHO, (p, out, ctx) ->
          out.send(new Who(ctx.principal().map(java.security.Principal::getName).orElse("none"))))
      .handleServerStream(COUNT, (p, out, ctx) -> {
        for (int i = 1; i <= p.n(); i++) {
          out.send(new Total(i));
        }
      })
      .start();
  private final List<KeelClient> clients = new ArrayList<>();

  private KeelClient client(String token) {
    KeelClient.Builder b = KeelClient.builder().endpoint("127.0.0.1", server.port())
        .deadline(Duration.ofSeconds(5));
    if (token != null) {
      b.bearerToken(() -> token);
    }
    KeelClient c = b.build();
    clients.add(c);
    return c;
  }

  @AfterEach
  void close() {
    clients.forEach(KeelClient::close);
    server.close();
  }

  @Test
  void callWithAValidTokenSucceeds() {
    assertThat(client("t-alice").call(ADD, new Add(2)).value()).isEqualTo(2);
  }

  @Test
  void callWithoutATokenIsUnauthenticatedAndNotRetried() {
    KeelClient anonymous = client(null);

    assertThatThrownBy(() -> anonymous.call(ADD, new Add(2)))
        .isInstanceOf(UnauthenticatedException.class);
    assertThat(runs).hasValue(0);
    // the connection is still usable afterwards
    assertThatThrownBy(() -> anonymous.call(ADD, new Add(2)))
        .isInstanceOf(UnauthenticatedException.class);
  }

  @Test
  void tokenIsReadForEachCall() {
    AtomicReference<String> token = new AtomicReference<>("t-wrong");
    KeelClient c = KeelClient.builder().endpoint("127.0.0.1", server.port())
        .bearerToken(token::get).build();
    clients.add(c);

    assertThatThrownBy(() -> c.call(ADD, new Add(1))).isInstanceOf(UnauthenticatedException.class);
    token.set("t-bob");

    assertThat(c.call(ADD, new Add(1)).value()).isEqualTo(1);
  }

  @Test
  void sameIdempotencyKeyFromTwoPrincipalsRunsForEach() {
    CallOptions key = CallOptions.builder().idempotencyKey("transfer-1").build();

    Total alice = client("t-alice").call(ADD, new Add(5), key);
    Total bob = client("t-bob").call(ADD, new Add(5), key);
    Total aliceAgain = client("t-alice").call(ADD, new Add(5), key);

    assertThat(alice.value()).isEqualTo(5);
    assertThat(bob.value()).isEqualTo(10);
    assertThat(aliceAgain).isEqualTo(alice);
    assertThat(runs).hasValue(2);
  }

  @Test
  void streamsCarryTheToken() {
    try (KeelStream<Total> s = client("t-alice").serverStream(COUNT, new Count(3))) {
      List<Long> values = new ArrayList<>();
      s.iterator().forEachRemaining(t -> values.add(t.value()));

      assertThat(values).containsExactly(1L, 2L, 3L);
    }
  }

  @Test
  void streamWithoutATokenIsUnauthenticated() {
    try (KeelStream<Total> s = client(null).serverStream(COUNT, new Count(3))) {
      assertThatThrownBy(s::next).isInstanceOf(UnauthenticatedException.class);
    }
  }

  @Test
  void streamHandlersSeeTheCallersPrincipal() {
    try (KeelStream<Who> stream = client("t-bob").serverStream(WHO, new Count(1))) {
      assertThat(stream.next()).isEqualTo(new Who("bob"));
    }
  }
}
