package io.keelrpc.core.fault.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.keelrpc.core.wire.KeelJson;
import io.keelrpc.core.wire.Meta;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads just what the fault injector decides by from a frame — a request's id, method and
 * {@code meta.attempt}, or an answer's id — with a streaming parser that skips everything else
 * (params and results are stepped over, never built) and stops as soon as it has what it needs.
 * Never changes the buffer's indices or reference count; a frame it cannot read yields
 * {@code null}, and the message is passed on untouched for the real codec to judge.
 */
final class FramePeek {
  private static final JsonFactory JSON = KeelJson.mapper().getFactory();

  /** What identifies one attempt of a call. */
  record RequestInfo(String id, String method, int attempt) {}

  private FramePeek() {}

  /**
   * The id, method and attempt of the request whose JSON starts {@code skip} bytes into
   * {@code frame}, or {@code null} if it has no usable id (a notification, a null id) or method, or
   * is not readable JSON. Numeric ids are returned as their JSON text.
   */
  static RequestInfo request(ByteBuf frame, int skip) {
    try (JsonParser p = parser(frame, skip)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String id = null;
      String method = null;
      int attempt = Meta.NO_ATTEMPT;
      boolean metaSeen = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "id":
            id = idText(p, value);
            break;
          case "method":
            method = value == JsonToken.VALUE_STRING ? p.getText() : null;
            break;
          case "meta":
            metaSeen = true;
            attempt = attempt(p, value);
            break;
          default:
            p.skipChildren();
        }
        if (id != null && method != null && metaSeen) {
          break;
        }
      }
      return id == null || method == null ? null : new RequestInfo(id, method, attempt);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The id of the answer whose JSON starts {@code skip} bytes into {@code frame}, or null. */
  static String responseId(ByteBuf frame, int skip) {
    try (JsonParser p = parser(frame, skip)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("id")) {
          return idText(p, value);
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static JsonParser parser(ByteBuf frame, int skip) throws IOException {
    int length = frame.readableBytes() - skip;
    if (length <= 0) {
      throw new IOException("empty frame");
    }
    int from = frame.readerIndex() + skip;
    if (frame.hasArray()) {
      return JSON.createParser(frame.array(), frame.arrayOffset() + from, length);
    }
    return JSON.createParser((InputStream) new ByteBufInputStream(frame.slice(from, length)));
  }

  /** A string id's text, a numeric id's JSON text, else null (and the value skipped). */
  private static String idText(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT
        || value == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  private static int attempt(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return Meta.NO_ATTEMPT;
    }
    int attempt = Meta.NO_ATTEMPT;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals("attempt") && v == JsonToken.VALUE_NUMBER_INT
          && p.getNumberType() == JsonParser.NumberType.INT) {
        attempt = p.getIntValue();
      } else {
        p.skipChildren();
      }
    }
    return attempt;
  }
}
