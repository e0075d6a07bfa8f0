package io.keelrpc.examples.time;

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
 * A raw peer speaking as Go's {@code net/rpc/jsonrpc} client does: one JSON object per line, and
 * answers read line by line. Reads time out after 5 s so a broken test fails instead of hanging.
 */
final class GoLines implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;

  private GoLines(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
        StandardCharsets.UTF_8));
    this.out = socket.getOutputStream();
  }

  static GoLines connect(int port) throws IOException {
    Socket s = new Socket();
    try {
      s.setSoTimeout(5_000);
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      return new GoLines(s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** Sends what Go's client writes for {@code client.Call(method, args, &reply)}. */
  void send(long id, String method, String argsJson) throws IOException {
    out.write(("{\"method\":\"" + method + "\",\"params\":[" + argsJson + "],\"id\":" + id + "}\n")
        .getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Reads one answer line. */
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

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
