package io.keelrpc.client.cancel;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A raw {@code keel/1} peer on loopback that records every frame a client sends, in order, and
 * answers requests for method {@value #ECHO} at once with their id as result; everything else is
 * never answered. It accepts any number of connections and records the frames of all of them.
 */
final class RecordingPeer implements AutoCloseable {
  /** The only method answered. */
  static final String ECHO = "echo";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerSocket serverSocket;
  private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
  private volatile boolean endOfStream;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  RecordingPeer() {
    try {
      serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread t = new Thread(this::serve, "recording-peer");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** Every frame received so far. */
  List<JsonNode> frames() {
    return List.copyOf(frames);
  }

  /** The ids named by the {@code $/cancel} notifications received so far, in order. */
  List<String> cancelledIds() {
    return frames.stream()
        .filter(f -> f.path("method").asText().equals("$/cancel"))
        .map(f -> f.path("params").path("id").asText())
        .collect(Collectors.toList());
  }

  /** The ids of the requests received so far, in order. */
  List<String> requestIds() {
    return frames.stream().filter(f -> f.has("id")).map(f -> f.get("id").asText())
        .collect(Collectors.toList());
  }

  /** Waits until {@code n} requests arrived and returns the id of the {@code n}-th (1-based). */
  String awaitRequest(int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> requestIds().size() >= n);
    return requestIds().get(n - 1);
  }

  /** Waits until the client closed a connection (this side read the end of its stream). */
  void awaitEndOfStream() {
    await().atMost(Duration.ofSeconds(10)).until(() -> endOfStream);
  }

  private void serve() {
    while (!serverSocket.isClosed()) {
      Socket s;
      try {
        s = serverSocket.accept();
      } catch (IOException e) {
        return;
      }
      sockets.add(s);
      Thread t = new Thread(() -> read(s), "recording-peer-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void read(Socket s) {
    try (s) {
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      while (true) {
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        JsonNode frame = JSON.readTree(payload);
        frames.add(frame);
        if (frame.has("id") && frame.path("method").asText().equals(ECHO)) {
          ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0");
          answer.set("id", frame.get("id"));
          answer.set("result", frame.get("id"));
          byte[] bytes = JSON.writeValueAsBytes(answer);
          out.writeInt(bytes.length);
          out.write(bytes);
          out.flush();
        }
      }
    } catch (EOFException e) {
      endOfStream = true;
    } catch (IOException e) {
      // closed by the test
    }
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
