package io.keelrpc.client.stream.resume;

import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.fault.FaultPlan;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.core.time.Scheduler;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A server feed of endless items ({@code "item-<seq>"}) behind a lossy network, on virtual time.
 * Each connection sends one item per {@code interval} from the number it was opened at; every
 * message takes {@code latency} to arrive. The network's faults are decided by the library's
 * seeded {@link FaultInjector}, one {@link FaultInjector#plan plan} per transmission (method
 * {@code "feed.item"}, id {@code "<connection>-<seq>"}, attempt = the how-many-th transmission of
 * that item on that connection), so a seed replays the same run:
 *
 * <table>
 *   <caption>How plan decisions map to the feed's faults</caption>
 *   <tr><th>plan</th><th>effect</th></tr>
 *   <tr><td>{@code dropResponse}</td><td>the item is lost</td></tr>
 *   <tr><td>{@code delayed}</td><td>the item arrives {@code delay} late: reordering</td></tr>
 *   <tr><td>{@code duplicateRequest}</td><td>the item arrives twice, the copy one latency
 *       later</td></tr>
 *   <tr><td>{@code disconnect}</td><td>the connection breaks instead of sending the item: what is
 *       in flight is lost and the client hears of it one latency later</td></tr>
 * </table>
 *
 * <p>Opening ({@code "feed.open"}, id the connection number) fails when its plan's
 * {@code dropRequest} says so; a retransmit request ({@code "feed.retransmit"}) is lost when its
 * plan's {@code dropRequest} says so. Closing a connection cancels everything it has scheduled, so
 * a closed feed leaves no task on the clock.
 */
final class LossyFeed implements SequencedSource<String> {
  private final FakeClock clock;
  private final FaultInjector faults;
  private final long intervalNanos;
  private final long latencyNanos;
  private int connections;
  /** What the network did, to check that faults really happened. */
  long lost;
  long delayed;
  long duplicated;
  long disconnects;
  long failedOpens;
  long retransmitRequestsLost;

  LossyFeed(FakeClock clock, FaultInjector faults, Duration interval, Duration latency) {
    this.clock = clock;
    this.faults = faults;
    this.intervalNanos = interval.toNanos();
    this.latencyNanos = latency.toNanos();
  }

  @Override
  public Handle open(long fromSeq, Consumer<Sequenced<String>> onItem,
      Consumer<Throwable> onFailure) {
    Session s = new Session(++connections, fromSeq, onItem, onFailure);
    if (faults.plan(FaultInjector.Side.SERVER, "feed.open", "c" + s.id, 0).dropRequest()) {
      failedOpens++;
      s.breakOff(new IllegalStateException("connection refused (c" + s.id + ")"));
    } else {
      s.schedule(s::sendNext, intervalNanos);
    }
    return s;
  }

  /** One connection: sends in order, retransmits on request, breaks when the plan says so. */
  private final class Session implements Handle {
    final int id;
    final Consumer<Sequenced<String>> onItem;
    final Consumer<Throwable> onFailure;
    final Set<Task> tasks = new HashSet<>();
    long nextToSend;
    int transmissions; // attempt numbers: every transmission on this connection draws afresh
    boolean ended;

    Session(int id, long fromSeq, Consumer<Sequenced<String>> onItem,
        Consumer<Throwable> onFailure) {
      this.id = id;
      this.nextToSend = fromSeq;
      this.onItem = onItem;
      this.onFailure = onFailure;
    }

    void sendNext() {
      transmit(nextToSend++, 0);
      if (!ended) {
        schedule(this::sendNext, intervalNanos);
      }
    }

    void transmit(long seq, int attempt) {
      FaultPlan plan =
          faults.plan(FaultInjector.Side.SERVER, "feed.item", "c" + id + "-" + seq, attempt);
      if (plan.disconnect()) {
        disconnects++;
        breakOff(new IllegalStateException("connection reset (c" + id + " at " + seq + ")"));
        return;
      }
      if (plan.dropResponse()) {
        lost++;
        return;
      }
      long arrival = latencyNanos + plan.delay().toNanos();
      if (plan.delayed()) {
        delayed++;
      }
      Sequenced<String> item = new Sequenced<>(seq, "item-" + seq);
      schedule(() -> onItem.accept(item), arrival);
      if (plan.duplicateRequest()) {
        duplicated++;
        schedule(() -> onItem.accept(item), arrival + latencyNanos);
      }
    }

    @Override
    public void requestRetransmit(long fromSeq, long toSeq) {
      if (ended) {
        return;
      }
      int attempt = ++transmissions;
      String id = "c" + this.id + "-" + fromSeq + "-" + toSeq;
      if (faults.plan(FaultInjector.Side.SERVER, "feed.retransmit", id, attempt).dropRequest()) {
        retransmitRequestsLost++;
        return;
      }
      schedule(() -> {
        for (long s = fromSeq; s <= toSeq && s < nextToSend && !ended; s++) {
          transmit(s, attempt);
        }
      }, latencyNanos);
    }

    /** The connection breaks: everything in flight is lost, the client hears of it later. */
    void breakOff(Throwable cause) {
      cancelAll();
      ended = true;
      Task notify = new Task();
      notify.cancellable = clock.schedule(() -> {
        tasks.remove(notify);
        onFailure.accept(cause);
      }, latencyNanos);
      tasks.add(notify);
    }

    @Override
    public void close() {
      ended = true;
      cancelAll();
    }

    void schedule(Runnable r, long delayNanos) {
      Task t = new Task();
      t.cancellable = clock.schedule(() -> {
        tasks.remove(t);
        if (!ended) {
          r.run();
        }
      }, delayNanos);
      tasks.add(t);
    }

    void cancelAll() {
      for (Task t : tasks) {
        t.cancellable.cancel();
      }
      tasks.clear();
    }
  }

  /** One scheduled task of a session, so that closing it can cancel what is pending. */
  private static final class Task {
    Scheduler.Cancellable cancellable;
  }
}
