package io.keelrpc.examples.eventlog;

import java.io.IOException;
import java.util.Optional;

/**
 * Where an {@link EventLogger} receives packets from: the seed's {@code MessageSource} interface,
 * reduced to what a logger may use. {@link MessageSource} is the seeded, crash-resumable
 * implementation; tests script their own.
 *
 * <pre>{@code
 * Optional<Packet> p = source.receive();
 * if (p.isPresent() && !p.get().checksumValid()) {
 *   source.requestRetransmit(p.get().sequence());
 * }
 * }</pre>
 */
public interface PacketSource {
  /**
   * The next packet: a requested retransmission if one is pending, otherwise the next delivery.
   *
   * @return the packet, or empty once everything was delivered and no retransmission is pending
   * @throws SourceTerminatedException when the source decides the process dies here (the seed's
   *     {@code sys.exit(1)}); its own state is saved first, so a new source resumes after it
   * @throws IOException if the source's state cannot be saved
   */
  Optional<Packet> receive() throws IOException, SourceTerminatedException;

  /**
   * Asks for {@code sequence} again; it is delivered before the next regular packet if the
   * source still has it (a lost packet it never had is silently dropped from the request list).
   * Requesting a sequence that is already pending does nothing.
   *
   * @throws IOException if the source's state cannot be saved
   */
  void requestRetransmit(int sequence) throws IOException;

  /** How many packets were generated: the sequences are {@code 0..totalPackets()-1}. */
  int totalPackets();

  /**
   * How many regular deliveries are still to come (duplicates included, retransmissions not); 0
   * means only pending retransmissions remain before {@link #receive()} returns empty.
   */
  int remainingDeliveries();
}
