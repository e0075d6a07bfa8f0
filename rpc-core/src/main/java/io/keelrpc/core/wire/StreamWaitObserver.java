package io.keelrpc.core.wire;

/**
 * Told when a consumer of a stream starts and stops waiting for its peer: a thread blocked for an
 * item or for credit, or a pending future. The Keel client runs a stream's idle timeout only
 * while someone waits. Internal building block of the client and the server; not API.
 */
public interface StreamWaitObserver {
  /** Does nothing. */
  StreamWaitObserver NONE = new StreamWaitObserver() {
    @Override
    public void waiting() {}

    @Override
    public void doneWaiting() {}
  };

  /** One more waiter. */
  void waiting();

  /** One waiter fewer; called once for each {@link #waiting()}. */
  void doneWaiting();
}
