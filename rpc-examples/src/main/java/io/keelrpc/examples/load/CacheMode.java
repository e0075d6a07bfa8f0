package io.keelrpc.examples.load;

import java.util.List;

/** Which server configurations {@code loadgen --cache} measures. */
public enum CacheMode {
  /** The server's idempotency cache on (the default server). */
  on,
  /** The cache off: {@code KeelServer.builder().idempotency(false)}. */
  off,
  /** First on, then off. */
  both;

  /** The single modes this one stands for, in the order they run. */
  List<CacheMode> runs() {
    return this == both ? List.of(on, off) : List.of(this);
  }
}
