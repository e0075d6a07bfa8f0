package io.keelrpc.examples.time;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Params of {@code TimeService.Stream}: the seed's {@link TimeRequest} plus where to start.
 *
 * @param updateInterval seconds between updates, 1..86400
 * @param duration seconds of updates; 0 for a stream without end
 * @param fromSeq the first update to send ({@code null} or 0: from the start); a client that
 *     lost its connection passes the sequence number it needs next
 */
public record TimeStreamRequest(
    @JsonProperty("UpdateInterval") Long updateInterval,
    @JsonProperty("Duration") Long duration,
    @JsonProperty("FromSeq") Long fromSeq) {}
