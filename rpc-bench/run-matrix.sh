#!/usr/bin/env bash
# Runs Keel's end-to-end comparison matrix: Keel (idempotency cache on and off), gRPC-java,
# a bare JSON-RPC echo on Netty and a raw Netty echo; closed loop at C in {1,16,64,256} and open
# loop at 50% and 90% of Keel's measured capacity; payload 64 B and 4 KiB; implementations
# interleaved run by run over ROUNDS rounds; prints Markdown tables of medians and the ratios
# Keel/gRPC, Keel/bare, Keel/raw. Every run is a fresh driver JVM plus a fresh server JVM on
# loopback; all RESULT lines go to rpc-bench/target/bench-matrix-<time>.txt (tables: .md).
#
# Usage:
#   rpc-bench/run-matrix.sh                 # default: 3 rounds, 2 s warm-up + 5 s per run,
#                                           # 156 runs, about 25 minutes on 2 cores
#   rpc-bench/run-matrix.sh --quick         # smoke run: 1 round, C 1,64, 1 s + 2 s, about 3 min
#   ROUNDS=5 DURATION=10s WARMUP=3s rpc-bench/run-matrix.sh
#   rpc-bench/run-matrix.sh --dry-run       # the plan and its estimated time only
#   rpc-bench/run-matrix.sh --help          # every option of the 'matrix' command
#
# Environment: ROUNDS, DURATION, WARMUP, QUICK=1 (same as --quick), JAVA (default: java on PATH),
# JAVA_OPTS (flags of the orchestrating JVM only; driver and server JVMs get --jvm-flags).
# Any other arguments are passed to 'matrix' as they are (explicit flags win over env vars).
#
# It builds nothing; build the jar first:
#   mvn -B -q package -DskipTests -pl rpc-bench -am
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/keel-bench.jar"
if [[ ! -f "$jar" ]]; then
  echo "run-matrix.sh: $jar not found. Build it first (from the repository root):" >&2
  echo "  mvn -B -q package -DskipTests -pl rpc-bench -am" >&2
  exit 2
fi

java_bin="${JAVA:-java}"
args=()
[[ -n "${ROUNDS:-}" ]] && args+=(--rounds "$ROUNDS")
[[ -n "${DURATION:-}" ]] && args+=(--duration "$DURATION")
[[ -n "${WARMUP:-}" ]] && args+=(--warmup "$WARMUP")
[[ "${QUICK:-0}" == "1" ]] && args+=(--quick)

# The orchestrator only starts processes and reads their output: a small heap is plenty.
# shellcheck disable=SC2086
exec "$java_bin" ${JAVA_OPTS:--Xmx128m -XX:+UseSerialGC} -jar "$jar" matrix "${args[@]}" "$@"
