package io.keelrpc.core.wire;

import static io.keelrpc.core.wire.Frames.buf;
import static io.keelrpc.core.wire.Frames.concat;
import static io.keelrpc.core.wire.Frames.drainPayloads;
import static io.keelrpc.core.wire.Frames.frame;
import static io.keelrpc.core.wire.Frames.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.keelrpc.core.wire.KeelFrameDecoder.BadFrame;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A claimed length of zero or above the maximum: one {@link BadFrame}, nothing allocated for the
 * claim, and everything the peer sends afterwards discarded.
 */
class KeelFrameDecoderBadLengthTest {
  private static final int MAX = 1024;

  private final RecordingAllocator alloc = new RecordingAllocator();
  private final EmbeddedChannel channel = newChannel(alloc);

  private static EmbeddedChannel newChannel(RecordingAllocator alloc) {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.config().setAllocator(alloc);
    ch.pipeline().addLast(new KeelFrameDecoder(MAX));
    return ch;
  }

  @AfterEach
  void closeChannel() {
    channel.finishAndReleaseAll();
  }

  @Test
  void zeroLengthIsReportedAsBadFrameAndLaterBytesAreDiscarded() {
    ByteBuf in = buf(concat(header(0), frame("{\"id\":1}")));

    channel.writeInbound(in);

    assertThat(channel.<Object>readInbound()).isEqualTo(new BadFrame(0, MAX));
    assertThat(channel.<Object>readInbound()).as("the frame after the bad one").isNull();
    assertThat(in.refCnt()).isZero();

    ByteBuf later = buf(frame("{\"id\":2}"));
    assertThat(channel.writeInbound(later)).as("a later read emits nothing").isFalse();
    assertThat(later.refCnt()).as("later read discarded and released").isZero();
    assertThat(channel.finish()).as("nothing emitted on close either").isFalse();
  }

  @Test
  void lengthOfMaxPlusOneIsReportedAsSoonAsTheHeaderArrives() {
    ByteBuf in = buf(header(MAX + 1));

    assertThat(channel.writeInbound(in)).isTrue();

    assertThat(channel.<Object>readInbound()).isEqualTo(new BadFrame(MAX + 1, MAX));
    assertThat(in.refCnt()).isZero();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void hugeClaimedLengthIsReportedUnsignedWithoutAllocatingIt() {
    // The header arrives byte by byte, so the decoder has to accumulate (and allocate) to see it.
    List<ByteBuf> inputs = new ArrayList<>();
    for (byte b : header(0xFFFFFFFFL)) {
      ByteBuf one = buf(new byte[] {b});
      inputs.add(one);
      channel.writeInbound(one);
    }
    for (int i = 0; i < 8; i++) {
      ByteBuf junk = buf(new byte[4096]);
      inputs.add(junk);
      channel.writeInbound(junk);
    }

    BadFrame bad = channel.readInbound();
    assertThat(bad.claimedLength()).isEqualTo(4_294_967_295L);
    assertThat(bad.maxFrameBytes()).isEqualTo(MAX);
    assertThat(channel.<Object>readInbound()).isNull();
    assertThat(alloc.largestRequest).as("largest buffer the decoder asked for")
        .isPositive()
        .isLessThan(MAX);
    assertThat(inputs).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    assertThat(alloc.live).as("allocated buffers still referenced").allSatisfy(
        b -> assertThat(b.refCnt()).isZero());
  }

  @Test
  void goodFramesBeforeABadLengthAreStillPassedOn() {
    channel.writeInbound(buf(concat(frame("{\"id\":1}"), header(MAX + 1), frame("{\"id\":2}"))));

    ByteBuf first = channel.readInbound();
    assertThat(Frames.readAndRelease(first)).isEqualTo("{\"id\":1}");
    assertThat(channel.<Object>readInbound()).isEqualTo(new BadFrame(MAX + 1, MAX));
    assertThat(drainPayloads(channel)).isEmpty();
  }

  @Test
  void badFrameDescribesTheClaimAndTheLimit() {
    assertThat(new BadFrame(0, MAX).describe()).isEqualTo("frame length 0 is outside 1..1024");
    assertThat(new BadFrame(4_294_967_295L, MAX).describe())
        .isEqualTo("frame length 4294967295 is outside 1..1024");
  }

  @Test
  void maxFrameBytesBelowOneIsRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> new KeelFrameDecoder(0))
        .withMessage("maxFrameBytes: 0 (expected: >= 1)");
  }

  /** An unpooled heap allocator that records what it was asked for. */
  private static final class RecordingAllocator extends AbstractByteBufAllocator {
    int largestRequest;
    final List<ByteBuf> live = new ArrayList<>();

    RecordingAllocator() {
      super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      largestRequest = Math.max(largestRequest, initialCapacity);
      ByteBuf b = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
      live.add(b);
      return b;
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
