package io.keelrpc.core.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The Jackson configuration Keel reads and writes messages with, including the read limits that
 * keep hostile input cheap to reject.
 *
 * <ul>
 *   <li>nesting depth at most {@value #MAX_NESTING_DEPTH}
 *   <li>strings at most {@value #MAX_STRING_LENGTH} characters (the default max frame)
 *   <li>numbers at most {@value #MAX_NUMBER_LENGTH} digits
 *   <li>unknown properties in params are ignored (so services can evolve); trailing content after
 *       the message object is an error
 * </ul>
 */
public final class KeelJson {
  /** Deepest nesting of arrays and objects accepted in one message. */
  public static final int MAX_NESTING_DEPTH = 128;
  /** Longest string value accepted, in characters. */
  public static final int MAX_STRING_LENGTH = 1 << 20;
  /** Longest number accepted, in characters. */
  public static final int MAX_NUMBER_LENGTH = 100;

  private static final ObjectMapper MAPPER = newMapper();

  private KeelJson() {}

  /** The shared, thread-safe mapper with Keel's limits and features. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A new mapper configured like {@link #mapper()}, for callers that register their own modules. */
  public static ObjectMapper newMapper() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .build())
        .build();
    return JsonMapper.builder(factory)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();
  }
}
