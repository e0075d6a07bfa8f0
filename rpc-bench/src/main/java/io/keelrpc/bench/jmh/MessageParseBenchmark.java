package io.keelrpc.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.keelrpc.core.wire.MalformedMessageException;
import io.keelrpc.core.wire.MessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Message (JSON) level: parsing a request and a response frame payload, and writing a response,
 * for a 64 B and a 4 KiB params/result payload.
 *
 * <ul>
 *   <li>{@code readRequest}: {@link MessageCodec#readRequest} of {@code {"jsonrpc","id","method",
 *       "params",meta:{timeoutMs,attempt}}}.
 *   <li>{@code readResponse}: {@link MessageCodec#readResponse} of {@code {"jsonrpc","id",
 *       "result"}} (the client's side).
 *   <li>{@code writeResult}: {@link MessageCodec#writeResult} of a result object (a record,
 *       serialised by Jackson while writing the frame).
 *   <li>{@code writeRaw}: {@link MessageCodec#writeRaw} of already-serialised result bytes (an
 *       idempotency-cache hit).
 *   <li>{@code serializeThenWriteRaw}: {@code mapper().writeValueAsBytes(result)} then
 *       {@code writeRaw}: what the server does per executed call today (the bytes are kept for the
 *       idempotency cache).
 * </ul>
 *
 * <p>{@code buffer} selects the frame buffer the reads get: {@code direct} (a slice of a pooled
 * direct buffer, what the server's decoder hands on) or {@code heap} (an array-backed buffer,
 * which the codec reads through its array fast path). Written frames go to the pooled allocator
 * and are released.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class MessageParseBenchmark {
  /** Size of the params (request) and result (response) JSON in bytes. */
  @Param({"64", "4096"})
  public int payloadBytes;

  /** {@code direct} or {@code heap}: the kind of buffer the parsed frame is in. */
  @Param({"direct"})
  public String buffer;

  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private final MessageCodec codec = new MessageCodec();
  private final JsonNode id = TextNode.valueOf(Payloads.ID);
  private ByteBuf requestFrame;
  private ByteBuf responseFrame;
  private Payloads.Params result;
  private byte[] resultJson;

  @Setup(Level.Trial)
  public void setUp() throws MalformedMessageException {
    result = Payloads.params(payloadBytes);
    resultJson = Payloads.json(result);
    requestFrame = frame(Payloads.requestJson(resultJson));
    responseFrame = frame(Payloads.responseJson(resultJson));
    if (!codec.readRequest(requestFrame).method().equals(Payloads.METHOD)
        || codec.readResponse(responseFrame).result() == null) {
      throw new IllegalStateException("test frames do not parse as expected");
    }
  }

  private ByteBuf frame(byte[] body) {
    switch (buffer) {
      case "direct": {
        // Like the decoder's output: a slice of a larger pooled direct buffer, after the prefix.
        ByteBuf whole = alloc.directBuffer(4 + body.length);
        whole.writeInt(body.length).writeBytes(body);
        return whole.slice(4, body.length);
      }
      case "heap":
        return Unpooled.wrappedBuffer(body);
      default:
        throw new IllegalArgumentException("buffer: " + buffer + " (expected: direct or heap)");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    requestFrame.release();
    responseFrame.release();
  }

  @Benchmark
  public Object readRequest() throws MalformedMessageException {
    return codec.readRequest(requestFrame.readerIndex(0));
  }

  @Benchmark
  public Object readResponse() throws MalformedMessageException {
    return codec.readResponse(responseFrame.readerIndex(0));
  }

  @Benchmark
  public void writeResult(Blackhole bh) {
    ByteBuf buf = codec.writeResult(alloc, id, true, result);
    bh.consume(buf);
    buf.release();
  }

  @Benchmark
  public void writeRaw(Blackhole bh) {
    ByteBuf buf = codec.writeRaw(alloc, id, true, false, resultJson);
    bh.consume(buf);
    buf.release();
  }

  @Benchmark
  public void serializeThenWriteRaw(Blackhole bh) {
    byte[] json = codec.writeValueAsBytes(result);
    ByteBuf buf = codec.writeRaw(alloc, id, true, false, json);
    bh.consume(buf);
    buf.release();
  }
}
