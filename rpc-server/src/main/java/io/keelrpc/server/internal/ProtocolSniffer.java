package io.keelrpc.server.internal;

import io.keelrpc.server.ConnectionInfo;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * The first handler of every server connection: tells the protocol from the connection's first
 * byte, installs that protocol's handlers behind itself, and removes itself, handing them every
 * byte read so far.
 *
 * <pre>
 * first byte                      pipeline after
 * 0x7B '{'                        lines (LineBasedFrameDecoder) -> go (GoChannelHandler)
 *                                 Go's net/rpc/jsonrpc: newline-delimited JSON objects
 * anything else (keel/1: 0x00)    frames (KeelFrameDecoder) [-> faults] -> keel
 *                                 a keel/1 frame starts with its 4-byte big-endian length, whose
 *                                 first byte is 0x00 below 16 MiB
 * </pre>
 *
 * <p>Anything that is not {@code '{'} goes to {@code keel/1}, so bytes that are neither keep
 * today's answer: a frame length out of range, answered once and the connection closed. A
 * protocol added later (HTTP: {@code 'G'}, {@code 'P'}) is one more branch here. Nothing is
 * decided, and nothing allocated, until a byte arrives.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {
  /** The sniffer's name in the pipeline. */
  static final String NAME = "sniff";

  private final Runnable installKeel1;
  private final Runnable installGo;

  /**
   * @param installKeel1 adds the {@code keel/1} handlers at the end of the pipeline
   * @param installGo adds the Go {@code net/rpc/jsonrpc} handlers at the end of the pipeline
   */
  ProtocolSniffer(Runnable installKeel1, Runnable installGo) {
    this.installKeel1 = installKeel1;
    this.installGo = installGo;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (!in.isReadable()) {
      return;
    }
    boolean go = in.getByte(in.readerIndex()) == '{';
    ChannelConnection.of(ctx.channel()).protocol(go ? ConnectionInfo.GO_JSONRPC
        : ConnectionInfo.KEEL_1);
    (go ? installGo : installKeel1).run();
    // Removing a ByteToMessageDecoder passes what it has accumulated to the next handler.
    ctx.pipeline().remove(this);
  }
}
