#!/usr/bin/env bash
# Interop check with a real Go net/rpc/jsonrpc client (rpc-examples/src/test/go, standard library
# only): it calls the counter (Counter.Inc/Counter.Get and inc/get, 50 calls at once on one
# connection, error answers) and follows seed 004's time stream to IsFinal, against Keel's
# time-server, which serves keel/1 and Go's protocol on one port.
#
# Usage: scripts/go-interop.sh [-interval SECONDS] [-duration SECONDS]
#
# Needs go (Debian's golang-go, Go 1.19, is enough) and a built examples jar
# (mvn -B -q package -DskipTests). Builds offline with every Go cache in a temporary directory,
# so nothing is written to the repository. Exits non-zero if the Go program finds a mismatch.
# `mvn -B verify` runs the same program in its go-interop profile when /usr/bin/go exists.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=rpc-examples/target/keel-examples.jar
[ -f "$jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
command -v go >/dev/null || { echo "go is required (apt-get install -y golang-go)" >&2; exit 2; }

work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

export GOCACHE="$work/gocache" GOPATH="$work/gopath" GOENV=off GOFLAGS=-mod=readonly \
  GOPROXY=off GOTOOLCHAIN=local GO111MODULE=on CGO_ENABLED=0
(cd rpc-examples/src/test/go && go build -o "$work/keel-go-interop" .)

java -jar "$jar" time-server --port 0 >"$work/server.out" 2>"$work/server.err" & pid=$!
for _ in $(seq 1 100); do grep -q listening "$work/server.out" 2>/dev/null && break; sleep 0.1; done
addr=$(sed -n 's/^time-server: listening on \([^ ]*\) .*/\1/p' "$work/server.out")
[ -n "$addr" ] || { echo "time-server did not start:" >&2; cat "$work/server.err" >&2; exit 1; }

echo "== Go net/rpc/jsonrpc client -> Keel time-server on $addr"
timeout 60 "$work/keel-go-interop" -addr "$addr" "$@"
