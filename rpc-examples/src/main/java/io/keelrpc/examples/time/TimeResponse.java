package io.keelrpc.examples.time;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One update of a time stream, with the member names of the seed's Go struct:
 * {@code {"Timestamp":1718000000,"TimeString":"2024-06-10 06:13:20.000000","SequenceNum":0,
 * "IsFinal":false}}.
 *
 * @param timestamp Unix time in seconds when the update was made
 * @param timeString the same instant as {@code yyyy-MM-dd HH:mm:ss.SSSSSS} (UTC by default)
 * @param sequenceNum 0 for the first update of a stream, then 1, 2, ... without gaps
 * @param finalUpdate true on the last update of a stream (Go's {@code IsFinal})
 */
public record TimeResponse(
    @JsonProperty("Timestamp") long timestamp,
    @JsonProperty("TimeString") String timeString,
    @JsonProperty("SequenceNum") long sequenceNum,
    @JsonProperty("IsFinal") boolean finalUpdate) {}
