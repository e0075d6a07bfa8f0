package io.keelrpc.client;

/**
 * Counters of one stream on the client, as seen at one moment.
 *
 * @param received items that arrived from the server
 * @param buffered items that arrived and were not read yet
 * @param maxBuffered the most items ever waiting to be read at once; never above {@code window}
 * @param window the credit this client grants the server (0 for a client stream, in which the
 *     server sends no items)
 * @param sent items this client sent
 * @param credit items this client may still send before the server grants more
 */
public record StreamStats(long received, int buffered, int maxBuffered, int window, long sent,
    long credit) {}
