package io.keelrpc.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.IdempotencyKeyReusedException;
import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.fault.FaultInjector.Side;
import io.keelrpc.core.fault.FaultRule;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The recipes "Idempotent retries of a payment" and "Fault injection in tests, on virtual time" of
 * {@code docs/recipes.md}: they run over loopback, and the page shows their code verbatim.
 */
class PaymentRecipeDocTest {
  // doc:begin payment-api
  record Charge(String account, long cents) {}

  record Receipt(String chargeId, String account, long cents) {}

  static final MethodDescriptor<Charge, Receipt> CHARGE =
      MethodDescriptor.of("payments.charge", Charge.class, Receipt.class);
  // doc:end payment-api

  private KeelServer server;
  private KeelClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void paymentWithOneKeyIsChargedOnceAndTheKeyCannotBeReusedForAnotherAmount() {
    // doc:begin payment-server
    Map<String, Receipt> charges = new ConcurrentHashMap<>();   // your database
    KeelServer server = KeelServer.builder()
        .port(0)
        .handle(CHARGE, (p, ctx) -> {
          String key = ctx.idempotencyKey().orElseThrow(() -> new InvalidParamsException(
              "meta.idempotencyKey: missing (expected: one key per payment)"));
          return charges.computeIfAbsent(key, k -> new Receipt(k, p.account(), p.cents()));
        })
        .start();
    // doc:end payment-server
    this.server = server;
    KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build();
    this.client = client;

    // doc:begin payment-client
    CallOptions payment = CallOptions.builder()
        .idempotencyKey("order-4711/charge")        // one key per business operation
        .deadline(Duration.ofSeconds(10))
        .perAttemptTimeout(Duration.ofSeconds(2))   // a lost answer is retried after this
        .build();
    Receipt receipt = client.call(CHARGE, new Charge("alice", 1999), payment);
    Receipt again = client.call(CHARGE, new Charge("alice", 1999), payment); // e.g. after a crash
    // doc:end payment-client

    assertThat(again).isEqualTo(receipt)
        .isEqualTo(new Receipt("order-4711/charge", "alice", 1999));
    assertThat(charges).hasSize(1);
    // doc:begin payment-reuse
    assertThatThrownBy(() -> client.call(CHARGE, new Charge("alice", 5000), payment))
        .isInstanceOf(IdempotencyKeyReusedException.class);    // same key, other params
    // doc:end payment-reuse
    assertThat(charges).hasSize(1);
  }

  @Test
  void lostAnswerIsRetriedOnVirtualTimeAndAnsweredFromTheServersCache() throws Exception {
    // doc:begin faults-server
    FaultRule halfTheAnswersLost = FaultRule.builder().dropResponse(0.5).build();
    FaultInjector faults = LongStream.range(0, 1_000)   // the first seed that loses exactly
        .mapToObj(seed -> FaultInjector.builder()       // the answer of attempt 1 of call test-1
            .seed(seed).forMethod("payments.charge", halfTheAnswersLost).build())
        .filter(f -> f.plan(Side.SERVER, "payments.charge", "test-1", 1).dropResponse()
            && !f.plan(Side.SERVER, "payments.charge", "test-1", 2).dropResponse())
        .findFirst().orElseThrow();
    List<Charge> ledger = new CopyOnWriteArrayList<>();
    KeelServer server = KeelServer.builder()
        .port(0)
        .faultInjector(faults)
        .handle(CHARGE, (p, ctx) -> {
          ledger.add(p);
          return new Receipt(ctx.idempotencyKey().orElseThrow(), p.account(), p.cents());
        })
        .start();
    // doc:end faults-server
    this.server = server;

    // doc:begin faults-client
    FakeClock clock = new FakeClock();                   // rpc-core's test-jar
    KeelClient client = KeelClient.builder()
        .endpoint("127.0.0.1", server.port())
        .idPrefix("test-")                               // ids test-1, test-2...: replayable
        .ticker(clock).scheduler(clock)                  // timeouts and backoff on virtual time
        .perAttemptTimeout(Duration.ofMillis(200))
        .retryPolicy(RetryPolicy.builder().jitter(Jitter.none()).build()) // waits 50, 100, ... ms
        .build();
    // doc:end faults-client
    this.client = client;

    // doc:begin faults-run
    CompletableFuture<Receipt> paid = client.callAsync(CHARGE, new Charge("alice", 1999),
        CallOptions.builder().idempotent(true).build());
    await().until(() -> ledger.size() == 1);             // it ran; the answer was dropped
    clock.advance(Duration.ofMillis(200));               // attempt 1 times out
    await().until(() -> clock.pendingDelays().contains(Duration.ofMillis(50)));
    clock.advance(Duration.ofMillis(50));                // the backoff ends: attempt 2 goes out

    assertThat(paid.get(10, TimeUnit.SECONDS)).isEqualTo(new Receipt("test-1", "alice", 1999));
    assertThat(ledger).hasSize(1);                       // answered from the idempotency cache
    assertThat(faults.stats().responsesDropped()).isEqualTo(1);
    // doc:end faults-run
  }

  @Test
  void pageShowsTheRecipesVerbatim() {
    for (String region : List.of("payment-api", "payment-server", "payment-client",
        "payment-reuse", "faults-server", "faults-client", "faults-run")) {
      DocSnippets.assertShown("recipes.md", region,
          DocSnippets.region(PaymentRecipeDocTest.class, region));
    }
  }
}
