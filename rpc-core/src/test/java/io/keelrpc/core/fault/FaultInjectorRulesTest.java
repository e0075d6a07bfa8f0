package io.keelrpc.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.keelrpc.core.fault.FaultInjector.Side;
import org.junit.jupiter.api.Test;

/** Which rule applies to a method, and the builder's checks. */
class FaultInjectorRulesTest {
  private static final FaultRule DROP_ALL = FaultRule.builder().dropRequest(1).build();

  @Test
  void aMethodsOwnRuleReplacesTheAllMethodsRule() {
    FaultRule putRule = FaultRule.builder().dropResponse(1).build();
    FaultInjector faults = FaultInjector.builder()
        .forAllMethods(DROP_ALL)
        .forMethod("kv.put", putRule)
        .forMethod("kv.get", FaultRule.none())
        .build();

    assertThat(faults.ruleFor("kv.put")).isEqualTo(putRule);
    assertThat(faults.ruleFor("kv.get")).isEqualTo(FaultRule.none());
    assertThat(faults.ruleFor("inc")).isEqualTo(DROP_ALL);
    assertThat(faults.plan(Side.SERVER, "kv.put", "id-1", 1))
        .isEqualTo(new FaultPlan(false, true, false, java.time.Duration.ZERO, false, false));
    assertThat(faults.plan(Side.SERVER, "kv.get", "id-1", 1)).isEqualTo(FaultPlan.NONE);
    assertThat(faults.plan(Side.SERVER, "inc", "id-1", 1).dropRequest()).isTrue();
  }

  @Test
  void withoutAnAllMethodsRuleOtherMethodsSufferNothing() {
    FaultInjector faults = FaultInjector.builder().forMethod("kv.put", DROP_ALL).build();

    assertThat(faults.ruleFor("inc")).isEqualTo(FaultRule.none());
    assertThat(faults.plan(Side.CLIENT, "inc", "x", 1).isNone()).isTrue();
    assertThat(faults.isNone()).isFalse();
  }

  @Test
  void anInjectorWithoutRatesIsNone() {
    assertThat(FaultInjector.builder().build().isNone()).isTrue();
    assertThat(FaultInjector.builder().forMethod("a", FaultRule.none()).build().isNone())
        .isTrue();
    assertThat(FaultInjector.builder().build().seed()).isEqualTo(FaultInjector.DEFAULT_SEED);
  }

  @Test
  void aSecondRuleForOneMethodIsRefused() {
    FaultInjector.Builder b = FaultInjector.builder().forMethod("kv.put", DROP_ALL);

    assertThatIllegalArgumentException().isThrownBy(() -> b.forMethod("kv.put", DROP_ALL))
        .withMessage("method: \"kv.put\" (expected: one rule per method)");
    assertThatIllegalArgumentException().isThrownBy(() -> b.forMethod("", DROP_ALL))
        .withMessage("method: \"\" (expected: a non-empty name)");
  }

  @Test
  void nullsAreRefusedWithTheParameterName() {
    FaultInjector.Builder b = FaultInjector.builder();
    FaultInjector faults = b.build();

    assertThatNullPointerException().isThrownBy(() -> b.forAllMethods(null)).withMessage("rule");
    assertThatNullPointerException().isThrownBy(() -> b.forMethod(null, DROP_ALL))
        .withMessage("method");
    assertThatNullPointerException().isThrownBy(() -> b.forMethod("a", null))
        .withMessage("rule");
    assertThatNullPointerException().isThrownBy(() -> faults.plan(null, "a", "b", 1))
        .withMessage("side");
    assertThatNullPointerException().isThrownBy(() -> faults.plan(Side.CLIENT, "a", null, 1))
        .withMessage("id");
    assertThatNullPointerException().isThrownBy(() -> faults.newHandler(null))
        .withMessage("side");
    assertThatNullPointerException().isThrownBy(() -> FaultInjector.fromJson(null))
        .withMessage("config");
  }

  @Test
  void methodRulesKeepTheirOrderAndCannotBeChanged() {
    FaultInjector faults = FaultInjector.builder()
        .forMethod("b", DROP_ALL).forMethod("a", FaultRule.none()).build();

    assertThat(faults.methodRules()).containsKeys("b", "a");
    assertThat(faults.methodRules().keySet()).containsExactly("b", "a");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> faults.methodRules().put("c", DROP_ALL))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aNewInjectorHasNoCounts() {
    assertThat(FaultInjector.builder().forAllMethods(DROP_ALL).build().stats())
        .isEqualTo(FaultStats.ZERO);
    assertThat(FaultStats.ZERO.total()).isZero();
  }
}
