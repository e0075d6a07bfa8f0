/**
 * Seed 001's robust HTTP client ("Problem 2") on Keel's transport-agnostic policies
 * ({@link io.keelrpc.core.policy.Resilience}) around {@code java.net.http.HttpClient}: the
 * {@link io.keelrpc.examples.http.RobustHttpClient}, the seed's URL provider and response
 * validator ({@link io.keelrpc.examples.http.UrlProvider},
 * {@link io.keelrpc.examples.http.ResponseValidator}), an httpbin-like
 * {@link io.keelrpc.examples.http.LocalHttpServer}, the {@code http-fetch} command, and the
 * measurement of when retries help and when they harm
 * ({@link io.keelrpc.examples.http.RetryBudgetDemo}).
 */
package io.keelrpc.examples.http;
