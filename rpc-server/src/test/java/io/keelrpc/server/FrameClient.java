package io.keelrpc.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A raw {@code keel/1} peer for tests: writes a 4-byte big-endian length and the payload, reads
 * one frame back. Every read times out after {@link #READ_TIMEOUT_MS} so a broken test fails
 * instead of hanging.
 */
public final class FrameClient implements AutoCloseable {
  /** Read timeout of every socket this client opens. */
  public static final int READ_TIMEOUT_MS = 5_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  private FrameClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  /** Opens a connection to the server on loopback {@code port}. */
  public static FrameClient connect(int port) throws IOException {
    Socket s = new Socket();
    try {
      s.setSoTimeout(READ_TIMEOUT_MS);
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
      return new FrameClient(s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** One request on a fresh connection, one answer, connection closed. */
  public static JsonNode callOnce(int port, String json) throws IOException {
    try (FrameClient c = connect(port)) {
      return c.call(json);
    }
  }

  /** Sends {@code json} (UTF-8) as one frame and reads one frame back. */
  public JsonNode call(String json) throws IOException {
    send(json);
    return read();
  }

  /** Sends {@code json} (UTF-8) as one frame. */
  public void send(String json) throws IOException {
    sendPayload(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@code payload} as one frame with its true length. */
  public void sendPayload(byte[] payload) throws IOException {
    out.write(frame(payload));
    out.flush();
  }

  /** Sends several JSON messages as frames in a single write (pipelined). */
  public void sendPipelined(String... messages) throws IOException {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (String m : messages) {
      all.writeBytes(frame(m.getBytes(StandardCharsets.UTF_8)));
    }
    out.write(all.toByteArray());
    out.flush();
  }

  /** Sends only a length prefix claiming {@code claimedLength} (unsigned 32 bit). */
  public void sendLengthPrefix(long claimedLength) throws IOException {
    out.writeInt((int) claimedLength);
    out.flush();
  }

  /** Sends {@code bytes} exactly as given. */
  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Reads one frame and parses it as JSON. */
  public JsonNode read() throws IOException {
    return JSON.readTree(readText());
  }

  /** Reads one frame as UTF-8 text. */
  public String readText() throws IOException {
    int length = in.readInt();
    if (length < 1 || length > (1 << 24)) {
      throw new IOException("server sent an implausible frame length " + length);
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new String(payload, StandardCharsets.UTF_8);
  }

  /**
   * True if the server closed the connection: the next read sees end of stream. Times out (and
   * so throws) if the connection stays open.
   */
  public boolean closedByPeer() throws IOException {
    return in.read() == -1;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** Encodes {@code payload} as one frame. */
  public static byte[] frame(byte[] payload) {
    byte[] f = new byte[4 + payload.length];
    int n = payload.length;
    f[0] = (byte) (n >>> 24);
    f[1] = (byte) (n >>> 16);
    f[2] = (byte) (n >>> 8);
    f[3] = (byte) n;
    System.arraycopy(payload, 0, f, 4, n);
    return f;
  }
}
