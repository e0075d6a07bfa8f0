package io.keelrpc.examples.time;

/**
 * Params of {@code TimeService.GetNextUpdate}: none, {@code {}} (a Go client sends
 * {@code [{}]} for {@code struct{}{}}, or {@code [null]} for nil, both accepted).
 */
public record NextUpdateRequest() {}
