package io.keelrpc.core.fault;

import static io.keelrpc.core.fault.FaultFrames.answerPayload;
import static io.keelrpc.core.fault.FaultFrames.inboundIds;
import static io.keelrpc.core.fault.FaultFrames.outboundAttempts;
import static io.keelrpc.core.fault.FaultFrames.outboundIds;
import static io.keelrpc.core.fault.FaultFrames.requestFrame;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.fault.FaultInjector.Side;
import io.keelrpc.core.fault.internal.FaultInjectionHandler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fault handler on a client: requests it writes are dropped, delayed, duplicated or followed
 * by a disconnect; answers it reads are dropped.
 */
class FaultInjectionHandlerClientSideTest {
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  private EmbeddedChannel channel(FaultInjector faults) {
    EmbeddedChannel ch = new EmbeddedChannel(faults.newHandler(Side.CLIENT));
    ch.freezeTime();
    channels.add(ch);
    return ch;
  }

  private static FaultInjector putOnly(FaultRule rule) {
    return FaultInjector.builder().seed(42).forMethod("kv.put", rule).build();
  }

  @AfterEach
  void releaseEverything() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void droppedRequestIsNotSentButItsWriteSucceeds() {
    FaultInjector faults = putOnly(FaultRule.builder().dropRequest(1).build());
    EmbeddedChannel ch = channel(faults);
    ByteBuf request = requestFrame("c-1", "kv.put", 1);

    ChannelFuture written = ch.writeAndFlush(request);

    assertThat(outboundIds(ch)).isEmpty();
    assertThat(request.refCnt()).isZero();
    assertThat(written.isSuccess()).as("lost on the network, not refused").isTrue();
    assertThat(faults.stats()).isEqualTo(new FaultStats(1, 0, 0, 0, 0));
  }

  @Test
  void requestsOfOtherMethodsAreSentUntouched() {
    FaultInjector faults = putOnly(FaultRule.builder().dropRequest(1).build());
    EmbeddedChannel ch = channel(faults);

    ch.writeOutbound(requestFrame("c-1", "kv.get", 1));

    assertThat(outboundIds(ch)).containsExactly("c-1");
    assertThat(faults.stats()).isEqualTo(FaultStats.ZERO);
  }

  @Test
  void duplicatedRequestIsSentTwice() {
    FaultInjector faults = putOnly(FaultRule.builder().duplicateRequest(1).build());
    EmbeddedChannel ch = channel(faults);

    ChannelFuture written = ch.writeAndFlush(requestFrame("c-1", "kv.put", 1));

    assertThat(outboundIds(ch)).containsExactly("c-1", "c-1");
    assertThat(written.isSuccess()).isTrue();
    assertThat(faults.stats().duplicated()).isEqualTo(1);
  }

  @Test
  void disconnectClosesTheConnectionRightAfterSending() {
    FaultInjector faults = putOnly(FaultRule.builder().disconnect(1).build());
    EmbeddedChannel ch = channel(faults);

    ChannelFuture written = ch.writeAndFlush(requestFrame("c-1", "kv.put", 1));

    assertThat(outboundIds(ch)).containsExactly("c-1");
    assertThat(written.isSuccess()).isTrue();
    assertThat(ch.isOpen()).isFalse();
    assertThat(faults.stats().disconnects()).isEqualTo(1);
  }

  @Test
  void delayedRequestIsSentWhenItsDelayHasPassed() {
    FaultInjector faults = putOnly(FaultRule.builder()
        .delay(1, Delay.fixed(Duration.ofMillis(20))).duplicateRequest(1).build());
    EmbeddedChannel ch = channel(faults);

    ChannelFuture written = ch.writeAndFlush(requestFrame("c-1", "kv.put", 1));
    ch.writeAndFlush(requestFrame("c-2", "kv.get", 1));
    assertThat(outboundIds(ch)).containsExactly("c-2");
    assertThat(written.isDone()).isFalse();
    ch.advanceTimeBy(20, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();

    assertThat(outboundIds(ch)).as("delayed, then duplicated").containsExactly("c-1", "c-1");
    assertThat(written.isSuccess()).isTrue();
    assertThat(faults.stats()).isEqualTo(new FaultStats(0, 0, 1, 1, 0));
  }

  @Test
  void requestHeldWhenTheConnectionClosesIsReleasedAndItsWriteFails() {
    FaultInjector faults = putOnly(FaultRule.builder()
        .delay(1, Delay.fixed(Duration.ofSeconds(1))).build());
    EmbeddedChannel ch = channel(faults);
    ByteBuf request = requestFrame("c-1", "kv.put", 1);
    ChannelFuture written = ch.writeAndFlush(request);

    ch.close();

    assertThat(request.refCnt()).isZero();
    assertThat(written.cause()).isInstanceOf(ClosedChannelException.class);
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(outboundIds(ch)).isEmpty();
  }

  @Test
  void answerIsDroppedOnArrival() {
    FaultInjector faults = putOnly(FaultRule.builder().dropResponse(1).build());
    EmbeddedChannel ch = channel(faults);
    ch.writeOutbound(requestFrame("c-1", "kv.put", 1));
    outboundIds(ch);
    ByteBuf answer = answerPayload("c-1");

    ch.writeInbound(answer, answerPayload("unknown"));

    assertThat(inboundIds(ch)).containsExactly("unknown");
    assertThat(answer.refCnt()).isZero();
    assertThat(faults.stats()).isEqualTo(new FaultStats(0, 1, 0, 0, 0));
  }

  @Test
  void eachAttemptOfACallDrawsAfresh() {
    FaultInjector faults = putOnly(FaultRule.builder().dropRequest(0.5).build());
    EmbeddedChannel ch = channel(faults);
    List<Integer> expected = IntStream.rangeClosed(1, 40)
        .filter(n -> !faults.plan(Side.CLIENT, "kv.put", "c-1", n).dropRequest())
        .boxed().toList();

    IntStream.rangeClosed(1, 40).forEach(n -> ch.writeOutbound(requestFrame("c-1", "kv.put", n)));

    assertThat(outboundAttempts(ch)).containsExactlyElementsOf(expected);
    assertThat(expected).hasSizeBetween(10, 30);
  }

  @Test
  void theOldestTrackedCallsAreForgottenBeyondTheBound() {
    FaultInjector faults = putOnly(FaultRule.builder().dropResponse(1).build());
    EmbeddedChannel ch = channel(faults);
    int n = FaultInjectionHandler.MAX_TRACKED_IDS + 1;
    for (int i = 0; i < n; i++) {
      ch.writeOutbound(requestFrame("c-" + i, "kv.put", 1));
      ch.<ByteBuf>readOutbound().release();
    }

    ch.writeInbound(answerPayload("c-0"), answerPayload("c-1"), answerPayload("c-" + (n - 1)));

    assertThat(inboundIds(ch)).as("c-0 was forgotten").containsExactly("c-0");
    assertThat(faults.stats().responsesDropped()).isEqualTo(2);
  }
}
