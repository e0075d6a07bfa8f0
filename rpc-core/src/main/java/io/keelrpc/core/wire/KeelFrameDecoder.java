package io.keelrpc.core.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a byte stream into {@code keel/1} frames.
 *
 * <pre>
 * BEFORE (one read, any split)                 AFTER
 * +----------+---------------+----------+--    +---------------+  +-----
 * | 00000011 | {"id":1,...}  | 00000007 | ..   | {"id":1,...}  |  | ...
 * | length L | L bytes JSON  | length   |      | L bytes       |  |
 * +----------+---------------+----------+--    +---------------+  +-----
 *   4 bytes, unsigned big-endian
 * </pre>
 *
 * <p>Each complete frame is passed on as a {@link ByteBuf} holding exactly the {@code L} payload
 * bytes (a retained slice; the receiver releases it). A length of zero or above
 * {@code maxFrameBytes} is never allocated: the decoder passes on one {@link BadFrame} instead and
 * then discards everything else the connection sends, so the next handler can answer once and
 * close.
 */
public final class KeelFrameDecoder extends ByteToMessageDecoder {
  /** Size of the length prefix in bytes. */
  public static final int LENGTH_BYTES = 4;
  /** Default largest frame payload: 1 MiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

  /**
   * Passed on instead of a frame whose claimed length is out of range.
   *
   * @param claimedLength the unsigned length the peer claimed
   * @param maxFrameBytes the configured maximum
   */
  public record BadFrame(long claimedLength, int maxFrameBytes) {
    /** A message naming the bad length and the limit. */
    public String describe() {
      return "frame length " + claimedLength + " is outside 1.." + maxFrameBytes;
    }
  }

  private final int maxFrameBytes;
  private boolean failed;

  /**
   * Creates a decoder.
   *
   * @param maxFrameBytes the largest payload accepted, at least 1
   */
  public KeelFrameDecoder(int maxFrameBytes) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: >= 1)");
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.readableBytes() >= LENGTH_BYTES) {
      long length = in.getUnsignedInt(in.readerIndex());
      if (length < 1 || length > maxFrameBytes) {
        failed = true;
        in.skipBytes(in.readableBytes());
        out.add(new BadFrame(length, maxFrameBytes));
        return;
      }
      if (in.readableBytes() < LENGTH_BYTES + length) {
        return;
      }
      in.skipBytes(LENGTH_BYTES);
      out.add(in.readRetainedSlice((int) length));
    }
  }
}
