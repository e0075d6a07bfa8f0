package io.keelrpc.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.core.wire.MessageCodec;
import java.io.IOException;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Binds a request's params, as the bytes that were sent, to a handler's params type in one pass.
 * Absent params bind as an empty object (or {@code null} for {@code Void}); a one-element array
 * binds its element unless the target is itself a list or array (the convention of Go's
 * {@code net/rpc/jsonrpc}).
 */
final class ParamsBinder {
  private static final Pattern JACKSON_ADVICE =
      Pattern.compile("\\s*\\((set|enable|disable) [^)]*\\)|\\s*\\(through reference chain[^)]*\\)");
  private final MessageCodec codec;

  ParamsBinder(MessageCodec codec) {
    this.codec = codec;
  }

  Object bind(byte[] params, Class<?> type) {
    try {
      if (type == JsonNode.class) {
        return params == null ? NullNode.getInstance() : codec.bind(params, JsonNode.class);
      }
      if (type == Void.class) {
        return null;
      }
      Object value;
      if (params == null) {
        value = codec.bind(codec.mapper().createObjectNode(), type);
      } else if (params[0] == '[' && !type.isArray() && !Collection.class.isAssignableFrom(type)) {
        JsonNode array = codec.bind(params, JsonNode.class);
        value = codec.bind(array.size() == 1 ? array.get(0) : array, type);
      } else {
        value = codec.bind(params, type);
      }
      if (value == null) {
        throw new InvalidParamsException("params must not be null for " + type.getSimpleName());
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new InvalidParamsException("params do not bind to " + type.getSimpleName()
          + where(e) + ": " + forCaller(e.getOriginalMessage()));
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidParamsException("params do not bind to " + type.getSimpleName() + ": "
          + e.getMessage());
    }
  }

  /** Jackson's message without its advice on configuring Jackson, which means nothing to a caller. */
  static String forCaller(String message) {
    return JACKSON_ADVICE.matcher(message).replaceAll("").trim();
  }

  private static String where(JsonProcessingException e) {
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder sb = new StringBuilder(" at ");
      for (JsonMappingException.Reference r : m.getPath()) {
        sb.append(r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]");
      }
      return sb.toString();
    }
    return "";
  }
}
