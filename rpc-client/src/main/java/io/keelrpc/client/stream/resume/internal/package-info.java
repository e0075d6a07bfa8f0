/** Implementation of resumable sequenced streams; not API. */
package io.keelrpc.client.stream.resume.internal;
