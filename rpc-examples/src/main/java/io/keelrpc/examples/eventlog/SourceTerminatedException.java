package io.keelrpc.examples.eventlog;

/**
 * The simulated death of the process, thrown by {@link PacketSource#receive()} where the seed's
 * message source calls {@code sys.exit(1)}. Whoever catches it must behave as if the process
 * had died: drop the logger without flushing its buffer (the packets in it are lost) and start
 * a new source and logger from what is on disk. {@code event-log --fork} turns it into a real
 * death ({@code Runtime.halt}).
 */
public final class SourceTerminatedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int position;

  /** At delivery {@code position} of the source's queue. */
  public SourceTerminatedException(int position) {
    super("message source terminated the process at delivery " + position);
    this.position = position;
  }

  /** The delivery the source was about to make: where a restarted source resumes. */
  public int position() {
    return position;
  }
}
