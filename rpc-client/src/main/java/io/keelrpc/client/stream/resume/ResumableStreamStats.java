package io.keelrpc.client.stream.resume;

/**
 * What a {@link ResumableStream} has done so far: a snapshot from {@link ResumableStream#stats()}.
 *
 * @param delivered items released to the consumer, in order, each once (counted when handed to
 *     the consumer's executor, so a few may still be on their way to the consumer)
 * @param duplicatesDropped items dropped because they had been delivered or were already held
 * @param reordered items that arrived while an earlier one was missing and were held in the
 *     window until the gap filled
 * @param retransmitsRequested {@link SequencedSource.Handle#requestRetransmit} calls, one per
 *     contiguous missing range that outlived the gap timeout
 * @param reconnects connections opened after the first one
 * @param windowOverflows items that arrived too far ahead to fit in the window, each ending its
 *     connection
 */
public record ResumableStreamStats(long delivered, long duplicatesDropped, long reordered,
    long retransmitsRequested, long reconnects, long windowOverflows) {}
