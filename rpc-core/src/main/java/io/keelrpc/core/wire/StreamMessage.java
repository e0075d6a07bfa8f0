package io.keelrpc.core.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One of the notifications that carry a stream of {@code keel/1} (see {@link StreamKind}):
 * {@code $/stream/item}, {@code $/stream/credit} or {@code $/stream/end}, read from its params, and
 * the writers of their frames. Every one names its stream by {@code params.id}, the id of the
 * request that opened the stream. An item message carries one item ({@code item}) or several
 * consecutive ones ({@code items}, numbered from {@code seq}).
 *
 * <pre>
 * {"jsonrpc":"2.0","method":"$/stream/item","params":{"id":"s-1","seq":0,"item":{"n":1}}}
 * {"jsonrpc":"2.0","method":"$/stream/item","params":{"id":"s-1","seq":1,"items":[{"n":2},{"n":3}]}}
 * {"jsonrpc":"2.0","method":"$/stream/credit","params":{"id":"s-1","n":32}}
 * {"jsonrpc":"2.0","method":"$/stream/end","params":{"id":"s-1","count":3}}
 * </pre>
 *
 * <p>Reading is lenient, checking is the receiver's: a member that is absent or not an integer
 * reads as {@link #ABSENT}, and the receiver decides whether that breaks the stream. docs/protocol.md
 * has the rules.
 *
 * @param type which notification it is
 * @param streamId the stream's id as sent (a text or number node)
 * @param seq the sequence number of the (first) item (0 for a direction's first item), or
 *     {@link #ABSENT}
 * @param n the credit granted, or {@link #ABSENT}
 * @param count the number of items an end says were sent, or {@link #ABSENT}
 * @param items the items' UTF-8 JSON, in order: one for {@code item}, those of {@code items};
 *     {@code null} if the message has neither (or both)
 */
public record StreamMessage(Type type, JsonNode streamId, long seq, long n, long count,
    byte[][] items) {
  /** Method of an item. */
  public static final String ITEM = "$/stream/item";
  /** Method of a grant of credit. */
  public static final String CREDIT = "$/stream/credit";
  /** Method of the client's end of its items. */
  public static final String END = "$/stream/end";
  /** Prefix of every stream notification. */
  public static final String PREFIX = "$/stream/";
  /** The value of a number member that is absent, negative or not an integer. */
  public static final long ABSENT = -1;

  /** The kinds of stream notification. */
  public enum Type {
    /** {@code $/stream/item}: one item, numbered by {@code seq}. */
    ITEM,
    /** {@code $/stream/credit}: the receiver lets the sender send {@code n} more items. */
    CREDIT,
    /** {@code $/stream/end}: the client sent its last item ({@code count} in all). */
    END
  }

  /** True if {@code request} is a notification whose method starts with {@value #PREFIX}. */
  public static boolean is(Request request) {
    return request.isNotification() && request.method().startsWith(PREFIX);
  }

  /**
   * Reads a stream notification; {@code null} if its method is not one of the three, or its params
   * name no string or number {@code id} (such a message cannot be routed and is ignored).
   */
  public static StreamMessage read(Request notification, MessageCodec codec) {
    Type type;
    switch (notification.method()) {
      case ITEM: type = Type.ITEM; break;
      case CREDIT: type = Type.CREDIT; break;
      case END: type = Type.END; break;
      default: return null;
    }
    byte[] params = notification.params();
    if (params == null) {
      return null;
    }
    JsonNode id = null;
    long seq = ABSENT;
    long n = ABSENT;
    long count = ABSENT;
    byte[][] items = null;
    boolean both = false;
    try (JsonParser p = codec.mapper().createParser(params)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "id":
            if (value == JsonToken.VALUE_STRING) {
              id = TextNode.valueOf(p.getText());
            } else if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
              id = codec.mapper().readTree(p);
            } else {
              p.skipChildren();
            }
            break;
          case "seq":
            seq = integer(p, value);
            break;
          case "n":
            n = integer(p, value);
            break;
          case "count":
            count = integer(p, value);
            break;
          case "item":
            both |= items != null;
            items = new byte[][] {copyValue(p, params)};
            break;
          case "items":
            both |= items != null;
            items = value == JsonToken.START_ARRAY ? readArray(p, params) : null;
            if (items == null) {
              p.skipChildren();
            }
            break;
          default:
            p.skipChildren();
        }
      }
    } catch (IOException e) {
      return null;
    }
    return id == null ? null : new StreamMessage(type, id, seq, n, count, both ? null : items);
  }

  /** Copies the bytes of the value at the parser's current token and moves past it. */
  private static byte[] copyValue(JsonParser p, byte[] source) throws IOException {
    long from = p.currentTokenLocation().getByteOffset();
    p.skipChildren();
    p.finishToken();
    return Arrays.copyOfRange(source, (int) from, (int) p.currentLocation().getByteOffset());
  }

  /** The elements of the array at the parser (its start), as bytes each; empty: {@code null}. */
  private static byte[][] readArray(JsonParser p, byte[] source) throws IOException {
    ArrayList<byte[]> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      out.add(copyValue(p, source));
    }
    return out.isEmpty() ? null : out.toArray(new byte[0][]);
  }

  private static long integer(JsonParser p, JsonToken token) throws IOException {
    if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      p.skipChildren();
      return ABSENT;
    }
    long v = p.getLongValue();
    return v < 0 ? ABSENT : v;
  }

  /**
   * Writes the frame of items {@code seq}, {@code seq + 1}, ... of the stream {@code streamId}
   * ({@code "items"}; a single one as {@code "item"}), from their serialised JSON.
   */
  public static ByteBuf writeItems(MessageCodec codec, ByteBufAllocator alloc, JsonNode streamId,
      boolean jsonrpc2, long seq, List<byte[]> itemsJson) {
    if (itemsJson.size() == 1) {
      return writeItem(codec, alloc, streamId, jsonrpc2, seq, itemsJson.get(0));
    }
    int size = 96;
    for (byte[] b : itemsJson) {
      size += b.length + 1;
    }
    ByteBuf buf = start(codec, alloc, size, jsonrpc2, ITEM_START, streamId);
    buf.writeBytes(SEQ_MEMBER);
    buf.writeCharSequence(Long.toString(seq), StandardCharsets.US_ASCII);
    buf.writeBytes(ITEMS_MEMBER);
    char sep = '[';
    for (byte[] b : itemsJson) {
      buf.writeByte(sep);
      buf.writeBytes(b);
      sep = ',';
    }
    buf.writeByte(']');
    buf.writeBytes(CLOSE_2);
    return MessageCodec.finishFrame(buf);
  }

  /**
   * Writes the frame of item {@code seq} of the stream {@code streamId}; {@code itemJson} is the
   * item's serialised JSON. {@code jsonrpc2} false leaves out the {@code "jsonrpc"} member, to
   * mirror a peer that sends none.
   */
  public static ByteBuf writeItem(MessageCodec codec, ByteBufAllocator alloc, JsonNode streamId,
      boolean jsonrpc2, long seq, byte[] itemJson) {
    ByteBuf buf = start(codec, alloc, 96 + itemJson.length, jsonrpc2, ITEM_START, streamId);
    buf.writeBytes(SEQ_MEMBER);
    buf.writeCharSequence(Long.toString(seq), StandardCharsets.US_ASCII);
    buf.writeBytes(ITEM_MEMBER);
    buf.writeBytes(itemJson);
    buf.writeBytes(CLOSE_2);
    return MessageCodec.finishFrame(buf);
  }

  /** Writes the frame granting {@code n} (at least 1) more items of the stream {@code streamId}. */
  public static ByteBuf writeCredit(MessageCodec codec, ByteBufAllocator alloc, JsonNode streamId,
      boolean jsonrpc2, long n) {
    ByteBuf buf = start(codec, alloc, 96, jsonrpc2, CREDIT_START, streamId);
    buf.writeBytes(N_MEMBER);
    buf.writeCharSequence(Long.toString(n), StandardCharsets.US_ASCII);
    buf.writeBytes(CLOSE_2);
    return MessageCodec.finishFrame(buf);
  }

  /** Writes the frame ending the client's items of the stream {@code streamId}: {@code count} in all. */
  public static ByteBuf writeEnd(MessageCodec codec, ByteBufAllocator alloc, JsonNode streamId,
      boolean jsonrpc2, long count) {
    ByteBuf buf = start(codec, alloc, 96, jsonrpc2, END_START, streamId);
    buf.writeBytes(COUNT_MEMBER);
    buf.writeCharSequence(Long.toString(count), StandardCharsets.US_ASCII);
    buf.writeBytes(CLOSE_2);
    return MessageCodec.finishFrame(buf);
  }

  private static ByteBuf start(MessageCodec codec, ByteBufAllocator alloc, int size,
      boolean jsonrpc2, byte[] methodAndParams, JsonNode streamId) {
    int idLength = streamId.isTextual() ? streamId.textValue().length() + 2 : 24;
    ByteBuf buf = alloc.buffer(size + idLength);
    buf.writeInt(0);
    buf.writeBytes(jsonrpc2 ? JSONRPC_START : PLAIN_START);
    buf.writeBytes(methodAndParams);
    codec.writeId(buf, streamId);
    return buf;
  }

  /** The number of items the message carries (0 if it has none). */
  public int itemCount() {
    return items == null ? 0 : items.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamMessage m && type == m.type && streamId.equals(m.streamId)
        && seq == m.seq && n == m.n && count == m.count && Arrays.deepEquals(items, m.items);
  }

  @Override
  public int hashCode() {
    return ((type.hashCode() * 31 + streamId.hashCode()) * 31 + Long.hashCode(seq)) * 31
        + Arrays.deepHashCode(items);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("StreamMessage[").append(type).append(" id=")
        .append(streamId);
    if (seq != ABSENT) {
      sb.append(" seq=").append(seq);
    }
    if (n != ABSENT) {
      sb.append(" n=").append(n);
    }
    if (count != ABSENT) {
      sb.append(" count=").append(count);
    }
    if (items != null) {
      sb.append(" items=");
      for (byte[] b : items) {
        sb.append(new String(b, StandardCharsets.UTF_8)).append(' ');
      }
    }
    return sb.append(']').toString();
  }

  private static final byte[] JSONRPC_START = MessageCodec.ascii("{\"jsonrpc\":\"2.0\",");
  private static final byte[] PLAIN_START = MessageCodec.ascii("{");
  private static final byte[] ITEM_START =
      MessageCodec.ascii("\"method\":\"" + ITEM + "\",\"params\":{\"id\":");
  private static final byte[] CREDIT_START =
      MessageCodec.ascii("\"method\":\"" + CREDIT + "\",\"params\":{\"id\":");
  private static final byte[] END_START =
      MessageCodec.ascii("\"method\":\"" + END + "\",\"params\":{\"id\":");
  private static final byte[] SEQ_MEMBER = MessageCodec.ascii(",\"seq\":");
  private static final byte[] ITEM_MEMBER = MessageCodec.ascii(",\"item\":");
  private static final byte[] ITEMS_MEMBER = MessageCodec.ascii(",\"items\":");
  private static final byte[] N_MEMBER = MessageCodec.ascii(",\"n\":");
  private static final byte[] COUNT_MEMBER = MessageCodec.ascii(",\"count\":");
  private static final byte[] CLOSE_2 = MessageCodec.ascii("}}");
}
