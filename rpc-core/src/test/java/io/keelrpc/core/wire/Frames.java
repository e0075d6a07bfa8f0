package io.keelrpc.core.wire;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Builds {@code keel/1} frames byte by byte for codec tests, and reads them back. */
final class Frames {
  private Frames() {}

  /** The 4-byte big-endian prefix claiming {@code length} (taken as an unsigned 32-bit value). */
  static byte[] header(long length) {
    return new byte[] {
      (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length
    };
  }

  /** A complete frame: prefix plus the UTF-8 bytes of {@code json}. */
  static byte[] frame(String json) {
    return frame(json.getBytes(UTF_8));
  }

  /** A complete frame: prefix plus {@code payload}. */
  static byte[] frame(byte[] payload) {
    return concat(header(payload.length), payload);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A heap buffer holding a copy of {@code bytes}; the caller releases it (or hands it on). */
  static ByteBuf buf(byte[] bytes) {
    return Unpooled.copiedBuffer(bytes);
  }

  /** Reads a payload as UTF-8 and releases it. */
  static String readAndRelease(ByteBuf payload) {
    try {
      return payload.toString(UTF_8);
    } finally {
      payload.release();
    }
  }

  /**
   * Takes every message the channel passed on; each must be a {@link ByteBuf}, which is read as
   * UTF-8 and released.
   */
  static List<String> drainPayloads(EmbeddedChannel channel) {
    List<String> out = new ArrayList<>();
    for (Object msg; (msg = channel.readInbound()) != null; ) {
      if (!(msg instanceof ByteBuf)) {
        io.netty.util.ReferenceCountUtil.release(msg);
        throw new AssertionError("expected a ByteBuf frame, got " + msg);
      }
      out.add(readAndRelease((ByteBuf) msg));
    }
    return out;
  }

  /** The JSON body of a frame written by {@link MessageCodec}, after checking its prefix. */
  static JsonNode bodyOf(ByteBuf frame) {
    byte[] bytes = new byte[frame.readableBytes()];
    frame.getBytes(frame.readerIndex(), bytes);
    try {
      return KeelJson.mapper().readTree(bytes, KeelFrameDecoder.LENGTH_BYTES,
          bytes.length - KeelFrameDecoder.LENGTH_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tree of raw JSON bytes (such as {@link Request#params()}), or null for null. */
  static JsonNode tree(byte[] json) {
    if (json == null) {
      return null;
    }
    return json(new String(json, java.nio.charset.StandardCharsets.UTF_8));
  }

  static JsonNode json(String text) {
    try {
      return KeelJson.mapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
