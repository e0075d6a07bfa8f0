package io.keelrpc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Method names that can be sent on the wire, and the read-only marker. */
class MethodDescriptorValidationTest {
  record Params(String key) {}

  record Result(long value) {}

  @ParameterizedTest
  @ValueSource(strings = {"", "two words", "tab\there", "new\nline", "nul\u0000"})
  void nameThatIsEmptyOrHoldsWhitespaceOrControlCharactersIsRefused(String name) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MethodDescriptor.of(name, Params.class, Result.class))
        .withMessageStartingWith("name: \"" + name + "\" (expected: 1..256 characters");
  }

  @Test
  void nameLongerThanTheLimitIsRefusedAndTheLimitItselfAccepted() {
    String longest = "m".repeat(MethodDescriptor.MAX_NAME_LENGTH);

    assertThat(MethodDescriptor.of(longest, Params.class, Result.class).name()).isEqualTo(longest);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MethodDescriptor.of(longest + "m", Params.class, Result.class));
  }

  @Test
  void nullsAreRefusedWithTheParameterName() {
    assertThatNullPointerException()
        .isThrownBy(() -> MethodDescriptor.of(null, Params.class, Result.class)).withMessage("name");
    assertThatNullPointerException()
        .isThrownBy(() -> MethodDescriptor.of("m", null, Result.class)).withMessage("paramsType");
    assertThatNullPointerException()
        .isThrownBy(() -> MethodDescriptor.of("m", Params.class, null)).withMessage("resultType");
  }

  @Test
  void asReadOnlyReturnsAMarkedCopyAndLeavesTheOriginal() {
    MethodDescriptor<Params, Result> inc = MethodDescriptor.of("kv.inc", Params.class, Result.class);

    MethodDescriptor<Params, Result> get = inc.asReadOnly();

    assertThat(inc.readOnly()).isFalse();
    assertThat(get.readOnly()).isTrue();
    assertThat(get.name()).isEqualTo("kv.inc");
    assertThat(get.paramsType()).isEqualTo(Params.class);
    assertThat(get.resultType()).isEqualTo(Result.class);
    assertThat(get).hasToString("kv.inc(Params) -> Result [read-only]");
    assertThat(inc).hasToString("kv.inc(Params) -> Result");
  }
}
