package io.keelrpc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.time.FakeClock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Which {@link KeelContext} a thread sees: attaching, restoring, and carrying one elsewhere. */
class KeelContextScopeTest {
  private final FakeClock clock = new FakeClock();
  private final KeelContext outer =
      KeelContext.root().withDeadline(Deadline.after(Duration.ofSeconds(5), clock));
  private final KeelContext inner =
      KeelContext.root().withDeadline(Deadline.after(Duration.ofSeconds(1), clock));

  @Test
  void withNothingAttachedTheCurrentContextIsTheRoot() {
    assertThat(KeelContext.current()).isSameAs(KeelContext.root());
    assertThat(KeelContext.root().deadline()).isEmpty();
    assertThat(KeelContext.root().isCancelled()).isFalse();
    assertThat(KeelContext.root().timeRemaining()).isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
  }

  @Test
  @SuppressWarnings("try") // the scopes are used for their effect, as documented
  void closingAScopeRestoresThePreviousContextInNestingOrder() {
    try (KeelContext.Scope a = outer.attach()) {
      assertThat(KeelContext.current()).isSameAs(outer);
      try (KeelContext.Scope b = inner.attach()) {
        assertThat(KeelContext.current()).isSameAs(inner);
      }
      assertThat(KeelContext.current()).isSameAs(outer);
    }
    assertThat(KeelContext.current()).isSameAs(KeelContext.root());
  }

  @Test
  void closingAScopeTwiceRestoresOnlyOnce() {
    KeelContext.Scope a = outer.attach();
    KeelContext.Scope b = inner.attach();
    b.close();
    b.close();

    assertThat(KeelContext.current()).isSameAs(outer);
    a.close();
    assertThat(KeelContext.current()).isSameAs(KeelContext.root());
  }

  @Test
  void runAndCallAttachOnlyForTheTask() throws Exception {
    AtomicReference<KeelContext> seen = new AtomicReference<>();

    outer.run(() -> seen.set(KeelContext.current()));
    KeelContext called = inner.call(KeelContext::current);

    assertThat(seen.get()).isSameAs(outer);
    assertThat(called).isSameAs(inner);
    assertThat(KeelContext.current()).isSameAs(KeelContext.root());
  }

  @Test
  void aScopeIsRestoredWhenTheTaskThrows() {
    try {
      outer.run(() -> {
        throw new IllegalStateException("boom");
      });
    } catch (IllegalStateException expected) {
      // the point is what is current afterwards
    }

    assertThat(KeelContext.current()).isSameAs(KeelContext.root());
  }

  @Test
  void wrappedTasksRunWithTheWrappingContextOnAnotherThread() throws Exception {
    AtomicReference<KeelContext> seenByRunnable = new AtomicReference<>();
    AtomicReference<KeelContext> seenByCallable = new AtomicReference<>();
    Runnable r = outer.wrap(() -> seenByRunnable.set(KeelContext.current()));
    Callable<Object> c = outer.wrap(() -> seenByCallable.getAndSet(KeelContext.current()));

    Thread t = new Thread(() -> {
      r.run();
      try {
        c.call();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    t.start();
    t.join(10_000);

    assertThat(seenByRunnable.get()).isSameAs(outer);
    assertThat(seenByCallable.get()).isSameAs(outer);
  }

  @Test
  void aWrappedExecutorAttachesTheContextAroundEveryTask() {
    AtomicReference<KeelContext> seen = new AtomicReference<>();
    Executor direct = Runnable::run;

    inner.run(() -> outer.wrap(direct).execute(() -> seen.set(KeelContext.current())));

    assertThat(seen.get()).isSameAs(outer);
    assertThat(KeelContext.current()).isSameAs(KeelContext.root());
  }

  @Test
  @SuppressWarnings("try")
  void aContextIsNotSeenByOtherThreads() throws Exception {
    AtomicReference<KeelContext> seen = new AtomicReference<>();
    try (KeelContext.Scope s = outer.attach()) {
      Thread t = new Thread(() -> seen.set(KeelContext.current()));
      t.start();
      t.join(10_000);
    }

    assertThat(seen.get()).isSameAs(KeelContext.root());
  }
}
