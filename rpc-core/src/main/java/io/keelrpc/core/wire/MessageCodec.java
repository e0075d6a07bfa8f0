package io.keelrpc.core.wire;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.keelrpc.core.InvalidRequestException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.ParseErrorException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads and writes {@code keel/1} messages: JSON-RPC 2.0 objects with the {@code meta} extension,
 * each written into one length-prefixed frame.
 *
 * <p>Reading is lenient where peers differ (a missing {@code "jsonrpc"} member is accepted and
 * remembered so the answer mirrors it) and strict where safety needs it (ids must be strings,
 * numbers or null; the method a non-empty string; {@code meta} well-typed). Batches (a JSON array)
 * are rejected with INVALID_REQUEST: send one request per frame.
 */
public final class MessageCodec {
  private static final String VERSION = "2.0";

  private final ObjectMapper mapper;
  private final ObjectReader nodeReader;
  private final ClassValue<ObjectReader> readers = new ClassValue<>() {
    @Override
    protected ObjectReader computeValue(Class<?> type) {
      return mapper.readerFor(type);
    }
  };
  private final ClassValue<ObjectWriter> writers = new ClassValue<>() {
    @Override
    protected ObjectWriter computeValue(Class<?> type) {
      return mapper.writerFor(type);
    }
  };

  /** A codec using {@link KeelJson#mapper()}. */
  public MessageCodec() {
    this(KeelJson.mapper());
  }

