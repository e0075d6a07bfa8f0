/**
 * Plain Java interfaces as Keel services: the annotations that a client proxy
 * ({@code KeelClient.proxy}) and a server export ({@code KeelServer.Builder.export}) read from one
 * shared interface.
 *
 * <pre>{@code
 * @KeelService("counter")
 * public interface CounterApi {
 *   @Idempotent Counter inc(IncParams p);         // "counter.inc", params {"key": .., "delta": ..}
 *   @ReadOnly CompletableFuture<Counter> get(KeyParams p);  // "counter.get", asynchronous
 *   List<Counter> top(int n);                     // "counter.top", params [n]
 *   void reset(String key, long to);              // "counter.reset", params [key, to]
 * }
 * }</pre>
 *
 * <h2>Which methods are remote</h2>
 * Every abstract method of the interface, inherited ones included. Default methods run locally
 * (on a proxy, with the proxy as {@code this}); static methods are ignored; {@code equals},
 * {@code hashCode} and {@code toString} are never remote. The interface must have no type
 * parameters (extend it with them fixed), and no remote method may have any.
 *
 * <h2>Names</h2>
 * The wire name is the Java method name, prefixed by the interface's {@link
 * io.keelrpc.core.service.KeelService} and a dot when present; a method's {@link
 * io.keelrpc.core.service.KeelMethod} replaces the whole name. Two remote methods of one interface
 * may not share a wire name (overloads need a {@code @KeelMethod}).
 *
 * <h2>Params</h2>
 * <ul>
 *   <li>no parameter: the request has no params (a server ignores any that are sent);
 *   <li>one parameter whose JSON is an object or an array (a record, a bean, a map, a collection,
 *       an array): it is the params, exactly as with a {@code MethodDescriptor} of that type, so a
 *       proxy can call a service registered with descriptors and the other way round. It must not
 *       be {@code null};
 *   <li>one parameter of a type written as a JSON string, number or boolean (primitives and their
 *       wrappers, {@code Number}s, {@code CharSequence}s, enums, {@code UUID}, {@code byte[]},
 *       {@code char[]}): a one-element array {@code [value]}, because JSON-RPC params are
 *       structured; servers unwrap it. It must not be {@code null}. Another type that Jackson
 *       writes as a scalar (say, one with {@code @JsonValue}) is refused by the server as an
 *       invalid request: wrap it in a record;
 *   <li>two or more parameters: positional params, an array holding each argument in order
 *       ({@code [key, to]}); a server answers INVALID_PARAMS unless it receives exactly that many,
 *       and {@code null} for a primitive parameter.
 * </ul>
 *
 * <h2>Results</h2>
 * A plain return type makes a blocking call; {@code CompletionStage<T>} or {@code
 * CompletableFuture<T>} an asynchronous one (other {@code Future}s are refused). {@code void},
 * {@code Void} and {@code CompletionStage<Void>} mean no result ({@code null} on the wire).
 * Generic types such as {@code List<Item>} bind with their type arguments, on both sides.
 *
 * <h2>Marks</h2>
 * {@link io.keelrpc.core.service.Idempotent} (client: retry timeouts and lost connections too),
 * {@link io.keelrpc.core.service.ReadOnly} (server: skip the idempotency cache; client: as
 * idempotent), {@link io.keelrpc.core.service.NonBlocking} (server: run on the I/O thread). They
 * belong on abstract methods only.
 *
 * <p>Every rule is checked when the proxy or export is made; a violation is an {@link
 * java.lang.IllegalArgumentException} naming the interface and the method.
 */
package io.keelrpc.core.service;
