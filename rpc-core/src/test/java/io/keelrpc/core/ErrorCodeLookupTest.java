package io.keelrpc.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link ErrorCode#of} and {@link ErrorCode#isReserved}. */
class ErrorCodeLookupTest {

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyConstantIsFoundByItsCodeInsideTheReservedRange(ErrorCode code) {
    assertThat(ErrorCode.of(code.code())).isSameAs(code);
    assertThat(ErrorCode.isReserved(code.code())).isTrue();
    assertThat(code.defaultMessage()).isNotBlank();
  }

  @Test
  void codesAreDistinctAndMatchTheProtocolTable() {
    assertThat(Arrays.stream(ErrorCode.values()).mapToInt(ErrorCode::code)).doesNotHaveDuplicates();
    assertThat(ErrorCode.PARSE_ERROR.code()).isEqualTo(-32700);
    assertThat(ErrorCode.INVALID_REQUEST.code()).isEqualTo(-32600);
    assertThat(ErrorCode.OVERLOADED.code()).isEqualTo(-32001);
    assertThat(ErrorCode.UNAUTHENTICATED.code()).isEqualTo(-32006);
  }

  @Test
  void codesWithoutAConstantAreNotFound() {
    assertThat(ErrorCode.of(-32007)).isNull();
    assertThat(ErrorCode.of(1001)).isNull();
    assertThat(ErrorCode.of(0)).isNull();
  }

  @Test
  void reservedRangeIsInclusiveOfBothEnds() {
    assertThat(ErrorCode.isReserved(-32768)).isTrue();
    assertThat(ErrorCode.isReserved(-32000)).isTrue();
    assertThat(ErrorCode.isReserved(-32769)).isFalse();
    assertThat(ErrorCode.isReserved(-31999)).isFalse();
  }
}
