package io.keelrpc.bench.echo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What Keel costs over doing nothing: the same wire as {@code keel/1} (4-byte length + a UTF-8
 * JSON-RPC 2.0 object, string ids) and the same JSON library, none of Keel's machinery (no
 * deadlines, retries, idempotency cache, admission control, typed binding or listeners).
 *
 * <p>Server: each frame is parsed into a Jackson tree and answered
 * {@code {"jsonrpc":"2.0","id":<id>,"result":<params>}}. Writes as in {@link RawNettyEcho}: one
 * flush per socket read unless {@code flushEach}. Client: requests
 * {@code {"jsonrpc":"2.0","id":"<prefix-n>","method":"echo","params":{"payload":"..."}}} written
 * with a Jackson generator straight into the frame buffer, answers parsed into a tree and matched
 * to calls by id in a {@link ConcurrentHashMap}.
 */
public final class BareJsonRpcEcho {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory JSON = MAPPER.getFactory();

  private BareJsonRpcEcho() {}

  /** Starts a bare JSON-RPC echo server on {@code 127.0.0.1:port} (0 for any free port). */
  public static EchoServer startServer(int port, boolean flushEach) {
    ServerHandler handler = new ServerHandler(flushEach);
    return NettySupport.bind("bare-bench", port, new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(
            new LengthFieldBasedFrameDecoder(RawNettyEcho.MAX_FRAME_BYTES + 4, 0, 4, 0, 4),
            handler);
      }
    });
  }

  /** Writes {@code value} as one frame: a 4-byte length, then its JSON. */
  private static ByteBuf frame(ByteBuf buf, JsonNode value) throws IOException {
    buf.writeInt(0);
    try (OutputStream out = new ByteBufOutputStream(buf)) {
      MAPPER.writeValue(out, value);
    }
    return buf.setInt(0, buf.readableBytes() - 4);
  }

  @Sharable
  private static final class ServerHandler extends ChannelInboundHandlerAdapter {
    private final boolean flushEach;

    ServerHandler(boolean flushEach) {
      this.flushEach = flushEach;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
      JsonNode request;
      ByteBuf in = (ByteBuf) msg;
      try (InputStream stream = new ByteBufInputStream(in)) {
        request = MAPPER.readTree(stream);
      } finally {
        in.release();
      }
      JsonNode id = request.get("id");
      if (id == null) {
        return; // a notification: never answered
      }
      ObjectNode response = MAPPER.createObjectNode();
      response.put("jsonrpc", "2.0");
      response.set("id", id);
      response.set("result", request.get("params"));
      ByteBuf out = ctx.alloc().buffer();
      try {
        frame(out, response);
      } catch (IOException | RuntimeException e) {
        out.release();
        throw e;
      }
      if (flushEach) {
        ctx.writeAndFlush(out, ctx.voidPromise());
      } else {
        ctx.write(out, ctx.voidPromise());
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // not JSON, or the connection failed: a bare server just hangs up
    }
  }

  /** A client of one connection to {@code host:port}. */
  public static EchoClient connect(String host, int port) {
    Client client = new Client();
    Channel ch = NettySupport.connect("bare-bench-client", host, port,
        new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            c.pipeline().addLast(NettySupport.clientFlushConsolidation(),
                new LengthFieldBasedFrameDecoder(RawNettyEcho.MAX_FRAME_BYTES + 4, 0, 4, 0, 4),
                client);
          }
        });
    client.channel = ch;
    return client;
  }

  private static final class Client extends ChannelInboundHandlerAdapter implements EchoClient {
    private record Pending(String expected, Listener listener) {}

    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final String idPrefix =
        Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + "-";
    private final AtomicLong nextId = new AtomicLong();
    private volatile boolean closed;
    private volatile Channel channel;

    @Override
    public void call(Payload payload, Listener listener) {
      Channel ch = channel;
      String id = idPrefix + nextId.incrementAndGet();
      pending.put(id, new Pending(payload.text(), listener));
      if (closed) {
        fail(id, new ClosedChannelException());
        return;
      }
      ByteBuf buf = ch.alloc().buffer(payload.size() + 96);
      try {
        buf.writeInt(0);
        try (JsonGenerator g = JSON.createGenerator((OutputStream) new ByteBufOutputStream(buf))) {
          g.writeStartObject();
          g.writeStringField("jsonrpc", "2.0");
          g.writeStringField("id", id);
          g.writeStringField("method", "echo");
          g.writeObjectFieldStart("params");
          g.writeStringField("payload", payload.text());
          g.writeEndObject();
          g.writeEndObject();
        }
        buf.setInt(0, buf.readableBytes() - 4);
      } catch (IOException | RuntimeException e) {
        buf.release();
        fail(id, e);
        return;
      }
      ch.writeAndFlush(buf).addListener(f -> {
        if (!f.isSuccess()) {
          fail(id, f.cause());
        }
      });
    }

    private void fail(String id, Throwable cause) {
      Pending p = pending.remove(id);
      if (p != null) {
        p.listener().done(cause);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
      JsonNode response;
      ByteBuf in = (ByteBuf) msg;
      try (InputStream stream = new ByteBufInputStream(in)) {
        response = MAPPER.readTree(stream);
      } finally {
        in.release();
      }
      JsonNode id = response.get("id");
      Pending p = id == null || !id.isTextual() ? null : pending.remove(id.textValue());
      if (p == null) {
        return; // nobody waits for it
      }
      JsonNode echoed = response.path("result").path("payload");
      p.listener().done(echoed.isTextual() && echoed.textValue().equals(p.expected()) ? null
          : new EchoMismatchException("bare: the answer differs: " + abbreviate(response)));
    }

    private static String abbreviate(JsonNode n) {
      String s = n.toString();
      return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      closed = true;
      IOException gone = new IOException("bare: connection closed before the answer");
      List<String> ids = new ArrayList<>(pending.keySet());
      for (String id : ids) {
        fail(id, gone);
      }
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    @Override
    public void close() {
      NettySupport.closeClient(channel);
    }
  }
}
