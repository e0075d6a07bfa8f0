package io.keelrpc.core.policy.internal;

import io.keelrpc.core.policy.CallEvent;
import io.keelrpc.core.policy.CallListener;
import io.keelrpc.core.policy.ClientErrorEvent;
import io.keelrpc.core.policy.ConnectionErrorEvent;
import io.keelrpc.core.policy.Outcome;
import io.keelrpc.core.policy.RetriesExhaustedEvent;
import io.keelrpc.core.policy.RetryEvent;
import io.keelrpc.core.policy.ServerErrorEvent;
import io.keelrpc.core.policy.SlowResponseEvent;
import io.keelrpc.core.policy.SuccessEvent;
import io.keelrpc.core.policy.TimeoutEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listeners called in order, each isolated: one that throws is logged and ignored. Also the
 * shape every listener takes inside Keel, so that a single user listener is isolated too.
 */
public final class CompositeCallListener implements CallListener {
  private static final Logger log = LoggerFactory.getLogger(CallListener.class);

  /** No listeners: {@link CallListener#noop()}. */
  public static final CompositeCallListener NOOP = new CompositeCallListener(new CallListener[0]);

  private final CallListener[] listeners;

  private CompositeCallListener(CallListener[] listeners) {
    this.listeners = listeners;
  }

  /** The listeners, flattened, without no-ops; {@link #NOOP} if none is left. */
  public static CallListener of(List<? extends CallListener> listeners) {
    Objects.requireNonNull(listeners, "listeners");
    List<CallListener> flat = new ArrayList<>();
    for (CallListener l : listeners) {
      Objects.requireNonNull(l, "listener");
      if (l instanceof CompositeCallListener c) {
        flat.addAll(List.of(c.listeners));
      } else {
        flat.add(l);
      }
    }
    return flat.isEmpty() ? NOOP : new CompositeCallListener(flat.toArray(new CallListener[0]));
  }

  /** True if {@code listener} ignores everything, so events need not be built for it. */
  public static boolean isNoop(CallListener listener) {
    return listener == NOOP;
  }

  private void fire(CallEvent event) {
    for (CallListener l : listeners) {
      try {
        CallListener.dispatch(l, event);
      } catch (RuntimeException | Error e) {
        if (e instanceof VirtualMachineError vme) {
          throw vme;
        }
        log.warn("call listener {} threw on {} of \"{}\"; ignored", l, event.eventName(),
            event.name(), e);
      }
    }
  }

  @Override
  public void onSuccess(SuccessEvent event) {
    fire(event);
  }

  @Override
  public void onSlowResponse(SlowResponseEvent event) {
    fire(event);
  }

  @Override
  public void onClientError(ClientErrorEvent event) {
    fire(event);
  }

  @Override
  public void onServerError(ServerErrorEvent event) {
    fire(event);
  }

  @Override
  public void onTimeout(TimeoutEvent event) {
    fire(event);
  }

  @Override
  public void onConnectionError(ConnectionErrorEvent event) {
    fire(event);
  }

  @Override
  public void onRetry(RetryEvent event) {
    fire(event);
  }

  @Override
  public void onRetriesExhausted(RetriesExhaustedEvent event) {
    fire(event);
  }

  @Override
  public void onCallEnd(String name, Outcome.Kind kind, Duration duration) {
    for (CallListener l : listeners) {
      try {
        l.onCallEnd(name, kind, duration);
      } catch (RuntimeException | Error e) {
        if (e instanceof VirtualMachineError vme) {
          throw vme;
        }
        log.warn("call listener {} threw on the end of \"{}\"; ignored", l, name, e);
      }
    }
  }

  @Override
  public String toString() {
    return "CallListener.composite(" + List.of(listeners) + ")";
  }
}
