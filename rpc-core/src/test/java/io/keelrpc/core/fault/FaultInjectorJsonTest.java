package io.keelrpc.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.wire.KeelJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSON form of an injector, as a scenario file holds it, and its error messages. */
class FaultInjectorJsonTest {
  private static JsonNode json(String text) {
    try {
      return KeelJson.mapper().readTree(text.replace('\'', '"'));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @Test
  void readsSeedAllMethodsRuleAndPerMethodRules() {
    FaultInjector faults = FaultInjector.fromJson(json("{'seed':42,"
        + "'all':{'dropRequest':0.1,'dropResponse':0.1,'duplicateRequest':0.05,'disconnect':0.0,"
        + "'delay':{'rate':0.2,'kind':'uniform','minMs':1,'maxMs':20}},"
        + "'methods':{'kv.put':{'dropResponse':0.3,'delay':{'rate':1,'kind':'fixed','ms':2.5}},"
        + "'kv.get':{'delay':{'rate':0.5,'kind':'exponential','meanMs':10}},"
        + "'health':{}}}"));

    assertThat(faults.seed()).isEqualTo(42);
    assertThat(faults.allMethodsRule()).isEqualTo(FaultRule.builder()
        .dropRequest(0.1).dropResponse(0.1).duplicateRequest(0.05)
        .delay(0.2, Delay.uniform(ms(1), ms(20))).build());
    assertThat(faults.ruleFor("kv.put")).isEqualTo(FaultRule.builder().dropResponse(0.3)
        .delay(1, Delay.fixed(Duration.ofNanos(2_500_000))).build());
    assertThat(faults.ruleFor("kv.get")).isEqualTo(FaultRule.builder()
        .delay(0.5, Delay.exponential(ms(10))).build());
    assertThat(faults.ruleFor("health")).isEqualTo(FaultRule.none());
    assertThat(faults.methodRules().keySet()).containsExactly("kv.put", "kv.get", "health");
  }

  @Test
  void everyMemberIsOptional() {
    FaultInjector faults = FaultInjector.fromJson(json("{}"));

    assertThat(faults.seed()).isEqualTo(FaultInjector.DEFAULT_SEED);
    assertThat(faults.isNone()).isTrue();
  }

  @Test
  void theSameJsonGivesTheSameDecisions() {
    JsonNode config = json("{'seed':7,'all':{'dropRequest':0.5}}");
    FaultInjector a = FaultInjector.fromJson(config);
    FaultInjector b = FaultInjector.builder().seed(7)
        .forAllMethods(FaultRule.builder().dropRequest(0.5).build()).build();

    for (int i = 0; i < 200; i++) {
      assertThat(a.plan(FaultInjector.Side.CLIENT, "m", "id-" + i, 1))
          .isEqualTo(b.plan(FaultInjector.Side.CLIENT, "m", "id-" + i, 1));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "[]                                          | fault config: [] (expected: an object)",
      "{'sead':1}                                  | sead: unknown member (expected: one of seed, all, methods)",
      "{'seed':'x'}                                | seed: \"x\" (expected: an integer)",
      "{'seed':1.5}                                | seed: 1.5 (expected: an integer)",
      "{'all':[]}                                  | all: [] (expected: an object)",
      "{'all':{'dropRequst':0.1}}                  | all.dropRequst: unknown member (expected: one of dropRequest, dropResponse, delay, duplicateRequest, disconnect)",
      "{'all':{'dropRequest':1.5}}                 | all.dropRequest: 1.5 (expected: 0..1)",
      "{'all':{'dropResponse':-1}}                 | all.dropResponse: -1 (expected: 0..1)",
      "{'all':{'disconnect':'often'}}              | all.disconnect: \"often\" (expected: a number in 0..1)",
      "{'all':{'delay':5}}                         | all.delay: 5 (expected: an object)",
      "{'all':{'delay':{'rate':0.1}}}              | all.delay.kind: missing (expected: \"fixed\", \"uniform\" or \"exponential\")",
      "{'all':{'delay':{'kind':'fixed','ms':1}}}   | all.delay.rate: missing (expected: a number in 0..1)",
      "{'all':{'delay':{'rate':2,'kind':'fixed','ms':1}}} | all.delay.rate: 2 (expected: 0..1)",
      "{'all':{'delay':{'rate':0.1,'kind':'gauss'}}}      | all.delay.kind: \"gauss\" (expected: \"fixed\", \"uniform\" or \"exponential\")",
      "{'all':{'delay':{'rate':0.1,'kind':'fixed'}}}      | all.delay.ms: missing (expected: a number of milliseconds in 0..3600000)",
      "{'all':{'delay':{'rate':0.1,'kind':'fixed','ms':-3}}} | all.delay.ms: -3 (expected: a number of milliseconds in 0..3600000)",
      "{'all':{'delay':{'rate':0.1,'kind':'fixed','ms':1,'maxMs':2}}} | all.delay.maxMs: unknown member (expected: one of rate, kind, ms)",
      "{'all':{'delay':{'rate':0.1,'kind':'uniform','minMs':20,'maxMs':1}}} | all.delay.maxMs: 1 (expected: >= minMs 20)",
      "{'all':{'delay':{'rate':0.1,'kind':'exponential','meanMs':'x'}}} | all.delay.meanMs: \"x\" (expected: a number of milliseconds in 0..3600000)",
      "{'methods':[]}                              | methods: [] (expected: an object)",
      "{'methods':{'kv.put':{'dropRequest':3}}}    | methods[\"kv.put\"].dropRequest: 3 (expected: 0..1)",
      "{'methods':{'kv.put':{'delay':{'rate':1,'kind':'uniform','minMs':1}}}} | methods[\"kv.put\"].delay.maxMs: missing (expected: a number of milliseconds in 0..3600000)",
      "{'methods':{'':{}}}                         | methods[\"\"]: empty method name (expected: a name)",
  })
  void badConfigsNameTheBadMember(String config, String message) {
    assertThatIllegalArgumentException().isThrownBy(() -> FaultInjector.fromJson(json(config)))
        .withMessage(message);
  }
}
