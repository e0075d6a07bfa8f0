/**
 * The error contract of versioned (optimistic-concurrency) stores, shared by servers that
 * implement such a store and clients that retry against one.
 *
 * <p>A versioned write names the version it expects ({@code 0} means "create"). A store answers a
 * failed write with one of three application errors, each with one code and one exception type:
 *
 * <table>
 *   <caption>OCC error codes</caption>
 *   <tr><th>code</th><th>type</th><th>data</th></tr>
 *   <tr><td>1001</td><td>{@link io.keelrpc.core.occ.VersionMismatchException}</td>
 *       <td>{@code key, expectedVersion, actualVersion, writerId, appliedVersion?}</td></tr>
 *   <tr><td>1002</td><td>{@link io.keelrpc.core.occ.KeyExistsException}</td>
 *       <td>{@code key, actualVersion}</td></tr>
 *   <tr><td>1003</td><td>{@link io.keelrpc.core.occ.KeyNotFoundException}</td>
 *       <td>{@code key}</td></tr>
 * </table>
 *
 * <p>Clients turn a received {@link io.keelrpc.core.ApplicationException} back into the typed
 * exception with {@link io.keelrpc.core.occ.OccErrors#typed(Throwable)}.
 */
package io.keelrpc.core.occ;
