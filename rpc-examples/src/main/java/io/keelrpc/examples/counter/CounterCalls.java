package io.keelrpc.examples.counter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.wire.KeelJson;
import io.keelrpc.examples.counter.CounterService.Counter;
import io.keelrpc.examples.counter.CounterService.IncParams;
import io.keelrpc.examples.counter.CounterService.KeyParams;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of seed task 1's demo: {@code inc} three times, then {@code get}, each reply
 * printed as one JSON line.
 */
public final class CounterCalls {
  /**
   * The seed client's policy in Keel terms: 250 ms per attempt, up to 3 retries with exponential
   * backoff from 50 ms and +10% proportional jitter. {@code inc} is marked idempotent because a
   * Keel server deduplicates by the call id every attempt shares, so a retry after a timeout
   * returns the first execution's answer instead of adding {@code delta} twice.
   */
  public static final CallOptions SEED_OPTIONS = CallOptions.builder()
      .perAttemptTimeout(Duration.ofMillis(250))
      .deadline(Duration.ofSeconds(2))
      .retryPolicy(RetryPolicy.builder()
          .maxAttempts(4)
          .initialBackoff(Duration.ofMillis(50))
          .multiplier(2.0)
          .jitter(Jitter.proportional(0.1))
          .build())
      .idempotent(true)
      .build();

  private static final ObjectMapper JSON = KeelJson.mapper();

  private CounterCalls() {}

  /**
   * Calls {@code inc(key, delta)} three times and {@code get(key)} once over {@code client},
   * printing each exchange to {@code out}; returns the four replies in order.
   *
   * @throws io.keelrpc.core.KeelException the first call that failed
   */
  public static List<Counter> incThreeTimesThenGet(KeelClient client, String key, long delta,
      PrintWriter out) {
    List<Counter> replies = new ArrayList<>();
    IncParams inc = new IncParams(key, delta);
    for (int i = 0; i < 3; i++) {
      replies.add(callAndPrint(client, CounterService.INC, inc, out));
    }
    replies.add(callAndPrint(client, CounterService.GET, new KeyParams(key), out));
    return replies;
  }

  private static <P> Counter callAndPrint(KeelClient client, MethodDescriptor<P, Counter> method,
      P params, PrintWriter out) {
    Counter reply = client.call(method, params, SEED_OPTIONS);
    ObjectNode line = JSON.createObjectNode().put("method", method.name());
    line.set("params", JSON.valueToTree(params));
    line.set("result", JSON.valueToTree(reply));
    out.println(line);
    out.flush();
    return reply;
  }
}
