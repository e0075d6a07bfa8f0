package io.keelrpc.examples.eventlog;

/**
 * What a {@link MessageSource} knows about the retransmission requests it got, and a logger
 * cannot: whether each one was worth making. Every call of {@code requestRetransmit} is exactly
 * one of:
 *
 * @param needed the sequence has no intact copy left among the regular deliveries still to come
 *     (it went by corrupted, or went by before a crash lost it with the logger's buffer): only a
 *     retransmission can bring it
 * @param premature an intact copy was still to come: the packet was only late, and the request
 *     will make it arrive twice
 * @param lost the packet was lost in the network: the source never had it to send
 * @param repeated the sequence was already pending: the source ignored the call
 */
public record RetransmitAudit(long needed, long premature, long lost, long repeated) {
  /** All requests. */
  public long total() {
    return needed + premature + lost + repeated;
  }

  /**
   * {@code needed / total}: the retransmit efficiency we report (1 when nothing was
   * requested). A logger that asks only for what it cannot otherwise get scores 1; with loss in
   * the network even a perfect one scores below, since it has to ask once to learn that a
   * packet is gone.
   */
  public double efficiency() {
    long t = total();
    return t == 0 ? 1.0 : (double) needed / t;
  }
}
