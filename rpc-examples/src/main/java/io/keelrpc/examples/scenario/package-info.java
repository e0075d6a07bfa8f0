/**
 * The scenario runner (the seed's ServerRunner): a KV server and concurrent OCC clients under
 * injected faults, with an invariant checked at the end. {@code kv-scenario} is the README's main
 * demo.
 */
package io.keelrpc.examples.scenario;
