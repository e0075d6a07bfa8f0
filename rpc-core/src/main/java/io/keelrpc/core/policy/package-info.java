/**
 * Transport-agnostic resilience: observe every outcome of a call, retry what is worth retrying,
 * and keep retries from storming — around a Keel call or around any asynchronous call.
 *
 * <ul>
 *   <li>{@link io.keelrpc.core.policy.CallListener} receives one small event per thing that
 *       happened to a call (success, slow response, client error, server error, timeout,
 *       connection error, retry, retries exhausted). {@link io.keelrpc.core.policy.JsonLinesCallLog}
 *       writes them as JSON lines; {@link io.keelrpc.core.policy.CallSummary} counts them.</li>
 *   <li>{@link io.keelrpc.core.policy.Outcome} and
 *       {@link io.keelrpc.core.policy.OutcomeClassifier} say what an attempt's result or failure
 *       means: which kind of outcome, whether another attempt may help, and after how long.</li>
 *   <li>{@link io.keelrpc.core.policy.RetryBudget} is a token bucket (gRPC's retry throttling)
 *       that successes refill and failures drain, so that a failing server does not receive
 *       {@code maxAttempts} times its normal load.</li>
 *   <li>{@link io.keelrpc.core.policy.Resilience} runs any
 *       {@code Supplier<CompletionStage<T>>} with all of the above plus a
 *       {@link io.keelrpc.core.retry.RetryPolicy}, a per-attempt timeout and an overall
 *       {@link io.keelrpc.core.Deadline}. {@code KeelClient} uses the same events, budget and
 *       decision rules for every Keel call.</li>
 * </ul>
 *
 * <p>See {@code docs/resilience.md} for when retries help and when they harm.
 */
package io.keelrpc.core.policy;
