package io.keelrpc.client.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.BidiStream;
import io.keelrpc.client.ClientStream;
import io.keelrpc.client.KeelClient;
import io.keelrpc.client.KeelStream;
import io.keelrpc.client.StreamErrorKind;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.InvalidRequestException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.MethodNotFoundException;
import io.keelrpc.core.ResponseDecodingException;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.wire.KeelJson;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** How streams fail, and that each failure is typed as TIMEOUT, TRANSPORT or APPLICATION. */
class KeelStreamErrorTest extends StreamTestSupport {
  /** The server's words are strings; a client that expects numbers cannot read them. */
  static final MethodDescriptor<Count, String> WORDS =
      MethodDescriptor.of("words", Count.class, String.class);
  static final MethodDescriptor<Count, Long> WORDS_AS_NUMBERS =
      MethodDescriptor.of("words", Count.class, Long.class);
  /** A client stream whose result is a string. */
  static final MethodDescriptor<Long, String> JOIN =
      MethodDescriptor.of("join", Long.class, String.class);
  static final MethodDescriptor<Long, Long> JOIN_AS_NUMBER =
      MethodDescriptor.of("join", Long.class, Long.class);

  private final AtomicBoolean serverCancelled = new AtomicBoolean();

  @Test
  void anErrorAnswerEndsTheStreamAfterTheItemsSentBeforeIt() {
    KeelServer server = start(serverBuilder().handleServerStream(TICKS, (p, out, ctx) -> {
      for (long i = 0; i < 3; i++) {
        out.send(i);
      }
      throw new ApplicationException(1001, "feed gone",
          KeelJson.mapper().createObjectNode().put("after", 3));
    }));
    KeelStream<Long> items = client(server).serverStream(TICKS, new Count(0));

    assertThat(items.next()).isZero();
    assertThat(items.next()).isEqualTo(1);
    assertThat(items.next()).isEqualTo(2);
    assertThatThrownBy(items::next)
        .isInstanceOfSatisfying(ApplicationException.class, e -> {
          assertThat(e.code()).isEqualTo(1001);
          assertThat(e.getMessage()).isEqualTo("feed gone");
          assertThat(e.data().path("after").asInt()).isEqualTo(3);
          assertThat(StreamErrorKind.of(e)).isEqualTo(StreamErrorKind.APPLICATION);
        });
    assertThat(items.isDone()).isTrue();
  }

  @Test
  void aClientStreamsErrorAnswerIsThrownByComplete() {
    KeelServer server = start(serverBuilder().handleClientStream(SUM, (in, ctx) -> {
      in.next();
      throw new ApplicationException(2002, "refused", null);
    }));
    ClientStream<Long, Long> upload = client(server).clientStream(SUM);
    upload.send(1L);

    assertThatThrownBy(upload::complete)
        .isInstanceOfSatisfying(ApplicationException.class,
            e -> assertThat(e.code()).isEqualTo(2002));
  }

  @Test
  void anUnknownMethodFailsTheFirstRead() {
    KeelServer server = start(serverBuilder());
    KeelStream<Long> items = client(server).serverStream(TICKS, new Count(1));

    assertThatThrownBy(items::next)
        .isInstanceOf(MethodNotFoundException.class)
        .satisfies(e -> assertThat(StreamErrorKind.of(e)).isEqualTo(StreamErrorKind.APPLICATION));
  }

  @Test
  void openingAStreamOfAnotherKindIsAnInvalidRequest() {
    KeelServer server = start(serverBuilder().handleServerStream(WORDS, (p, out, ctx) -> { }));
    BidiStream<Count, String> wrong = client(server).bidiStream(WORDS);

    assertThatThrownBy(wrong::next)
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("is a server stream, not a bidi stream");
  }

  @Test
  void aLostConnectionFailsTheStreamWithTransportAfterTheItemsThatCame() {
    KeelServer server = start(serverBuilder().handleServerStream(TICKS, (p, out, ctx) -> {
      out.send(0L);
      out.send(1L);
      CountDownLatch closed = new CountDownLatch(1);
      ctx.onCancel(closed::countDown); // a closed connection cancels its streams
      awaitLatch(closed);
    }));
    KeelStream<Long> items = client(server).serverStream(TICKS, new Count(0));
    assertThat(items.next()).isZero();
    // both items have reached the client before the connection goes: an immediate shutdown
    // drops what the server has not yet flushed
    await().atMost(Duration.ofSeconds(10)).until(() -> items.stats().received() >= 2);

    server.shutdown(Duration.ZERO); // closes every connection

    assertThat(items.next()).isEqualTo(1);
    assertThatThrownBy(items::next)
        .isInstanceOfSatisfying(TransportException.class, e -> {
          assertThat(e.requestSent()).isTrue();
          assertThat(StreamErrorKind.of(e)).isEqualTo(StreamErrorKind.TRANSPORT);
        });
  }

  @Test
  void noServerFailsTheStreamWithTransportBeforeAnythingWasSent() {
    KeelServer gone = serverBuilder().start();
    KeelClient client = client(gone); // the port of a server that no longer listens
    gone.close();

    KeelStream<Long> items = client.serverStream(TICKS, new Count(1));

    assertThatThrownBy(items::next)
        .isInstanceOfSatisfying(TransportException.class,
            e -> assertThat(e.requestSent()).isFalse());
  }

  @Test
  void anItemThatDoesNotBindFailsTheStreamAndCancelsItOnTheServer() {
    KeelServer server = start(serverBuilder().handleServerStream(WORDS, (p, out, ctx) -> {
      try {
        while (true) {
          out.send("not a number");
        }
      } finally {
        serverCancelled.set(ctx.isCancelled());
      }
    }));
    KeelStream<Long> items = client(server).serverStream(WORDS_AS_NUMBERS, new Count(0));

    assertThatThrownBy(items::next)
        .isInstanceOf(ResponseDecodingException.class)
        .hasMessageContaining("does not bind to Long")
        .satisfies(e -> assertThat(StreamErrorKind.of(e)).isEqualTo(StreamErrorKind.APPLICATION));
    await().atMost(Duration.ofSeconds(10)).untilTrue(serverCancelled);
  }

  @Test
  void aResultThatDoesNotBindFailsTheClientStream() {
    KeelServer server = start(serverBuilder().handleClientStream(JOIN, (in, ctx) -> "joined"));
    ClientStream<Long, Long> upload = client(server).clientStream(JOIN_AS_NUMBER);

    assertThatThrownBy(upload::complete)
        .isInstanceOf(ResponseDecodingException.class)
        .hasMessageContaining("the result of stream \"join\"");
  }
}
