package io.keelrpc.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.keelrpc.core.wire.KeelFrameDecoder;
import io.keelrpc.core.wire.KeelFrameDecoder.BadFrame;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link KeelFrameDecoder} through an {@link EmbeddedChannel}.
 *
 * <p>Input layout: byte 0 seeds how the stream is split into reads (1..16 bytes each), byte 1
 * picks {@code maxFrameBytes} (1..256), the rest is the byte stream the peer sends. For every
 * input the decoder must not throw, must emit exactly what a one-pass reference parse of the
 * whole stream emits (frames in order, then at most one {@link BadFrame} and nothing after it)
 * whatever the split, and must never ask the allocator for a buffer sized by a claimed length.
 *
 * <p>Under {@code mvn test} this replays the regression corpus in
 * {@code src/test/resources/io/keelrpc/core/fuzz/KeelFrameDecoderFuzzTestInputs/}; see
 * docs/fuzzing.md for a longer, coverage-guided session.
 */
class KeelFrameDecoderFuzzTest {
  private static final int MAX_CHUNK = 16;

  @FuzzTest
  void decoderMatchesReferenceForAnySplit(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int splitSeed = input[0] & 0xff;
    int maxFrameBytes = (input[1] & 0xff) + 1;
    byte[] stream = Arrays.copyOfRange(input, 2, input.length);

    CountingAllocator alloc = new CountingAllocator();
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setAllocator(alloc);
    channel.pipeline().addLast(new KeelFrameDecoder(maxFrameBytes));
    List<Object> decoded = new ArrayList<>();
    try {
      int pos = 0;
      int read = 0;
      while (pos < stream.length) {
        int size = Math.min(stream.length - pos, (splitSeed + 7 * read) % MAX_CHUNK + 1);
        // writeInbound rethrows anything the pipeline raised: a throw here is a finding.
        channel.writeInbound(Unpooled.wrappedBuffer(stream, pos, size));
        drain(channel, decoded);
        pos += size;
        read++;
      }
      channel.finish();
      drain(channel, decoded);

      List<Object> expected = reference(stream, maxFrameBytes);
      assertThat(decoded).hasSameSizeAs(expected);
      for (int i = 0; i < expected.size(); i++) {
        Object want = expected.get(i);
        Object got = decoded.get(i);
        if (want instanceof BadFrame) {
          assertThat(got).isEqualTo(want);
        } else {
          assertThat(got).isInstanceOf(ByteBuf.class);
          assertThat(ByteBufUtil.getBytes((ByteBuf) got)).isEqualTo((byte[]) want);
        }
      }
      // Cumulation holds at most one pending frame (<= 4 + max) plus one read; the allocator
      // may round up to the next power of two, at least 64. A claimed length is never allocated.
      long bound = Math.max(64, 2L * (KeelFrameDecoder.LENGTH_BYTES + maxFrameBytes + MAX_CHUNK));
      assertThat(alloc.largestRequest).isLessThanOrEqualTo(bound);
    } finally {
      for (Object o : decoded) {
        if (o instanceof ByteBuf b) {
          b.release();
        }
      }
      channel.finishAndReleaseAll();
    }
  }

  private static void drain(EmbeddedChannel channel, List<Object> into) {
    Object o;
    while ((o = channel.readInbound()) != null) {
      into.add(o);
    }
  }

  /** One pass over the whole stream: frames as byte arrays, then at most one BadFrame. */
  private static List<Object> reference(byte[] stream, int maxFrameBytes) {
    List<Object> out = new ArrayList<>();
    int pos = 0;
    while (stream.length - pos >= 4) {
      long length = ((stream[pos] & 0xffL) << 24) | ((stream[pos + 1] & 0xffL) << 16)
          | ((stream[pos + 2] & 0xffL) << 8) | (stream[pos + 3] & 0xffL);
      if (length < 1 || length > maxFrameBytes) {
        out.add(new BadFrame(length, maxFrameBytes));
        return out;
      }
      if (stream.length - pos - 4 < length) {
        return out;
      }
      out.add(Arrays.copyOfRange(stream, pos + 4, pos + 4 + (int) length));
      pos += 4 + (int) length;
    }
    return out;
  }

  /** Records the largest buffer the decoder's cumulator asks for. */
  private static final class CountingAllocator extends AbstractByteBufAllocator {
    long largestRequest;

    CountingAllocator() {
      super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      largestRequest = Math.max(largestRequest, initialCapacity);
      return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }
  }
}
