#!/usr/bin/env bash
# The test command of the README: installs what the tests need from Debian's packages where it
# is missing, then runs the whole build with its tests (`mvn -B verify`). `.ci/run` calls it.
#
#   redis-server  required: rpc-redis's tests start real Redis servers on free loopback ports.
#                 Installed with apt-get when missing and this runs as root; otherwise the
#                 script stops here with a message saying what to install (no test is skipped).
#   golang-go     optional: rpc-examples' go-interop profile (a real Go net/rpc/jsonrpc client)
#                 turns itself on when /usr/bin/go exists; without it those tests are left out.
#
# Usage: scripts/test.sh [extra mvn arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v go >/dev/null 2>&1 || missing+=(golang-go)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} (apt-get)" >&2
  apt-get update -qq || echo "apt-get update failed; trying the install anyway" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || echo "apt-get install ${missing[*]} failed" >&2
fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server is required by rpc-redis's tests and is not installed." >&2
  echo "Install it (Debian/Ubuntu: sudo apt-get install redis-server), or run this script as" >&2
  echo "root so that it installs it, then run it again." >&2
  exit 2
fi
exec mvn -B verify "$@"
