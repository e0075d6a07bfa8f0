package io.keelrpc.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.1 connection for tests that need to control the bytes and know which connection
 * they are on: writes requests as given and reads responses by their Content-Length.
 */
final class HttpWire implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** A response as read. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  private HttpWire(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(5_000);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static HttpWire connect(int port) throws IOException {
    return new HttpWire(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  /** A POST /rpc request's bytes, keep-alive, with {@code extraHeaders} ("Name: value\r\n"...). */
  static String post(String path, String body, String extraHeaders) {
    return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + extraHeaders + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n" + body;
  }

  /** A GET request's bytes. */
  static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
  }

  void send(String raw) throws IOException {
    send(raw.getBytes(StandardCharsets.UTF_8));
  }

  void send(byte[] raw) throws IOException {
    out.write(raw);
    out.flush();
  }

  /** Sends {@code raw} and reads one response. */
  Response exchange(String raw) throws IOException {
    send(raw);
    return read();
  }

  /** Reads one response; a response to HEAD must be read with {@link #readHead()}. */
  Response read() throws IOException {
    return read(true);
  }

  /** Reads one response without a body (the answer to HEAD). */
  Response readHead() throws IOException {
    return read(false);
  }

  private Response read(boolean withBody) throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("connection closed before a response");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(); h != null && !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          h.substring(colon + 1).trim());
    }
    int length = withBody && headers.containsKey("content-length")
        ? Integer.parseInt(headers.get("content-length")) : 0;
    byte[] body = in.readNBytes(length);
    if (body.length != length) {
      throw new IOException("connection closed inside a body");
    }
    return new Response(status, headers, body);
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
  }

  /** True if the server closed the connection: the next read sees end of stream (or a reset). */
  boolean closedByPeer() throws IOException {
    try {
      return in.read() == -1;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
