package io.keelrpc.client;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keelrpc.core.time.Ticker;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A Java stand-in for the {@code RpcServer} class of seed {@code 000_a902bf2e86bf5c16.txt} (a
 * Python course notebook), so that client tests can talk to a peer that knows nothing of Keel.
 * It is written from the seed's behaviour, not translated from its code. Like the seed it:
 *
 * <ul>
 *   <li>reads 4-byte big-endian length-prefixed JSON frames and handles the requests of one
 *       connection one after another, on that connection's own thread;
 *   <li>ignores {@code "jsonrpc"} and {@code "meta"}, and answers without {@code "jsonrpc"}:
 *       {@code {"id": rid, "result": {"key": k, "value": v}}}, formatted as Python's
 *       {@code json.dumps} formats it ({@code ", "} and {@code ": "} separators, non-ASCII
 *       escaped);
 *   <li>knows {@code inc(key, delta=1)} and {@code get(key)} over one shared map of Python ints;
 *       any other method is answered {@code {"code": -32601, "message": "Method not found"}};
 *   <li>answers any exception of a handler with {@code -32000} and Python's {@code str(e)}: a
 *       missing key gives the message {@code 'key'} (with the quotes), a bad delta the text
 *       {@code int()} raises;
 *   <li>caches every answer, errors included, under the request id for 10 s, checks the cache
 *       before anything else (whatever the method or params), and replays the cached bytes;
 *   <li>closes the connection, without an answer, on anything that breaks its loop: bytes that
 *       are not JSON, a request that is not an object, an unhashable id, a closed socket.
 * </ul>
 *
 * <p>Deviations, for tests only: time is read from an injected {@link Ticker}; {@link #close()}
 * also closes open connections (the seed's {@code stop()} leaves them to finish their current
 * read); the shared state is locked (the seed relies on the GIL and has a lost-update race);
 * Python's {@code 1 == 1.0 == True} key equality is kept, but floats are printed the Java way.
 */
final class SeedPythonServer implements AutoCloseable {
  /** The seed's {@code cache_ttl}. */
  static final Duration CACHE_TTL = Duration.ofSeconds(10);

  /** Reads like {@code json.loads}: NaN and Infinity accepted, trailing data refused. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final Pattern PY_INT = Pattern.compile("[+-]?[0-9]+(?:_[0-9]+)*");

  private final ServerSocket listener;
  private final Ticker ticker;
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger executions = new AtomicInteger();
  private final Map<Object, BigInteger> state = new HashMap<>(); // guarded by this
  private final Map<Object, CachedAnswer> cache = new HashMap<>(); // guarded by this
  private volatile boolean running = true;

  private record CachedAnswer(long expiresAtNanos, byte[] data) {}

  private SeedPythonServer(Ticker ticker) throws IOException {
    this.ticker = ticker;
    this.listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "seed-python-server-accept");
    t.setDaemon(true);
    t.start();
  }

  /** Starts the server on an ephemeral loopback port, reading time from {@code ticker}. */
  static SeedPythonServer start(Ticker ticker) {
    try {
      return new SeedPythonServer(Objects.requireNonNull(ticker, "ticker"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Requests read so far, answered from the cache or not. */
  int requestsReceived() {
    return requests.get();
  }

  /** Requests that reached {@code _handle}, that is, were not answered from the cache. */
  int handlerRuns() {
    return executions.get();
  }

  @Override
  public void close() {
    running = false;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket c : connections) {
      closeQuietly(c);
    }
  }

  private void acceptLoop() {
    while (running) {
      Socket c;
      try {
        c = listener.accept();
      } catch (IOException e) {
        return;
      }
      connections.add(c);
      Thread t = new Thread(() -> clientLoop(c), "seed-python-server-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void clientLoop(Socket c) {
    try (c) {
      DataInputStream in = new DataInputStream(new BufferedInputStream(c.getInputStream()));
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(c.getOutputStream()));
      while (running) {
        int length = in.readInt();
        byte[] frame = new byte[length];
        in.readFully(frame);
        requests.incrementAndGet();
        JsonNode req = JSON.readTree(frame); // json.loads: anything else ends the loop
        if (req == null || !req.isObject()) {
          return; // req.get(...) raises AttributeError outside _handle
        }
        JsonNode rid = req.has("id") ? req.get("id") : NullNode.getInstance();
        Object cacheKey = pyKey(rid); // unhashable ids raise TypeError here, outside _handle
        long now = ticker.nanoTime();
        byte[] data;
        synchronized (this) {
          CachedAnswer entry = cache.get(cacheKey);
          if (entry != null && entry.expiresAtNanos() - now > 0) {
            data = entry.data();
          } else {
            data = PyJson.dumps(handle(req, rid)).getBytes(StandardCharsets.US_ASCII);
            cache.put(cacheKey, new CachedAnswer(now + CACHE_TTL.toNanos(), data));
          }
        }
        out.writeInt(data.length);
        out.write(data);
        out.flush();
      }
    } catch (IOException | PyError e) {
      // the seed's `except Exception: pass`, then the connection is closed
    } finally {
      connections.remove(c);
    }
  }

  /** The seed's {@code _handle}; called with the lock held. */
  private ObjectNode handle(JsonNode req, JsonNode rid) {
    executions.incrementAndGet();
    ObjectNode resp = JsonNodeFactory.instance.objectNode();
    resp.set("id", rid);
    JsonNode method = req.get("method");
    JsonNode params = req.get("params");
    JsonNode p = params == null || !pyTruthy(params) ? JsonNodeFactory.instance.objectNode()
        : params;
    try {
      if (method != null && method.isTextual() && method.textValue().equals("inc")) {
        JsonNode key = subscript(p, "key");
        BigInteger delta = pyInt(p.has("delta") ? p.get("delta") : null);
        Object slot = pyKey(key);
        BigInteger value = state.getOrDefault(slot, BigInteger.ZERO).add(delta);
        state.put(slot, value);
        ObjectNode result = resp.putObject("result");
        result.set("key", key);
        result.put("value", value);
        return resp;
      }
      if (method != null && method.isTextual() && method.textValue().equals("get")) {
        JsonNode key = subscript(p, "key");
        BigInteger value = state.getOrDefault(pyKey(key), BigInteger.ZERO);
        ObjectNode result = resp.putObject("result");
        result.set("key", key);
        result.put("value", value);
        return resp;
      }
      resp.putObject("error").put("code", -32601).put("message", "Method not found");
      return resp;
    } catch (PyError e) {
      resp.putObject("error").put("code", -32000).put("message", e.getMessage());
      return resp;
    }
  }

  /** A Python exception; its message is what {@code str(e)} gives. */
  private static final class PyError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PyError(String str) {
      super(str, null, false, false);
    }
  }

  /** {@code p['key']} for whatever JSON value {@code p} is. */
  private static JsonNode subscript(JsonNode p, String name) {
    if (p.isObject()) {
      if (!p.has(name)) {
        throw new PyError(pyRepr(name)); // str(KeyError('key')) is "'key'"
      }
      return p.get(name);
    }
    if (p.isArray()) {
      throw new PyError("list indices must be integers or slices, not str");
    }
    if (p.isTextual()) {
      throw new PyError("string indices must be integers, not 'str'");
    }
    throw new PyError("'" + pyTypeName(p) + "' object is not subscriptable");
  }

  /** Python's {@code int(x)}; {@code null} stands for the default 1. */
  private static BigInteger pyInt(JsonNode x) {
    if (x == null) {
      return BigInteger.ONE;
    }
    if (x.isBoolean()) {
      return x.booleanValue() ? BigInteger.ONE : BigInteger.ZERO;
    }
    if (x.isIntegralNumber()) {
      return x.bigIntegerValue();
    }
    if (x.isNumber()) {
      double d = x.doubleValue();
      if (Double.isNaN(d)) {
        throw new PyError("cannot convert float NaN to integer");
      }
      if (Double.isInfinite(d)) {
        throw new PyError("cannot convert float infinity to integer");
      }
      return new BigDecimal(d).toBigInteger(); // truncates toward zero
    }
    if (x.isTextual()) {
      String s = x.textValue().strip();
      if (PY_INT.matcher(s).matches()) {
        return new BigInteger(s.replace("_", ""));
      }
      throw new PyError("invalid literal for int() with base 10: " + pyRepr(x.textValue()));
    }
    throw new PyError("int() argument must be a string, a bytes-like object or a real number, "
        + "not '" + pyTypeName(x) + "'");
  }

  /** A map key with Python's equality ({@code 1 == 1.0 == True}); unhashable values raise. */
  private static Object pyKey(JsonNode v) {
    if (v.isArray() || v.isObject()) {
      throw new PyError("unhashable type: '" + pyTypeName(v) + "'");
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? BigInteger.ONE : BigInteger.ZERO;
    }
    if (v.isIntegralNumber()) {
      return v.bigIntegerValue();
    }
    if (v.isNumber()) {
      double d = v.doubleValue();
      return d == Math.rint(d) && !Double.isInfinite(d) ? new BigDecimal(d).toBigInteger() : d;
    }
    if (v.isTextual()) {
      return "str:" + v.textValue();
    }
    return NullNode.getInstance();
  }

  private static boolean pyTruthy(JsonNode v) {
    if (v.isNull()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isNumber()) {
      return v.doubleValue() != 0;
    }
    if (v.isTextual()) {
      return !v.textValue().isEmpty();
    }
    return v.size() > 0;
  }

  private static String pyTypeName(JsonNode v) {
    if (v.isNull()) {
      return "NoneType";
    }
    if (v.isBoolean()) {
      return "bool";
    }
    if (v.isIntegralNumber()) {
      return "int";
    }
    if (v.isNumber()) {
      return "float";
    }
    if (v.isTextual()) {
      return "str";
    }
    return v.isArray() ? "list" : "dict";
  }

  /** Python's {@code repr} of a str (printable text; enough for these messages). */
  private static String pyRepr(String s) {
    if (s.contains("'") && !s.contains("\"")) {
      return "\"" + s.replace("\\", "\\\\") + "\"";
    }
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** Python's {@code json.dumps(obj)} with its default settings, for JSON trees. */
  static final class PyJson {
    private PyJson() {}

    static String dumps(JsonNode node) {
      StringBuilder sb = new StringBuilder();
      write(sb, node);
      return sb.toString();
    }

    private static void write(StringBuilder sb, JsonNode n) {
      if (n.isObject()) {
        sb.append('{');
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          writeString(sb, e.getKey());
          sb.append(": ");
          write(sb, e.getValue());
          if (it.hasNext()) {
            sb.append(", ");
          }
        }
        sb.append('}');
      } else if (n.isArray()) {
        sb.append('[');
        for (int i = 0; i < n.size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          write(sb, n.get(i));
        }
        sb.append(']');
      } else if (n.isTextual()) {
        writeString(sb, n.textValue());
      } else if (n.isIntegralNumber()) {
        sb.append(n.bigIntegerValue());
      } else if (n.isNumber()) {
        sb.append(n.doubleValue());
      } else if (n.isBoolean()) {
        sb.append(n.booleanValue());
      } else {
        sb.append("null");
      }
    }

    /** ensure_ascii: everything outside space..'~' is escaped, with lowercase hex. */
    private static void writeString(StringBuilder sb, String s) {
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          case '\b' -> sb.append("\\b");
          case '\f' -> sb.append("\\f");
          default -> {
            if (c < ' ' || c > '~') {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
        }
      }
      sb.append('"');
    }
  }
}
