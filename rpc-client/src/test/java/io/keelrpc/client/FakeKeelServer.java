package io.keelrpc.client;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionFactory;

/**
 * A scripted {@code keel/1} peer for client tests, written on plain {@link ServerSocket}s so that
 * it can misbehave in ways a real server never would.
 *
 * <p>It accepts any number of connections (one reader thread each), reads 4-byte big-endian
 * length-prefixed UTF-8 JSON frames, records every request it received (in arrival order, with
 * the connection it came on) and hands each one to the {@link Script} on that connection's reader
 * thread. The script answers through the {@link Exchange}: once, twice, never, with a wrong id,
 * or by closing the connection. A test may also keep an exchange and answer it later from its own
 * thread.
 *
 * <pre>{@code
 * try (FakeKeelServer server = FakeKeelServer.start(ex -> ex.replyResult(new Counter("a", 1)))) {
 *   ...
 *   FakeKeelServer.Exchange first = server.awaitRequest(1);
 * }
 * }</pre>
 */
final class FakeKeelServer implements AutoCloseable {
  /** What the server does with each request it reads. */
  @FunctionalInterface
  interface Script {
    void onRequest(Exchange exchange) throws IOException;
  }

  /** A script that records requests and never answers. */
  static final Script SILENT = ex -> {};

  static final ObjectMapper JSON = new ObjectMapper();

  private final ServerSocket serverSocket;
  private final Script script;
  private final List<Exchange> received = new ArrayList<>(); // guarded by itself
  private final List<Peer> peers = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private FakeKeelServer(Script script) throws IOException {
    this.script = script;
    this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "fake-keel-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a server on an ephemeral loopback port. */
  static FakeKeelServer start(Script script) {
    try {
      return new FakeKeelServer(script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Awaitility with a short poll interval, for outcomes that cross a socket. */
  static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2))
        .pollDelay(Duration.ZERO);
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** The requests received so far, in arrival order. */
  List<Exchange> requests() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  int requestCount() {
    synchronized (received) {
      return received.size();
    }
  }

  /** Waits until at least {@code n} requests arrived and returns the {@code n}-th (1-based). */
  Exchange awaitRequest(int n) {
    eventually().until(() -> requestCount() >= n);
    return requests().get(n - 1);
  }

  /** How many connections were accepted so far. */
  int acceptedConnections() {
    return peers.size();
  }

  /** How many accepted connections are still open on this side. */
  int openConnections() {
    return (int) peers.stream().filter(p -> !p.socket.isClosed()).count();
  }

  /** How many connections the client closed (this side read the end of the stream). */
  int connectionsClosedByClient() {
    return (int) peers.stream().filter(p -> p.closedByClient).count();
  }

  /**
   * Sends FIN on every accepted connection but keeps reading, so that
   * {@link #connectionsClosedByClient()} shows when the client has seen it and closed its side.
   */
  void shutdownOutputs() {
    for (Peer p : peers) {
      p.shutdownOutput();
    }
  }

  /** Closes every accepted connection; the listening socket stays open. */
  void closeConnections() {
    for (Peer p : peers) {
      p.close();
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      serverSocket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    closeConnections();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = serverSocket.accept();
      } catch (IOException e) {
        return;
      }
      Peer p;
      try {
        p = new Peer(s, peers.size() + 1);
      } catch (IOException e) {
        closeQuietly(s);
        continue;
      }
      peers.add(p);
      if (closed) {
        p.close();
        return;
      }
      Thread t = new Thread(p::readLoop, "fake-keel-server-conn-" + p.number);
      t.setDaemon(true);
      t.start();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** One accepted connection. */
  final class Peer {
    final int number;
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private volatile boolean closedByClient;

    Peer(Socket socket, int number) throws IOException {
      this.socket = socket;
      this.number = number;
      this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    }

    void readLoop() {
      try {
        while (true) {
          int length = in.readInt();
          byte[] payload = new byte[length];
          in.readFully(payload);
          JsonNode request = JSON.readTree(payload);
          Exchange ex;
          synchronized (received) {
            ex = new Exchange(this, request, received.size() + 1);
            received.add(ex);
          }
          script.onRequest(ex);
        }
      } catch (EOFException e) {
        closedByClient = true;
      } catch (IOException e) {
        // closed by the test or reset by the client
      } finally {
        close();
      }
    }

    synchronized void sendFrame(byte[] payload) throws IOException {
      out.writeInt(payload.length);
      out.write(payload);
      out.flush();
    }

    synchronized void sendBytes(byte[] raw) throws IOException {
      out.write(raw);
      out.flush();
    }

    void close() {
      closeQuietly(socket);
    }

    void shutdownOutput() {
      try {
        socket.shutdownOutput();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  /** One request as received, and the means to answer it. */
  final class Exchange {
    private final Peer peer;
    private final JsonNode request;
    private final int index;

    Exchange(Peer peer, JsonNode request, int index) {
      this.peer = peer;
      this.request = request;
      this.index = index;
    }

    /** The request as received. */
    JsonNode request() {
      return request;
    }

    /** 1-based position among all requests this server received. */
    int index() {
      return index;
    }

    /** 1-based number of the connection the request came on. */
    int connection() {
      return peer.number;
    }

    String id() {
      return request.path("id").asText();
    }

    String method() {
      return request.path("method").asText();
    }

    JsonNode params() {
      return request.path("params");
    }

    JsonNode meta() {
      return request.path("meta");
    }

    int attempt() {
      return meta().path("attempt").asInt();
    }

    long timeoutMs() {
      return meta().path("timeoutMs").asLong(-1);
    }

    /** Sends {@code json} as one frame, verbatim. */
    void replyRaw(String json) throws IOException {
      peer.sendFrame(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends raw bytes with no framing (for broken frames). */
    void sendBytes(byte[] raw) throws IOException {
      peer.sendBytes(raw);
    }

    /** Answers with {@code result} under this request's id. */
    void replyResult(Object result) throws IOException {
      replyResultWithId(request.path("id"), result);
    }

    /** Answers with {@code result} under another id. */
    void replyResultWithId(Object id, Object result) throws IOException {
      ObjectNode msg = JSON.createObjectNode().put("jsonrpc", "2.0");
      msg.set("id", JSON.valueToTree(id));
      msg.set("result", JSON.valueToTree(result));
      replyRaw(JSON.writeValueAsString(msg));
    }

    /** Answers with an error under this request's id; {@code data} may be null. */
    void replyError(int code, String message, Object data) throws IOException {
      ObjectNode msg = JSON.createObjectNode().put("jsonrpc", "2.0");
      msg.set("id", request.path("id"));
      ObjectNode error = msg.putObject("error").put("code", code).put("message", message);
      if (data != null) {
        error.set("data", JSON.valueToTree(data));
      }
      replyRaw(JSON.writeValueAsString(msg));
    }

    /** Closes the connection this request came on. */
    void closeConnection() {
      peer.close();
    }
  }
}