  /** A codec using {@code mapper} (configure it like {@link KeelJson#newMapper()}). */
  public MessageCodec(ObjectMapper mapper) {
    this.mapper = mapper;
    this.nodeReader = mapper.readerFor(JsonNode.class)
        .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** The mapper this codec binds values with. */
  public ObjectMapper mapper() {
    return mapper;
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads one request from a frame payload. Does not release {@code frame}.
   *
   * @throws MalformedMessageException with PARSE_ERROR (not JSON, invalid UTF-8) or
   *     INVALID_REQUEST (valid JSON that is not a request, or over a read limit)
   */
  public Request readRequest(ByteBuf frame) throws MalformedMessageException {
    FrameBytes b = FrameBytes.of(frame);
    JsonNode id = null;
    JsonNode version = null;
    JsonNode method = null;
    MetaFields metaFields = null;
    JsonToken paramsToken = null;
    byte[] params = null;
    boolean jsonrpc2 = false;
    try (JsonParser p = mapper.createParser(b.array(), b.offset(), b.length())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw notAnObject(frame);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "jsonrpc":
            jsonrpc2 = true;
            version = valueNode(p, value);
            break;
          case "id":
            id = valueNode(p, value);
            break;
          case "method":
            method = valueNode(p, value);
            break;
          case "params":
            paramsToken = value;
            params = value == JsonToken.VALUE_NULL ? null : copyValue(p, b);
            break;
          case "meta":
            metaFields = readMetaFields(p, value);
            break;
          default:
            p.skipChildren();
        }
      }
      ensureNothingFollows(p);
    } catch (IOException e) {
      throw malformed(e);
    }
    if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
      throw malformed(new InvalidRequestException(
          "\"id\" must be a string, a number or null, got " + id.getNodeType().name().toLowerCase()),
          NullNode.getInstance(), jsonrpc2, null);
    }
    JsonNode replyId = id == null ? NullNode.getInstance() : id;
    if (jsonrpc2 && !VERSION.equals(version.textValue())) {
      throw malformed(new InvalidRequestException(
          "\"jsonrpc\" must be \"2.0\" when present, got " + version), replyId, true, null);
    }
    if (method == null || !method.isTextual() || method.textValue().isEmpty()) {
      throw malformed(new InvalidRequestException(
          "\"method\" must be a non-empty string, got " + describe(method)), replyId, jsonrpc2,
          null);
    }
    if (method.textValue().length() > MethodDescriptor.MAX_NAME_LENGTH) {
      throw malformed(new InvalidRequestException("\"method\" is longer than "
          + MethodDescriptor.MAX_NAME_LENGTH + " characters"), replyId, jsonrpc2, null);
    }
    if (paramsToken != null && paramsToken != JsonToken.START_OBJECT
        && paramsToken != JsonToken.START_ARRAY && paramsToken != JsonToken.VALUE_NULL) {
      throw malformed(new InvalidRequestException(
          "\"params\" must be an object or an array, got " + describe(paramsToken)), replyId,
          jsonrpc2, null);
    }
    Meta meta = readMeta(metaFields, replyId, jsonrpc2);
    return new Request(id, method.textValue(), params, meta, jsonrpc2);
  }

  /** The error for a frame whose JSON is not an object: a parse error first, if it has one. */
  private MalformedMessageException notAnObject(ByteBuf frame) throws MalformedMessageException {
    JsonNode node = readTree(frame);
    String what = node.isArray()
        ? "batch requests are not supported by keel/1; send one request object per frame"
        : "a request must be a JSON object, got " + node.getNodeType().name().toLowerCase();
    return malformed(new InvalidRequestException(what), NullNode.getInstance(), true, null);
  }

  private JsonNode valueNode(JsonParser p, JsonToken token) throws IOException {
    return token == JsonToken.VALUE_STRING ? TextNode.valueOf(p.getText())
        : nodeReader.readValue(p);
  }

  /** Copies the bytes of the value at the parser's current token and moves past it. */
  private static byte[] copyValue(JsonParser p, FrameBytes b) throws IOException {
    long from = p.currentTokenLocation().getByteOffset();
    p.skipChildren();
    p.finishToken();
    long to = p.currentLocation().getByteOffset();
    return Arrays.copyOfRange(b.array(), b.offset() + (int) from, b.offset() + (int) to);
  }

  private static void ensureNothingFollows(JsonParser p) throws IOException {
    if (p.nextToken() != null) {
      throw new JsonParseException(p, "trailing content after the message object");
    }
  }

  /** The bytes of a frame: its backing array where it has one, else a copy. */
  private record FrameBytes(byte[] array, int offset, int length) {
    static FrameBytes of(ByteBuf frame) {
      int length = frame.readableBytes();
      if (frame.hasArray()) {
        return new FrameBytes(frame.array(), frame.arrayOffset() + frame.readerIndex(), length);
      }
      byte[] copy = new byte[length];
      frame.getBytes(frame.readerIndex(), copy);
      return new FrameBytes(copy, 0, length);
    }
  }

  /**
   * The members of {@code meta} that Keel reads, streamed rather than built as a tree (the tree
   * was a tenth of a busy server's time); {@code notAnObject} holds a {@code meta} that is not one.
   */
  private static final class MetaFields {
    JsonNode notAnObject;
    JsonNode timeoutMs;
    JsonNode attempt;
    JsonNode idempotencyKey;
    JsonNode stream;
    JsonNode credit;
    JsonNode authorization;
  }

  private MetaFields readMetaFields(JsonParser p, JsonToken token) throws IOException {
    MetaFields m = new MetaFields();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.START_OBJECT) {
      m.notAnObject = nodeReader.readValue(p);
      return m;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "timeoutMs":
          m.timeoutMs = scalarNode(p, value);
          break;
        case "attempt":
          m.attempt = scalarNode(p, value);
          break;
        case "idempotencyKey":
          m.idempotencyKey = scalarNode(p, value);
          break;
        case "stream":
          m.stream = scalarNode(p, value);
          break;
        case "credit":
          m.credit = scalarNode(p, value);
          break;
        case "authorization":
          m.authorization = scalarNode(p, value);
          break;
        default:
          p.skipChildren();
      }
    }
    return m;
  }

  /** The value at the parser as a node, without the tree machinery for the common scalars. */
  private JsonNode scalarNode(JsonParser p, JsonToken token) throws IOException {
    switch (token) {
      case VALUE_STRING:
        return TextNode.valueOf(p.getText());
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.INT
            ? IntNode.valueOf(p.getIntValue())
            : nodeReader.readValue(p);
      case VALUE_NULL:
        return NullNode.getInstance();
      default:
        return nodeReader.readValue(p);
    }
  }

  private Meta readMeta(MetaFields meta, JsonNode replyId, boolean jsonrpc2)
      throws MalformedMessageException {
    if (meta == null) {
      return Meta.NONE;
    }
    if (meta.notAnObject != null) {
      throw malformed(new InvalidRequestException(
          "\"meta\" must be an object, got " + describe(meta.notAnObject)), replyId, jsonrpc2,
          null);
    }
    long timeoutMs = Meta.NO_TIMEOUT;
    JsonNode t = meta.timeoutMs;
    if (t != null && !t.isNull()) {
      if (!t.canConvertToExactIntegral() || !t.canConvertToLong() || t.asLong() < 0) {
        throw malformed(new InvalidRequestException(
            "\"meta.timeoutMs\" must be a non-negative integer, got " + t), replyId, jsonrpc2,
            null);
      }
      timeoutMs = t.asLong();
    }
    int attempt = Meta.NO_ATTEMPT;
    JsonNode a = meta.attempt;
    if (a != null && !a.isNull()) {
      if (!a.canConvertToExactIntegral() || !a.canConvertToInt() || a.asInt() < 1) {
        throw malformed(new InvalidRequestException(
            "\"meta.attempt\" must be a positive integer, got " + a), replyId, jsonrpc2, null);
      }
      attempt = a.asInt();
    }
    String key = null;
    JsonNode k = meta.idempotencyKey;
    if (k != null && !k.isNull()) {
      if (!k.isTextual() || k.textValue().isEmpty()
          || k.textValue().length() > Meta.MAX_IDEMPOTENCY_KEY_LENGTH) {
        throw malformed(new InvalidRequestException(
            "\"meta.idempotencyKey\" must be a string of 1.." + Meta.MAX_IDEMPOTENCY_KEY_LENGTH
                + " characters"), replyId, jsonrpc2, null);
      }
      key = k.textValue();
    }
    StreamKind stream = null;
    JsonNode s = meta.stream;
    if (s != null && !s.isNull()) {
      stream = s.isTextual() ? StreamKind.fromWireName(s.textValue()) : null;
      if (stream == null) {
        throw malformed(new InvalidRequestException(
            "\"meta.stream\" must be \"server\", \"client\" or \"bidi\", got " + s), replyId,
            jsonrpc2, null);
      }
    }
    int credit = 0;
    JsonNode c = meta.credit;
    if (c != null && !c.isNull()) {
      if (!c.canConvertToExactIntegral() || !c.canConvertToInt() || c.asInt() < 0) {
        throw malformed(new InvalidRequestException("\"meta.credit\" must be an integer in 0.."
            + Integer.MAX_VALUE + ", got " + c), replyId, jsonrpc2, null);
      }
      credit = c.asInt();
    }
    String authorization = null;
    JsonNode au = meta.authorization;
    if (au != null && !au.isNull()) {
      if (!au.isTextual() || au.textValue().length() > Meta.MAX_AUTHORIZATION_LENGTH) {
        throw malformed(new InvalidRequestException("\"meta.authorization\" must be a string of "
            + "at most " + Meta.MAX_AUTHORIZATION_LENGTH + " characters"), replyId, jsonrpc2, null);
      }
      authorization = au.textValue();
    }
    return new Meta(timeoutMs, attempt, key, stream, credit, authorization);
  }

  /**
   * Reads one response from a frame payload. Does not release {@code frame}. A response with both
   * members (as Go's {@code net/rpc/jsonrpc} sends) is an error only if {@code error} is not null.
   *
   * @throws MalformedMessageException if the frame is not a response object
   */
  public Response readResponse(ByteBuf frame) throws MalformedMessageException {
    RawResponse raw = readRawResponse(frame);
    if (raw.isError()) {
      return new Response(raw.id(), null, raw.error());
    }
    try {
      return new Response(raw.id(), mapper.readTree(raw.result()), null);
    } catch (IOException e) {
      throw new IllegalStateException("result bytes were validated while reading", e);
    }
  }

  /**
   * Reads one response without building a tree of its result: the envelope is parsed as a stream
   * and the {@code result} value's bytes are copied out, to be bound later with
   * {@link #bind(byte[], Class)}. Does not release {@code frame}.
   *
   * @throws MalformedMessageException if the frame is not a response object
   */
  public RawResponse readRawResponse(ByteBuf frame) throws MalformedMessageException {
    return (RawResponse) readFromServer(frame, false);
  }

  /**
   * Reads one message a server sent to a client: an answer, returned as a {@link RawResponse}
   * exactly as {@link #readRawResponse} reads it, or a message with a {@code method} member,
   * returned as a {@link Request} (a notification such as a stream's {@code $/stream/item} when it
   * has no {@code id}). Costs an answer nothing over {@link #readRawResponse}. Does not release
   * {@code frame}.
   *
   * @return a {@link RawResponse} or a {@link Request}
   * @throws MalformedMessageException if the frame is neither
   */
  public Object readServerMessage(ByteBuf frame) throws MalformedMessageException {
    return readFromServer(frame, true);
  }

  private Object readFromServer(ByteBuf frame, boolean methods) throws MalformedMessageException {
    FrameBytes b = FrameBytes.of(frame);
    JsonNode id = null;
    byte[] result = null;
    JsonNode error = null;
    JsonNode method = null;
    JsonToken paramsToken = null;
    byte[] params = null;
    boolean jsonrpc2 = false;
    try (JsonParser p = mapper.createParser(b.array(), b.offset(), b.length())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        readTree(frame); // throws the parse error, if any
        throw malformed(new InvalidRequestException("a response must be a JSON object"),
            NullNode.getInstance(), true, null);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "id":
            id = valueNode(p, value);
            break;
          case "result":
            result = copyValue(p, b);
            break;
          case "error":
            error = nodeReader.readValue(p);
            break;
          case "method":
            if (methods) {
              method = valueNode(p, value);
            } else {
              p.skipChildren();
            }
            break;
          case "params":
            if (methods) {
              paramsToken = value;
              params = value == JsonToken.VALUE_NULL ? null : copyValue(p, b);
            } else {
              p.skipChildren();
            }
            break;
          case "jsonrpc":
            jsonrpc2 = true;
            p.skipChildren();
            break;
          default:
            p.skipChildren();
        }
      }
      ensureNothingFollows(p);
    } catch (IOException e) {
      throw malformed(e);
    }
    if (method != null) {
      if (!method.isTextual() || method.textValue().isEmpty()) {
        throw malformed(new InvalidRequestException("\"method\" must be a non-empty string, got "
            + describe(method)), NullNode.getInstance(), true, null);
      }
      if (paramsToken != null && paramsToken != JsonToken.START_OBJECT
          && paramsToken != JsonToken.START_ARRAY && paramsToken != JsonToken.VALUE_NULL) {
        throw malformed(new InvalidRequestException(
            "\"params\" must be an object or an array, got " + describe(paramsToken)),
            NullNode.getInstance(), true, null);
      }
      return new Request(id, method.textValue(), params, Meta.NONE, jsonrpc2);
    }
    if (id == null) {
      id = NullNode.getInstance();
    }
    if (error != null && !error.isNull()) {
      if (!error.isObject() || !error.path("code").canConvertToInt()) {
        throw malformed(new InvalidRequestException("\"error\" must be an object with a code"),
            id, true, null);
      }
      JsonNode data = error.get("data");
      return new RawResponse(id, null, new ErrorObject(error.path("code").asInt(),
          error.path("message").asText(""), data == null || data.isNull() ? null : data));
    }
    return new RawResponse(id, result == null ? NULL.clone() : result, null);
  }

  /**
   * Binds serialised JSON to {@code type} with a reader cached per type.
   *
   * @throws IOException if the JSON does not bind
   */
  @SuppressWarnings("unchecked")
  public <T> T bind(byte[] json, Class<T> type) throws IOException {
    if (type == JsonNode.class) {
      return (T) mapper.readTree(json);
    }
    return (T) readers.get(type).readValue(json);
  }

  /**
   * Binds a JSON tree to {@code type} with the same cached readers.
   *
   * @throws IOException if the tree does not bind
   */
  @SuppressWarnings("unchecked")
  public <T> T bind(JsonNode tree, Class<T> type) throws IOException {
    return (T) readers.get(type).readValue(tree);
  }

  private JsonNode readTree(ByteBuf frame) throws MalformedMessageException {
    try {
      FrameBytes b = FrameBytes.of(frame);
      JsonNode node = mapper.readTree(b.array(), b.offset(), b.length());
      if (node == null || node.isMissingNode()) {
        throw malformed(new ParseErrorException("empty frame: no JSON value"),
            NullNode.getInstance(), true, null);
      }
      return node;
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /** The typed error for a failure of the JSON parser. */
  private static MalformedMessageException malformed(IOException e) {
    if (e instanceof StreamConstraintsException c) {
      return malformed(new InvalidRequestException("message exceeds a read limit: "
          + c.getOriginalMessage()), NullNode.getInstance(), true, e);
    }
    String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return malformed(new ParseErrorException("not valid JSON: " + detail),
        NullNode.getInstance(), true, e);
  }

  private static String describe(JsonToken t) {
    switch (t) {
      case VALUE_STRING: return "string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT: return "number";
      case VALUE_TRUE:
      case VALUE_FALSE: return "boolean";
      default: return t.name().toLowerCase();
    }
  }

  private static String describe(JsonNode n) {
    return n == null ? "none" : n.getNodeType().name().toLowerCase();
  }

  private static MalformedMessageException malformed(
      io.keelrpc.core.RpcException error, JsonNode id, boolean jsonrpc2, Throwable cause) {
    return new MalformedMessageException(error, id, jsonrpc2, cause);
  }

  // ---------------------------------------------------------------- writing

  /** Serialises {@code value} (typically params) to JSON bytes, once, for reuse by every attempt. */
  public byte[] writeValueAsBytes(Object value) {
    if (value == null) {
      return NULL.clone();
    }
    try {
      return writers.get(value.getClass()).writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + value.getClass().getName()
          + " to JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Writes one request frame. {@code paramsJson} is the serialised params or {@code null}.
   *
   * @param timeoutMs the remaining budget, or {@link Meta#NO_TIMEOUT}
   * @param attempt the attempt number, or {@link Meta#NO_ATTEMPT}
   * @param idempotencyKey the explicit key, or {@code null}
   */
  public ByteBuf writeRequest(ByteBufAllocator alloc, String id, String method, byte[] paramsJson,
      long timeoutMs, int attempt, String idempotencyKey) {
    return writeRequest(alloc, id, method, paramsJson, timeoutMs, attempt, idempotencyKey, null);
  }

  /**
   * {@link #writeRequest(ByteBufAllocator, String, String, byte[], long, int, String)} with
   * {@code meta.authorization} (omitted when {@code authorization} is null).
   */
  public ByteBuf writeRequest(ByteBufAllocator alloc, String id, String method, byte[] paramsJson,
      long timeoutMs, int attempt, String idempotencyKey, String authorization) {
    // envelope + meta (~80 bytes) + the variable parts, so the buffer is never grown
    ByteBuf buf = alloc.buffer(96 + id.length() + method.length()
        + (idempotencyKey == null ? 0 : idempotencyKey.length() + 20)
        + (authorization == null ? 0 : authorization.length() + 20)
        + (paramsJson == null ? 0 : paramsJson.length));
    buf.writeInt(0);
    buf.writeBytes(REQUEST_START);
    writeJsonString(buf, id);
    buf.writeBytes(METHOD_MEMBER);
    writeJsonString(buf, method);
    if (paramsJson != null) {
      buf.writeBytes(PARAMS_MEMBER);
      buf.writeBytes(paramsJson);
    }
    if (timeoutMs >= 0 || attempt > 0 || idempotencyKey != null || authorization != null) {
      buf.writeBytes(META_MEMBER);
      char sep = '{';
      if (timeoutMs >= 0) {
        buf.writeByte(sep);
        buf.writeBytes(TIMEOUT_MS_MEMBER);
        buf.writeCharSequence(Long.toString(timeoutMs), StandardCharsets.US_ASCII);
        sep = ',';
      }
      if (attempt > 0) {
        buf.writeByte(sep);
        buf.writeBytes(ATTEMPT_MEMBER);
        buf.writeCharSequence(Integer.toString(attempt), StandardCharsets.US_ASCII);
        sep = ',';
      }
      if (idempotencyKey != null) {
        buf.writeByte(sep);
        buf.writeBytes(KEY_MEMBER);
        writeJsonString(buf, idempotencyKey);
        sep = ',';
      }
      if (authorization != null) {
        buf.writeByte(sep);
        buf.writeBytes(AUTHORIZATION_MEMBER);
        writeJsonString(buf, authorization);
      }
      buf.writeByte('}');
    }
    buf.writeByte('}');
    return finishFrame(buf);
  }

  /**
   * Writes the request frame that opens a stream (see {@link StreamKind}): like
   * {@link #writeRequest}, with {@code meta.stream} and, for kinds in which the server sends
   * items, {@code meta.credit}; without an attempt or an idempotency key, since streams are neither
   * retried nor deduplicated.
   *
   * <pre>
   * {"jsonrpc":"2.0","id":"s-1","method":"ticks","params":{"n":3},
   *  "meta":{"timeoutMs":5000,"stream":"server","credit":64}}
   * </pre>
   *
   * @param timeoutMs the stream's budget, or {@link Meta#NO_TIMEOUT}
   * @param credit the items the server may send before the client grants more
   */
  public ByteBuf writeStreamRequest(ByteBufAllocator alloc, String id, String method,
      byte[] paramsJson, long timeoutMs, StreamKind kind, int credit) {
    return writeStreamRequest(alloc, id, method, paramsJson, timeoutMs, kind, credit, null);
  }

  /**
   * {@link #writeStreamRequest(ByteBufAllocator, String, String, byte[], long, StreamKind, int)}
   * with {@code meta.authorization} (omitted when {@code authorization} is null).
   */
  public ByteBuf writeStreamRequest(ByteBufAllocator alloc, String id, String method,
      byte[] paramsJson, long timeoutMs, StreamKind kind, int credit, String authorization) {
    ByteBuf buf = alloc.buffer(128 + id.length() + method.length()
        + (authorization == null ? 0 : authorization.length() + 20)
        + (paramsJson == null ? 0 : paramsJson.length));
    buf.writeInt(0);
    buf.writeBytes(REQUEST_START);
    writeJsonString(buf, id);
    buf.writeBytes(METHOD_MEMBER);
    writeJsonString(buf, method);
    if (paramsJson != null) {
      buf.writeBytes(PARAMS_MEMBER);
      buf.writeBytes(paramsJson);
    }
    buf.writeBytes(META_MEMBER);
    buf.writeByte('{');
    if (timeoutMs >= 0) {
      buf.writeBytes(TIMEOUT_MS_MEMBER);
      buf.writeCharSequence(Long.toString(timeoutMs), StandardCharsets.US_ASCII);
      buf.writeByte(',');
    }
    buf.writeBytes(STREAM_MEMBER);
    writeJsonString(buf, kind.wireName());
    if (kind.serverSendsItems()) {
      buf.writeBytes(CREDIT_MEMBER);
      buf.writeCharSequence(Integer.toString(credit), StandardCharsets.US_ASCII);
    }
    if (authorization != null) {
      buf.writeByte(',');
      buf.writeBytes(AUTHORIZATION_MEMBER);
      writeJsonString(buf, authorization);
    }
    buf.writeBytes(CLOSE_2);
    return finishFrame(buf);
  }

  /** Writes one response frame carrying {@code result} (any Jackson-serialisable value). */
  public ByteBuf writeResult(ByteBufAllocator alloc, JsonNode id, boolean jsonrpc2, Object result) {
    return writeRaw(alloc, id, jsonrpc2, false, writeValueAsBytes(result));
  }

  /** Writes one response frame carrying {@code error}. */
  public ByteBuf writeError(ByteBufAllocator alloc, JsonNode id, boolean jsonrpc2,
      ErrorObject error) {
    return writeRaw(alloc, id, jsonrpc2, true, errorBytes(error));
  }

  /**
   * Writes one response frame whose {@code result} or {@code error} member is already serialised
   * ({@code rawJson}), as the idempotency cache stores it.
   */
  public ByteBuf writeRaw(ByteBufAllocator alloc, JsonNode id, boolean jsonrpc2, boolean isError,
      byte[] rawJson) {
    ByteBuf buf = alloc.buffer(48 + idLength(id) + rawJson.length);
    buf.writeInt(0);
    buf.writeBytes(jsonrpc2 ? RESPONSE_START_2 : RESPONSE_START_PLAIN);
    writeId(buf, id);
    buf.writeBytes(isError ? ERROR_MEMBER : RESULT_MEMBER);
    buf.writeBytes(rawJson);
    buf.writeByte('}');
    return finishFrame(buf);
  }

  private static int idLength(JsonNode id) {
    return id != null && id.isTextual() ? id.textValue().length() + 2 : 24;
  }

  void writeId(ByteBuf buf, JsonNode id) {
    if (id == null || id.isNull()) {
      buf.writeBytes(NULL);
    } else if (id.isTextual()) {
      writeJsonString(buf, id.textValue());
    } else {
      buf.writeBytes(writeValueAsBytes(id));
    }
  }

  /** Writes {@code s} as a JSON string: directly when it needs no escaping, else via Jackson. */
  void writeJsonString(ByteBuf buf, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        buf.writeBytes(writeValueAsBytes(s));
        return;
      }
    }
    buf.writeByte('"');
    buf.writeCharSequence(s, StandardCharsets.US_ASCII);
    buf.writeByte('"');
  }

  static ByteBuf finishFrame(ByteBuf buf) {
    buf.setInt(0, buf.readableBytes() - KeelFrameDecoder.LENGTH_BYTES);
    return buf;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static final byte[] REQUEST_START = ascii("{\"jsonrpc\":\"2.0\",\"id\":");
  private static final byte[] METHOD_MEMBER = ascii(",\"method\":");
  private static final byte[] PARAMS_MEMBER = ascii(",\"params\":");
  private static final byte[] META_MEMBER = ascii(",\"meta\":");
  private static final byte[] TIMEOUT_MS_MEMBER = ascii("\"timeoutMs\":");
  private static final byte[] ATTEMPT_MEMBER = ascii("\"attempt\":");
  private static final byte[] KEY_MEMBER = ascii("\"idempotencyKey\":");
  private static final byte[] AUTHORIZATION_MEMBER = ascii("\"authorization\":");
  private static final byte[] RESPONSE_START_2 = ascii("{\"jsonrpc\":\"2.0\",\"id\":");
  private static final byte[] RESPONSE_START_PLAIN = ascii("{\"id\":");
  private static final byte[] RESULT_MEMBER = ascii(",\"result\":");
  private static final byte[] ERROR_MEMBER = ascii(",\"error\":");
  private static final byte[] NULL = ascii("null");
  private static final byte[] STREAM_MEMBER = ascii("\"stream\":");
  private static final byte[] CREDIT_MEMBER = ascii(",\"credit\":");
  private static final byte[] CLOSE_2 = ascii("}}");

  /** Serialises an error object to the bytes {@link #writeRaw} takes. */
  public byte[] errorBytes(ErrorObject error) {
    try (java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64);
        JsonGenerator g = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
      writeErrorObject(g, error);
      g.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeErrorObject(JsonGenerator g, ErrorObject error) throws IOException {
    g.writeStartObject();
    g.writeNumberField("code", error.code());
    g.writeStringField("message", error.message());
    if (error.data() != null) {
      g.writeFieldName("data");
      mapper.writeTree(g, error.data());
    }
    g.writeEndObject();
  }
}
