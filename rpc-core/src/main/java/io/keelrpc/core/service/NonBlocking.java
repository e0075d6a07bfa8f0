package io.keelrpc.core.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method with a plain (not {@code CompletionStage}) result whose implementation finishes
 * in microseconds and never blocks: an exporting server runs it on the connection's I/O thread,
 * like {@code KeelServer.Builder.handleNonBlocking}, instead of handing it to the worker pool.
 * An implementation that blocks there stalls every connection on that I/O thread. Clients ignore
 * the mark.
 *
 * <p>Refused on methods returning {@code CompletionStage} or {@code CompletableFuture}: those are
 * always invoked on the I/O thread and must not block.
 *
 * <pre>{@code
 * public interface EchoApi {
 *   @NonBlocking
 *   Echo echo(Echo e);
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface NonBlocking {}
