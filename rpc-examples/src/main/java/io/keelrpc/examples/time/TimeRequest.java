package io.keelrpc.examples.time;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Params of {@code TimeService.RequestTimeStream}, with the member names of the seed's Go struct:
 * {@code {"UpdateInterval": 1, "Duration": 60}}.
 *
 * @param updateInterval seconds between updates, 1..{@value TimeStream#MAX_INTERVAL_SECONDS};
 *     required
 * @param duration seconds the stream lasts, {@code >= 0}; 0 or absent for no end
 */
public record TimeRequest(
    @JsonProperty("UpdateInterval") Long updateInterval,
    @JsonProperty("Duration") Long duration) {}
