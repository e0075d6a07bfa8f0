package io.keelrpc.bench.jmh;

import io.keelrpc.core.wire.KeelFrameDecoder;
import io.keelrpc.core.wire.MessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
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
 * Framing: splitting one {@code keel/1} frame off a pooled direct buffer, and writing one request
 * frame (length prefix + JSON) into a pooled buffer, for a 64 B and a 4 KiB params payload.
 *
 * <ul>
 *   <li>{@code decode}: {@link KeelFrameDecoder}'s {@code decode(ctx, in, out)} called directly
 *       (through a method handle; the decoder ignores {@code ctx}, so none is needed): the cost
 *       of the decoder itself, without Netty's pipeline or cumulation.
 *   <li>{@code decodeViaEmbeddedChannel}: the same frame through an {@link EmbeddedChannel}
 *       (pipeline, {@code ByteToMessageDecoder} cumulation, the channel's inbound queue): an upper
 *       bound that also shows what the pipeline adds.
 *   <li>{@code encodeRequest}: {@link MessageCodec#writeRequest} with meta (timeout, attempt), the
 *       buffer released afterwards. (Response writing is in {@link MessageParseBenchmark}.)
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class FrameCodecBenchmark {
  /** {@code KeelFrameDecoder.decode(ChannelHandlerContext, ByteBuf, List)}, made accessible. */
  private static final MethodHandle DECODE = decodeHandle();

  /** Size of the params JSON in bytes. */
  @Param({"64", "4096"})
  public int payloadBytes;

  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private final MessageCodec codec = new MessageCodec();
  private final List<Object> out = new ArrayList<>(4);
  private KeelFrameDecoder decoder;
  private EmbeddedChannel channel;
  private ByteBuf frame;
  private byte[] paramsJson;

  @Setup(Level.Trial)
  public void setUp() {
    paramsJson = Payloads.json(Payloads.params(payloadBytes));
    byte[] body = Payloads.requestJson(paramsJson);
    frame = alloc.directBuffer(KeelFrameDecoder.LENGTH_BYTES + body.length);
    frame.writeInt(body.length).writeBytes(body);
    decoder = new KeelFrameDecoder(KeelFrameDecoder.DEFAULT_MAX_FRAME_BYTES);
    channel = new EmbeddedChannel(new KeelFrameDecoder(KeelFrameDecoder.DEFAULT_MAX_FRAME_BYTES));
    // Check each path once: exactly one frame of the body's length comes out.
    if (DECODE != null) {
      check((ByteBuf) decodeOnce(), body.length);
    }
    check(decodeEmbeddedOnce(), body.length);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    channel.finishAndReleaseAll();
    frame.release();
  }

  @Benchmark
  public void decode(Blackhole bh) {
    ByteBuf payload = (ByteBuf) decodeOnce();
    bh.consume(payload);
    payload.release();
  }

  @Benchmark
  public void decodeViaEmbeddedChannel(Blackhole bh) {
    ByteBuf payload = decodeEmbeddedOnce();
    bh.consume(payload);
    payload.release();
  }

  @Benchmark
  public void encodeRequest(Blackhole bh) {
    ByteBuf buf = codec.writeRequest(alloc, Payloads.ID, Payloads.METHOD, paramsJson, 1000, 1, null);
    bh.consume(buf);
    buf.release();
  }

  private static void check(ByteBuf payload, int expected) {
    int got = payload.readableBytes();
    payload.release();
    if (got != expected) {
      throw new IllegalStateException("decoder produced " + got + " bytes, expected " + expected);
    }
  }

  private Object decodeOnce() {
    if (DECODE == null) {
      throw new UnsupportedOperationException(
          "KeelFrameDecoder has no decode(ctx, in, out) any more; use decodeViaEmbeddedChannel");
    }
    frame.readerIndex(0);
    out.clear();
    try {
      DECODE.invokeExact(decoder, (ChannelHandlerContext) null, frame, out);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    return out.get(0);
  }

  private ByteBuf decodeEmbeddedOnce() {
    channel.writeInbound(frame.retainedDuplicate().readerIndex(0));
    return channel.readInbound();
  }

  private static MethodHandle decodeHandle() {
    try {
      Method m = KeelFrameDecoder.class.getDeclaredMethod(
          "decode", ChannelHandlerContext.class, ByteBuf.class, List.class);
      m.setAccessible(true);
      return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(
          void.class, KeelFrameDecoder.class, ChannelHandlerContext.class, ByteBuf.class,
          List.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // decode() then fails with a message; the EmbeddedChannel variant still runs
    }
  }
}
