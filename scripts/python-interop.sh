#!/usr/bin/env bash
# Interop check against the real Python peers of the course notebook (seed 000), unchanged.
#
# Usage: scripts/python-interop.sh [path/to/000_a902bf2e86bf5c16.txt]
#
# The seed's Python code is extracted at run time into a temporary directory (it is not part of
# this repository). Needs python3 and a built examples jar (mvn -B -q package -DskipTests).
# 1. the notebook's RpcClient calls inc x3, get and an unknown method on Keel's counter-server;
# 2. Keel's counter-client calls inc x3 and get on the notebook's RpcServer.
# Exits non-zero if either direction fails. Loopback only; every process is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
seed=${1:-../shared/seeds/000_a902bf2e86bf5c16.txt}
jar=rpc-examples/target/keel-examples.jar
[ -f "$seed" ] || { echo "seed not found: $seed" >&2; exit 2; }
[ -f "$jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

python3 - "$seed" "$work/seedrpc.py" <<'PY'
import sys
src = open(sys.argv[1]).read()
code = src[src.index('import socket, struct'):src.index('# Demo')]
open(sys.argv[2], 'w').write(code)
PY

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { for _ in $(seq 1 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "timed out waiting for '$2' in $1" >&2; return 1; }

echo "== 1. notebook RpcClient -> Keel counter-server"
port=$(free_port)
java -jar "$jar" counter-server --port "$port" >"$work/keel.out" 2>"$work/keel.err" & pids+=($!)
wait_for "$work/keel.out" listening
PYTHONPATH="$work" timeout 30 python3 - "$port" <<'PY'
import sys
from seedrpc import RpcClient
c = RpcClient(addr=('127.0.0.1', int(sys.argv[1])))
values = []
for _ in range(3):
    r = c.call('inc', {"key": "counter", "delta": 2}); print(r); values.append(r['result']['value'])
r = c.call('get', {"key": "counter"}); print(r); values.append(r['result']['value'])
assert values == [2, 4, 6, 6], values
r = c.call('nope', {}); print(r)
assert r['error']['code'] == -32601 and 'jsonrpc' not in r, r
print("ok: the notebook client works unchanged against Keel")
PY

echo "== 2. Keel counter-client -> notebook RpcServer"
port=$(free_port)
PYTHONPATH="$work" python3 -u - "$port" >"$work/py.out" 2>&1 <<'PY' & pids+=($!)
import sys, time
from seedrpc import RpcServer
s = RpcServer(addr=('127.0.0.1', int(sys.argv[1]))); s.start()
print("python server up", flush=True)
time.sleep(60)
PY
wait_for "$work/py.out" "server up"
out=$(timeout 30 java -jar "$jar" counter-client --port "$port" 2>/dev/null)
echo "$out"
echo "$out" | tail -1 | grep -q '"value":6' || { echo "FAILED: expected the final get to read 6" >&2; exit 1; }
echo "ok: Keel's client works against the notebook server"
