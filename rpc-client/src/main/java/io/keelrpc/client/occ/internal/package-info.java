/** Implementation of the OCC engine; not API. */
package io.keelrpc.client.occ.internal;
