package io.keelrpc.core.fault;

import static io.keelrpc.core.fault.FaultFrames.answerFrame;
import static io.keelrpc.core.fault.FaultFrames.inboundIds;
import static io.keelrpc.core.fault.FaultFrames.notificationPayload;
import static io.keelrpc.core.fault.FaultFrames.outboundIds;
import static io.keelrpc.core.fault.FaultFrames.requestPayload;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.fault.FaultInjector.Side;
import io.keelrpc.core.wire.KeelFrameDecoder.BadFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fault handler on a server, between the frame decoder and the endpoint: requests it reads
 * are dropped, duplicated or followed by a disconnect; answers written back are dropped or
 * delayed.
 */
class FaultInjectionHandlerServerSideTest {
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  private EmbeddedChannel channel(FaultInjector faults) {
    EmbeddedChannel ch = new EmbeddedChannel(faults.newHandler(Side.SERVER));
    ch.freezeTime();
    channels.add(ch);
    return ch;
  }

  private static FaultInjector incOnly(FaultRule rule) {
    return FaultInjector.builder().seed(42).forMethod("inc", rule).build();
  }

  @AfterEach
  void releaseEverything() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void droppedRequestNeverReachesTheEndpointAndIsReleased() {
    FaultInjector faults = incOnly(FaultRule.builder().dropRequest(1).build());
    EmbeddedChannel ch = channel(faults);
    ByteBuf request = requestPayload("r-1", "inc", 1);

    ch.writeInbound(request);

    assertThat(inboundIds(ch)).isEmpty();
    assertThat(request.refCnt()).isZero();
    assertThat(faults.stats()).isEqualTo(new FaultStats(1, 0, 0, 0, 0));
  }

  @Test
  void requestsOfMethodsWithoutARulePassUntouched() {
    FaultInjector faults = incOnly(FaultRule.builder().dropRequest(1).build());
    EmbeddedChannel ch = channel(faults);

    ch.writeInbound(requestPayload("r-1", "get", 1));

    assertThat(inboundIds(ch)).containsExactly("r-1");
    assertThat(faults.stats()).isEqualTo(FaultStats.ZERO);
  }

  @Test
  void duplicatedRequestReachesTheEndpointTwice() {
    FaultInjector faults = incOnly(FaultRule.builder().duplicateRequest(1).build());
    EmbeddedChannel ch = channel(faults);

    ch.writeInbound(requestPayload("r-1", "inc", 1));

    assertThat(inboundIds(ch)).containsExactly("r-1", "r-1");
    assertThat(faults.stats().duplicated()).isEqualTo(1);
  }

  @Test
  void disconnectDeliversTheRequestThenClosesTheConnection() {
    FaultInjector faults = incOnly(FaultRule.builder().disconnect(1).build());
    EmbeddedChannel ch = channel(faults);

    ch.writeInbound(requestPayload("r-1", "inc", 1));

    assertThat(inboundIds(ch)).containsExactly("r-1");
    assertThat(ch.isOpen()).isFalse();
    assertThat(faults.stats().disconnects()).isEqualTo(1);
  }

  @Test
  void answerIsDroppedAfterTheRequestWasDelivered() {
    FaultInjector faults = incOnly(FaultRule.builder().dropResponse(1).build());
    EmbeddedChannel ch = channel(faults);
    ch.writeInbound(requestPayload("r-1", "inc", 1));
    assertThat(inboundIds(ch)).containsExactly("r-1");
    ByteBuf answer = answerFrame("r-1");

    ChannelFuture written = ch.writeAndFlush(answer);

    assertThat(outboundIds(ch)).isEmpty();
    assertThat(answer.refCnt()).isZero();
    assertThat(written.isSuccess()).as("a lost answer looks sent").isTrue();
    assertThat(faults.stats()).isEqualTo(new FaultStats(0, 1, 0, 0, 0));
  }

  @Test
  void answersToRequestsItNeverSawPassUntouched() {
    FaultInjector faults = incOnly(FaultRule.builder().dropResponse(1).build());
    EmbeddedChannel ch = channel(faults);
    ch.writeInbound(requestPayload("r-1", "inc", 1));
    inboundIds(ch);

    ch.writeOutbound(answerFrame("other"), answerFrame("r-1"), answerFrame("r-1"));

    assertThat(outboundIds(ch)).as("one answer per request is judged").containsExactly(
        "other", "r-1");
    assertThat(faults.stats().responsesDropped()).isEqualTo(1);
  }

  @Test
  void bothAnswersOfADuplicatedRequestAreJudged() {
    FaultInjector faults = incOnly(FaultRule.builder().duplicateRequest(1).dropResponse(1)
        .build());
    EmbeddedChannel ch = channel(faults);
    ch.writeInbound(requestPayload("r-1", "inc", 1));
    assertThat(inboundIds(ch)).hasSize(2);

    ch.writeOutbound(answerFrame("r-1"), answerFrame("r-1"));

    assertThat(outboundIds(ch)).isEmpty();
    assertThat(faults.stats().responsesDropped()).isEqualTo(2);
  }

