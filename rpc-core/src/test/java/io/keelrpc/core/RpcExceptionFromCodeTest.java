package io.keelrpc.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.keelrpc.core.wire.ErrorObject;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link RpcException#from}: each wire code becomes its own exception type. */
class RpcExceptionFromCodeTest {
  private static final Map<ErrorCode, Class<? extends RpcException>> TYPES =
      new EnumMap<>(ErrorCode.class);

  static {
    TYPES.put(ErrorCode.PARSE_ERROR, ParseErrorException.class);
    TYPES.put(ErrorCode.INVALID_REQUEST, InvalidRequestException.class);
    TYPES.put(ErrorCode.METHOD_NOT_FOUND, MethodNotFoundException.class);
    TYPES.put(ErrorCode.INVALID_PARAMS, InvalidParamsException.class);
    TYPES.put(ErrorCode.INTERNAL_ERROR, InternalErrorException.class);
    TYPES.put(ErrorCode.SERVER_ERROR, ServerErrorException.class);
    TYPES.put(ErrorCode.OVERLOADED, OverloadedException.class);
    TYPES.put(ErrorCode.DEADLINE_EXCEEDED, DeadlineExceededException.class);
    TYPES.put(ErrorCode.UNAVAILABLE, UnavailableException.class);
    TYPES.put(ErrorCode.IDEMPOTENCY_KEY_REUSED, IdempotencyKeyReusedException.class);
    TYPES.put(ErrorCode.CANCELLED, CancelledException.class);
    TYPES.put(ErrorCode.UNAUTHENTICATED, UnauthenticatedException.class);
  }

  private static final JsonNode DATA = JsonNodeFactory.instance.objectNode().put("k", 1);

  @Test
  void everyErrorCodeHasAnExpectedTypeHere() {
    assertThat(TYPES.keySet()).containsExactlyInAnyOrder(ErrorCode.values());
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyErrorCodeMapsToItsOwnTypeWithItsCodeAndRetrySafety(ErrorCode code) {
    RpcException e = RpcException.from(code.code(), "msg", DATA);

    assertThat(e).isExactlyInstanceOf(TYPES.get(code)).hasMessage("msg");
    assertThat(e.code()).isEqualTo(code.code());
    assertThat(e.errorCode()).isEqualTo(code);
    assertThat(e.retrySafety()).isEqualTo(code.retrySafety());
    assertThat(e.data()).isEqualTo(DATA);
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void errorObjectRoundTripsThroughTheException(ErrorCode code) {
    ErrorObject wire = new ErrorObject(code.code(), "m", DATA);

    assertThat(RpcException.from(wire).toErrorObject()).isEqualTo(wire);
  }

  @Test
  void retrySafetyFollowsTheProtocolTable() {
    assertThat(ErrorCode.OVERLOADED.retrySafety()).isEqualTo(RetrySafety.ALWAYS);
    assertThat(ErrorCode.UNAVAILABLE.retrySafety()).isEqualTo(RetrySafety.ALWAYS);
    assertThat(ErrorCode.SERVER_ERROR.retrySafety()).isEqualTo(RetrySafety.IF_IDEMPOTENT);
    assertThat(ErrorCode.DEADLINE_EXCEEDED.retrySafety()).isEqualTo(RetrySafety.NEVER);
    assertThat(ErrorCode.INTERNAL_ERROR.retrySafety()).isEqualTo(RetrySafety.NEVER);
  }

  @ParameterizedTest
  @ValueSource(ints = {1001, 0, -1, -31999, -32769, Integer.MIN_VALUE, Integer.MAX_VALUE})
  void codeOutsideTheReservedRangeIsAnApplicationErrorNeverRetried(int code) {
    RpcException e = RpcException.from(code, "version mismatch", DATA);

    assertThat(e).isExactlyInstanceOf(ApplicationException.class);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.errorCode()).isNull();
    assertThat(e.retrySafety()).isEqualTo(RetrySafety.NEVER);
    assertThat(e.data()).isEqualTo(DATA);
  }

  @ParameterizedTest
  @ValueSource(ints = {-32768, -32050, -32007, -32099})
  void unknownReservedCodeIsAPlainRpcExceptionNeverRetried(int code) {
    RpcException e = RpcException.from(code, "future", null);

    assertThat(e).isExactlyInstanceOf(RpcException.class);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.errorCode()).isNull();
    assertThat(e.retrySafety()).isEqualTo(RetrySafety.NEVER);
  }

  @Test
  void missingMessageBecomesEmpty() {
    assertThat(RpcException.from(-32003, null, null)).hasMessage("");
  }
}
