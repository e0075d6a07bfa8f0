package io.keelrpc.core.wire;

import static io.keelrpc.core.wire.Frames.buf;
import static io.keelrpc.core.wire.Frames.concat;
import static io.keelrpc.core.wire.Frames.drainPayloads;
import static io.keelrpc.core.wire.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How {@link KeelFrameDecoder} cuts a byte stream into frames, however the reads are split. */
class KeelFrameDecoderFramingTest {
  private static final int MAX = 64;

  private final EmbeddedChannel channel = new EmbeddedChannel(new KeelFrameDecoder(MAX));

  @AfterEach
  void closeChannel() {
    assertThat(channel.finishAndReleaseAll()).as("unread messages left in the channel").isFalse();
  }

  @Test
  void oneFrameIsPassedOnAsExactlyItsPayload() {
    ByteBuf in = buf(frame("{\"id\":1}"));

    assertThat(channel.writeInbound(in)).isTrue();
    ByteBuf payload = channel.readInbound();

    assertThat(payload.readableBytes()).isEqualTo(8);
    assertThat(Frames.readAndRelease(payload)).isEqualTo("{\"id\":1}");
    assertThat(payload.refCnt()).isZero();
    assertThat(in.refCnt()).as("input buffer released once its frame is released").isZero();
  }

  @Test
  void severalFramesMergedInOneReadArePassedOnInOrder() {
    ByteBuf in = buf(concat(frame("{\"id\":1}"), frame("{\"id\":22}"), frame("[]")));

    channel.writeInbound(in);

    assertThat(drainPayloads(channel)).containsExactly("{\"id\":1}", "{\"id\":22}", "[]");
    assertThat(in.refCnt()).isZero();
  }

  @Test
  void framesSplitByteByByteAreEmittedWhenTheirLastByteArrives() {
    byte[] first = frame("{\"id\":1}");
    byte[] stream = concat(first, frame("{\"id\":2}"));
    List<ByteBuf> inputs = new ArrayList<>();
    List<String> seen = new ArrayList<>();

    for (int i = 0; i < stream.length; i++) {
      ByteBuf oneByte = buf(new byte[] {stream[i]});
      inputs.add(oneByte);
      boolean emitted = channel.writeInbound(oneByte);
      boolean frameEnds = i == first.length - 1 || i == stream.length - 1;
      assertThat(emitted).as("emitted after byte %d", i).isEqualTo(frameEnds);
      seen.addAll(drainPayloads(channel));
    }

    assertThat(seen).containsExactly("{\"id\":1}", "{\"id\":2}");
    assertThat(inputs).allSatisfy(b -> assertThat(b.refCnt()).isZero());
  }

  @Test
  void everySplitPointOfTwoFramesYieldsTheSameTwoFrames() {
    byte[] stream = concat(frame("{\"a\":\"x\"}"), frame("{\"b\":2}"));

    for (int split = 1; split < stream.length; split++) {
      ByteBuf head = buf(Arrays.copyOfRange(stream, 0, split));
      ByteBuf tail = buf(Arrays.copyOfRange(stream, split, stream.length));

      channel.writeInbound(head);
      channel.writeInbound(tail);

      assertThat(drainPayloads(channel)).as("split at %d", split)
          .containsExactly("{\"a\":\"x\"}", "{\"b\":2}");
      assertThat(head.refCnt()).isZero();
      assertThat(tail.refCnt()).isZero();
    }
  }

  @Test
  void frameOfExactlyMaxBytesIsAccepted() {
    String payload = "\"" + "x".repeat(MAX - 2) + "\"";

    channel.writeInbound(buf(frame(payload)));

    assertThat(drainPayloads(channel)).containsExactly(payload);
  }

  @Test
  void frameOfOneByteIsAccepted() {
    channel.writeInbound(buf(frame("7")));

    assertThat(drainPayloads(channel)).containsExactly("7");
  }

  @Test
  void incompleteFrameIsNotEmittedAndIsReleasedWhenTheChannelCloses() {
    ByteBuf partial = buf(Arrays.copyOf(frame("{\"id\":1}"), 7));

    assertThat(channel.writeInbound(partial)).isFalse();
    assertThat(channel.finish()).as("nothing emitted on close").isFalse();

    assertThat(partial.refCnt()).isZero();
  }
}
