package io.keelrpc.server.internal;

import io.keelrpc.server.ConnectionInfo;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The first handler of every server connection: tells the protocol from the connection's first
 * bytes, installs that protocol's handlers behind itself, and removes itself, handing them every
 * byte read so far.
 *
 * <pre>
 * first bytes                     pipeline after
 * 0x7B '{'                        lines (LineBasedFrameDecoder) -> go (GoChannelHandler)
 *                                 Go's net/rpc/jsonrpc: newline-delimited JSON objects
 * an HTTP method and a space:     http-codec -> http-requests -> http-keepalive -> http-body
 *   "GET " "HEAD " "POST " "PUT "   -> http (HttpChannelHandler); see HttpPipeline
 *   "DELETE " "OPTIONS " "PATCH "
 *   "TRACE " "CONNECT "
 * anything else (keel/1: 0x00)    frames (KeelFrameDecoder) [-> faults] -> keel
 *                                 a keel/1 frame starts with its 4-byte big-endian length, whose
 *                                 first byte is 0x00 below 16 MiB
 * </pre>
 *
 * <p>{@code '{'} and {@code 0x00} decide at the first byte. A first byte that starts an HTTP
 * method ({@code C D G H O P T}) waits for the bytes that confirm or refute it, at most 8 (the
 * connection's first-frame timeout bounds the wait); bytes that diverge from every method go to
 * {@code keel/1}. So bytes that are none of the three keep {@code keel/1}'s answer: a frame length
 * out of range, answered once and the connection closed. A {@code keel/1} frame cannot start with
 * a method: its first byte would make it longer than 1 GiB. Nothing is decided, and nothing
 * allocated, until a byte arrives.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {
  /** The sniffer's name in the pipeline. */
  static final String NAME = "sniff";

  private static final byte[][] HTTP_METHODS = ascii("GET ", "HEAD ", "POST ", "PUT ", "DELETE ",
      "OPTIONS ", "PATCH ", "TRACE ", "CONNECT ");

  /** What the bytes read so far tell. */
  enum Verdict { KEEL_1, GO, HTTP, NEED_MORE }

  private final Runnable installKeel1;
  private final Runnable installGo;
  private final Runnable installHttp;

  /**
   * @param installKeel1 adds the {@code keel/1} handlers at the end of the pipeline
   * @param installGo adds the Go {@code net/rpc/jsonrpc} handlers at the end of the pipeline
   * @param installHttp adds the HTTP/1.x handlers at the end of the pipeline
   */
  ProtocolSniffer(Runnable installKeel1, Runnable installGo, Runnable installHttp) {
    this.installKeel1 = installKeel1;
    this.installGo = installGo;
    this.installHttp = installHttp;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    Verdict v = detect(in);
    if (v == Verdict.NEED_MORE) {
      return;
    }
    ChannelConnection.of(ctx.channel()).protocol(switch (v) {
      case GO -> ConnectionInfo.GO_JSONRPC;
      case HTTP -> ConnectionInfo.HTTP;
      default -> ConnectionInfo.KEEL_1;
    });
    (v == Verdict.GO ? installGo : v == Verdict.HTTP ? installHttp : installKeel1).run();
    // Removing a ByteToMessageDecoder passes what it has accumulated to the next handler.
    ctx.pipeline().remove(this);
  }

  /** The protocol of a connection whose first readable bytes are {@code in}'s; reads nothing. */
  static Verdict detect(ByteBuf in) {
    int n = in.readableBytes();
    if (n == 0) {
      return Verdict.NEED_MORE;
    }
    int from = in.readerIndex();
    byte first = in.getByte(from);
    if (first == '{') {
      return Verdict.GO;
    }
    if (first < 'C' || first > 'T') {
      return Verdict.KEEL_1; // keel/1's 0x00 among them
    }
    boolean prefix = false;
    for (byte[] method : HTTP_METHODS) {
      int len = Math.min(n, method.length);
      boolean matches = true;
      for (int i = 0; i < len && matches; i++) {
        matches = in.getByte(from + i) == method[i];
      }
      if (matches && len == method.length) {
        return Verdict.HTTP;
      }
      prefix |= matches;
    }
    return prefix ? Verdict.NEED_MORE : Verdict.KEEL_1;
  }

  private static byte[][] ascii(String... tokens) {
    byte[][] bytes = new byte[tokens.length][];
    for (int i = 0; i < tokens.length; i++) {
      bytes[i] = tokens[i].getBytes(StandardCharsets.US_ASCII);
    }
    return bytes;
  }
}
