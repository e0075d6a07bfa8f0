package io.keelrpc.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutcomeLogModelTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void findsWhatWasAppendedWithEveryPart() {
    OutcomeLog log = new OutcomeLog();
    log.append(bytes("k1"), 11, 100, false, bytes("{\"v\":1}"));
    log.append(bytes("k2"), 22, 200, true, bytes("{\"code\":1}"));

    OutcomeLog.Found k2 = log.find(bytes("k2"));

    assertThat(k2.fingerprint()).isEqualTo(22);
    assertThat(k2.expiresAt()).isEqualTo(200);
    assertThat(k2.error()).isTrue();
    assertThat(new String(k2.json(), StandardCharsets.UTF_8)).isEqualTo("{\"code\":1}");
    assertThat(log.find(bytes("k3"))).isNull();
    assertThat(log.size()).isEqualTo(2);
    assertThat(log.oldestExpiresAt()).isEqualTo(100);
  }

  @Test
  void resultsLargerThanAChunkSpanChunksIntact() {
    OutcomeLog log = new OutcomeLog();
    byte[] big = new byte[200_000];
    new Random(1).nextBytes(big);
    log.append(bytes("small"), 1, 1, false, bytes("1"));
    log.append(bytes("big"), 2, 2, false, big);
    log.append(bytes("after"), 3, 3, false, bytes("3"));

    assertThat(log.find(bytes("big")).json()).isEqualTo(big);
    log.removeOldest();
    log.removeOldest();
    assertThat(log.find(bytes("big"))).isNull();
    assertThat(new String(log.find(bytes("after")).json(), StandardCharsets.UTF_8)).isEqualTo("3");
  }

  @Test
  void aNewerRecordOfTheSameKeyWinsAndSurvivesTheOlderOnesRemoval() {
    OutcomeLog log = new OutcomeLog();
    log.append(bytes("k"), 1, 1, false, bytes("old"));
    log.append(bytes("k"), 2, 2, false, bytes("new"));

    log.removeOldest();

    assertThat(log.find(bytes("k")).fingerprint()).isEqualTo(2);
    assertThat(log.size()).isEqualTo(1);
  }

  @Test
  void removingFromAnEmptyLogFails() {
    assertThatThrownBy(() -> new OutcomeLog().removeOldest())
        .isInstanceOf(IllegalStateException.class);
  }

  /**
   * Random appends and head removals against a map-plus-queue model: every key the model holds is
   * found with its own bytes, every removed key is gone, across index growth, chunk turnover and
   * backward-shift deletions.
   */
  @Test
  void agreesWithAMapAndQueueModelOverManyRandomOperations() {
    Random random = new Random(42);
    OutcomeLog log = new OutcomeLog();
    ArrayDeque<String> order = new ArrayDeque<>();
    Map<String, byte[]> model = new HashMap<>();
    int next = 0;
    for (int step = 0; step < 200_000; step++) {
      if (order.isEmpty() || random.nextInt(100) < 55) {
        String key = "key-" + next++;
        byte[] json = new byte[random.nextInt(300)];
        random.nextBytes(json);
        log.append(bytes(key), next, step, false, json);
        order.addLast(key);
        model.put(key, json);
      } else {
        log.removeOldest();
        model.remove(order.pollFirst());
      }
      if (step % 1000 == 0) {
        for (String key : order) {
          assertThat(log.find(bytes(key))).as(key).isNotNull();
          assertThat(log.find(bytes(key)).json()).isEqualTo(model.get(key));
        }
        String gone = "key-" + random.nextInt(Math.max(1, next));
        if (!model.containsKey(gone)) {
          assertThat(log.find(bytes(gone))).as(gone).isNull();
        }
      }
    }
    assertThat(log.size()).isEqualTo(order.size());
    long payload = order.stream()
        .mapToLong(k -> bytes(k).length + model.get(k).length).sum();
    assertThat(log.payloadBytes()).isEqualTo(payload);
    while (!order.isEmpty()) {
      log.removeOldest();
      order.pollFirst();
    }
    assertThat(log.bytes()).isZero();
    assertThat(log.size()).isZero();
  }
}
