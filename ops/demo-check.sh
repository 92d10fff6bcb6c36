#!/usr/bin/env bash
# demo-check.sh: runs `accord demo` as a newcomer would, waits for the end of its tour, stops it
# with SIGINT (Ctrl-C) and fails unless it stopped cleanly (exit 0) within 20 s.
#
#   demo-check.sh ACCORD_BINARY [demo options...]
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: ${0##*/} ACCORD_BINARY [demo options...]" >&2; exit 64; }
binary="$1"
shift
out="$(mktemp)"
"$binary" demo "$@" >"$out" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
    grep -q "Serving until Ctrl-C" "$out" && break
    kill -0 "$pid" 2>/dev/null || { cat "$out"; echo "demo-check: the demo exited before the end of its tour" >&2; exit 1; }
    sleep 0.1
done
cat "$out"
grep -q "Serving until Ctrl-C" "$out" || { kill -KILL "$pid"; echo "demo-check: no end of the tour within 120 s" >&2; exit 1; }
grep -q "acknowledged by every unit" "$out" || { kill -KILL "$pid"; echo "demo-check: the erasure was not acknowledged by every unit" >&2; exit 1; }
kill -INT "$pid"
for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    echo "demo-check: the demo did not stop within 20 s of SIGINT" >&2
    exit 1
fi
wait "$pid" && status=0 || status=$?
[[ $status -eq 0 ]] || { echo "demo-check: the demo exited with $status after SIGINT" >&2; exit 1; }
echo "demo-check: the tour ran and SIGINT stopped the demo cleanly"
