package io.keelrpc.examples.chaos;

import io.keelrpc.examples.chaos.History.Kind;
import io.keelrpc.examples.chaos.History.Op;
import io.keelrpc.examples.chaos.History.Status;
import java.util.ArrayList;
import java.util.List;

/** Hand-made histories of key {@code k}: times are plain numbers, invoke and complete. */
final class HistoryOps {
  static final long NEVER = Long.MAX_VALUE;
  private final List<Op> ops = new ArrayList<>();

  HistoryOps get(String client, long from, long to, long version, String value) {
    return add(new Op(ops.size(), client, Kind.GET, "k", -1, value, null, from, to, Status.OK,
        version, null));
  }

  HistoryOps putOk(String writer, long expected, String value, long from, long to, long version) {
    return add(new Op(ops.size(), writer, Kind.PUT, "k", expected, value, writer, from, to,
        Status.OK, version, null));
  }

  HistoryOps putRefused(String writer, long expected, long from, long to, long actual,
      Long applied) {
    return add(new Op(ops.size(), writer, Kind.PUT, "k", expected, "v", writer, from, to,
        Status.REFUSED, actual, applied));
  }

  HistoryOps putUnknown(String writer, long expected, String value, long from) {
    return add(new Op(ops.size(), writer, Kind.PUT, "k", expected, value, writer, from, NEVER,
        Status.UNKNOWN, -1, null));
  }

  HistoryOps increment(String writer, Status status, long version) {
    return add(new Op(ops.size(), writer, Kind.INCREMENT, "k", -1, null, writer, 0,
        status == Status.UNKNOWN ? NEVER : 1, status, version, null));
  }

  private HistoryOps add(Op op) {
    ops.add(op);
    return this;
  }

  List<Op> list() {
    return List.copyOf(ops);
  }
}
