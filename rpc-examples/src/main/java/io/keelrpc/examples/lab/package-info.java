/**
 * The latency lab ({@code latency-lab}): an in-process Keel server with an injected, capacity
 * limited service delay, driven by clients with different per-attempt timeouts and retry policies,
 * to measure success rate, tail latency and retry amplification per cell of the matrix, and to
 * write the results as CSV, Markdown and PNG charts. See {@code docs/latency-lab.md}.
 */
package io.keelrpc.examples.lab;
