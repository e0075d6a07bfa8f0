package io.keelrpc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Application errors must stay out of the code range the protocol reserves. */
class ApplicationExceptionCodeTest {

  @ParameterizedTest
  @ValueSource(ints = {-32768, -32600, -32001, -32000, -32050})
  void reservedCodeIsRefused(int code) {
    assertThatIllegalArgumentException().isThrownBy(() -> new ApplicationException(code, "x"))
        .withMessage("code: " + code + " (expected: outside -32768..-32000)");
  }

  @ParameterizedTest
  @ValueSource(ints = {-32769, -31999, 0, 1001})
  void codeOutsideTheReservedRangeIsAccepted(int code) {
    ApplicationException e = new ApplicationException(code, "x");

    assertThat(e.code()).isEqualTo(code);
    assertThat(e.data()).isNull();
    assertThat(e.retrySafety()).isEqualTo(RetrySafety.NEVER);
  }
}
