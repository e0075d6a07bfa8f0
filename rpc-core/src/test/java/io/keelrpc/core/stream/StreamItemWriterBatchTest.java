package io.keelrpc.core.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.keelrpc.core.wire.FrameWriteQueue;
import io.keelrpc.core.wire.KeelFrameDecoder;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.StreamItemWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How queued items become frames: those added while a write is pending share a frame, in order,
 * within the batch size, and the end follows the last item with their count.
 */
class StreamItemWriterBatchTest {
  private final MessageCodec codec = new MessageCodec();
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final FrameWriteQueue queue =
      new FrameWriteQueue(channel, channel.eventLoop(), channel.alloc());
  private final StreamItemWriter writer =
      new StreamItemWriter(codec, TextNode.valueOf("s-1"), true, queue);

  /** The payloads written so far, in order; runs the channel's pending tasks first. */
  private List<String> written() {
    channel.runPendingTasks();
    List<String> out = new ArrayList<>();
    ByteBuf f;
    while ((f = channel.readOutbound()) != null) {
      try {
        out.add(f.toString(KeelFrameDecoder.LENGTH_BYTES,
            f.readableBytes() - KeelFrameDecoder.LENGTH_BYTES, UTF_8));
      } finally {
        f.release();
      }
    }
    return out;
  }

  @Test
  void itemsQueuedBeforeTheWriteShareOneFrameAndLaterOnesTheNext() {
    writer.add("1".getBytes(UTF_8));
    writer.add("2".getBytes(UTF_8));
    writer.add("3".getBytes(UTF_8));
    List<String> first = written();
    writer.add("4".getBytes(UTF_8));
    writer.end();

    assertThat(first).containsExactly("{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/item\","
        + "\"params\":{\"id\":\"s-1\",\"seq\":0,\"items\":[1,2,3]}}");
    assertThat(written()).containsExactly(
        "{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/item\",\"params\":{\"id\":\"s-1\",\"seq\":3,"
            + "\"item\":4}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/end\",\"params\":{\"id\":\"s-1\",\"count\":4}}");
  }

  @Test
  void aBatchStopsAtTheBatchSizeAndABigItemGoesAlone() {
    byte[] big = new byte[StreamItemWriter.MAX_BATCH_BYTES];
    Arrays.fill(big, (byte) '1');
    byte[] half = new byte[StreamItemWriter.MAX_BATCH_BYTES / 2];
    Arrays.fill(half, (byte) '2');

    writer.add(half);
    writer.add(half);
    writer.add("3".getBytes(UTF_8));
    writer.add(big);

    List<String> frames = written();
    assertThat(frames).hasSize(3);
    assertThat(frames.get(0)).contains("\"seq\":0,\"items\":[2"); // two halves fill a batch
    assertThat(frames.get(1)).endsWith("\"seq\":2,\"item\":3}}"); // the big one cannot join
    assertThat(frames.get(2)).contains("\"seq\":3,\"item\":1");
  }

  @Test
  void framesQueuedBetweenItemsKeepTheirPlaceInTheOrder() {
    writer.add("1".getBytes(UTF_8));
    queue.write(channel.alloc().buffer().writeInt(2).writeBytes("{}".getBytes(UTF_8)));
    writer.add("2".getBytes(UTF_8)); // joins the writer's batch, which is already queued

    assertThat(written()).containsExactly(
        "{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/item\",\"params\":{\"id\":\"s-1\",\"seq\":0,"
            + "\"items\":[1,2]}}",
        "{}");
  }
}