  @Test
  void delayedAnswerIsWrittenWhenItsDelayHasPassed() {
    FaultInjector faults = incOnly(FaultRule.builder()
        .delay(1, Delay.fixed(Duration.ofMillis(30))).build());
    EmbeddedChannel ch = channel(faults);
    ch.writeInbound(requestPayload("r-1", "inc", 1), requestPayload("r-2", "get", 1));
    inboundIds(ch);

    ChannelFuture written = ch.writeAndFlush(answerFrame("r-1"));
    ch.writeAndFlush(answerFrame("r-2"));
    assertThat(outboundIds(ch)).as("the undelayed answer overtakes").containsExactly("r-2");
    ch.advanceTimeBy(29, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(outboundIds(ch)).isEmpty();
    assertThat(written.isDone()).isFalse();
    ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();

    assertThat(outboundIds(ch)).containsExactly("r-1");
    assertThat(written.isSuccess()).isTrue();
    assertThat(faults.stats().delayed()).isEqualTo(1);
  }

  @Test
  void answerHeldWhenTheConnectionClosesIsReleasedAndItsWriteFails() {
    FaultInjector faults = incOnly(FaultRule.builder()
        .delay(1, Delay.fixed(Duration.ofSeconds(5))).build());
    EmbeddedChannel ch = channel(faults);
    ch.writeInbound(requestPayload("r-1", "inc", 1));
    inboundIds(ch);
    ByteBuf answer = answerFrame("r-1");
    ChannelFuture written = ch.writeAndFlush(answer);

    ch.close();

    assertThat(answer.refCnt()).isZero();
    assertThat(written.cause()).isInstanceOf(ClosedChannelException.class);
    ch.advanceTimeBy(5, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(outboundIds(ch)).isEmpty();
  }

  @Test
  void rateZeroPassesEveryMessage() {
    FaultInjector faults = FaultInjector.builder().forAllMethods(FaultRule.builder()
        .dropRequest(0).dropResponse(0).duplicateRequest(0).disconnect(0).build()).build();
    EmbeddedChannel ch = channel(faults);

    ch.writeInbound(requestPayload("r-1", "inc", 1));
    ch.writeOutbound(answerFrame("r-1"));

    assertThat(inboundIds(ch)).containsExactly("r-1");
    assertThat(outboundIds(ch)).containsExactly("r-1");
    assertThat(ch.isOpen()).isTrue();
    assertThat(faults.stats()).isEqualTo(FaultStats.ZERO);
  }

  @Test
  void notificationsUnreadableFramesAndBadFramesPassUntouched() {
    FaultInjector faults = FaultInjector.builder()
        .forAllMethods(FaultRule.builder().dropRequest(1).build()).build();
    EmbeddedChannel ch = channel(faults);
    BadFrame bad = new BadFrame(0, 16);

    ch.writeInbound(notificationPayload("inc"),
        Unpooled.copiedBuffer("{not json", UTF_8),
        Unpooled.copiedBuffer("{\"id\":\"x\",\"params\":{}}", UTF_8),
        bad);

    List<Object> passed = new ArrayList<>();
    for (Object m; (m = ch.readInbound()) != null; ) {
      passed.add(m instanceof ByteBuf b ? readAndRelease(b) : m);
    }
    assertThat(passed).containsExactly(
        "{\"jsonrpc\":\"2.0\",\"method\":\"inc\",\"params\":{}}", "{not json",
        "{\"id\":\"x\",\"params\":{}}", bad);
    assertThat(faults.stats()).isEqualTo(FaultStats.ZERO);
  }

  @Test
  void droppedRequestsAreThoseThePlanNamesWhateverTheOrderOfArrival() {
    FaultInjector faults = FaultInjector.builder().seed(5)
        .forAllMethods(FaultRule.builder().dropRequest(0.5).build()).build();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add("c-" + i);
    }
    List<String> expected = ids.stream()
        .filter(id -> !faults.plan(Side.SERVER, "inc", id, 1).dropRequest()).toList();
    List<String> reversed = new ArrayList<>(ids);
    Collections.reverse(reversed);

    EmbeddedChannel forward = channel(faults);
    ids.forEach(id -> forward.writeInbound(requestPayload(id, "inc", 1)));
    EmbeddedChannel backward = channel(faults);
    reversed.forEach(id -> backward.writeInbound(requestPayload(id, "inc", 1)));

    assertThat(inboundIds(forward)).containsExactlyElementsOf(expected);
    assertThat(inboundIds(backward)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(expected).hasSizeBetween(70, 130);
    assertThat(faults.stats().requestsDropped()).isEqualTo(2L * (200 - expected.size()));
  }

  private static String readAndRelease(ByteBuf b) {
    try {
      return b.toString(UTF_8);
    } finally {
      b.release();
    }
  }
}
