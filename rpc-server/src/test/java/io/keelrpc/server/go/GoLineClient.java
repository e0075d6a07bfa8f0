package io.keelrpc.server.go;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A raw peer that speaks as Go's {@code net/rpc/jsonrpc} client does: one JSON object per line,
 * {@code {"method":"Service.Method","params":[args],"id":N}}, and reads the answers line by line.
 * Every read times out after {@link #READ_TIMEOUT_MS} so a broken test fails instead of hanging.
 */
final class GoLineClient implements AutoCloseable {
  /** Read timeout of every socket this client opens. */
  static final int READ_TIMEOUT_MS = 5_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;

  private GoLineClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
        StandardCharsets.UTF_8));
    this.out = socket.getOutputStream();
  }

  /** Opens a connection to loopback {@code port}. */
  static GoLineClient connect(int port) throws IOException {
    Socket s = new Socket();
    try {
      s.setSoTimeout(READ_TIMEOUT_MS);
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
      return new GoLineClient(s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** The line Go's client writes for {@code client.Call(method, args, &reply)} with sequence id. */
  static String request(long id, String method, String argsJson) {
    return "{\"method\":\"" + method + "\",\"params\":[" + argsJson + "],\"id\":" + id + "}";
  }

  /** Sends {@code line} and a newline. */
  void send(String line) throws IOException {
    sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@code bytes} exactly as given. */
  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Sends {@code line} and reads one answer line. */
  String callRaw(String line) throws IOException {
    send(line);
    return readLine();
  }

  /** Sends {@code line} and reads one answer, parsed. */
  JsonNode call(String line) throws IOException {
    return JSON.readTree(callRaw(line));
  }

  /** Reads one answer line (without its newline); fails at end of stream. */
  String readLine() throws IOException {
    String line = in.readLine();
    if (line == null) {
      throw new IOException("the server closed the connection");
    }
    return line;
  }

  /** Reads one answer, parsed. */
  JsonNode read() throws IOException {
    return JSON.readTree(readLine());
  }

  /** True if the server closed the connection: the next read sees end of stream. */
  boolean closedByPeer() throws IOException {
    return in.read() == -1;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
