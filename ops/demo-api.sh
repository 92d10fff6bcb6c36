# demo-api.sh: sourced by ops/dashboard-screenshot.sh and ops/metrics-check.sh. Starts
# `accord demo --api-listen 127.0.0.1:0` in a new temporary directory and waits
# until its API listens; sets DEMO_DIR, DEMO_URL, DEMO_TOKEN, DEMO_CA and DEMO_PID, and stops the
# demo on exit. ACCORD (default .build/debug/accord, built when missing) and DEMO_RECORDS
# (default 600) may be set.
ACCORD="${ACCORD:-.build/debug/accord}"
if [[ ! -x "$ACCORD" ]]; then swift build --product accord >&2; fi
DEMO_DIR="$(mktemp -d "${TMPDIR:-/tmp}/accord-dashboard-XXXXXX")"
"$ACCORD" demo --records "${DEMO_RECORDS:-600}" --api-listen 127.0.0.1:0 --dir "$DEMO_DIR" > "$DEMO_DIR/demo.out" 2>&1 &
DEMO_PID=$!
stop_demo() {
    kill "$DEMO_PID" 2>/dev/null || true
    wait "$DEMO_PID" 2>/dev/null || true
    rm -rf "$DEMO_DIR"
}
trap stop_demo EXIT
for _ in $(seq 1 600); do
    [[ -s "$DEMO_DIR/dashboard-url" ]] && break
    kill -0 "$DEMO_PID" 2>/dev/null || { cat "$DEMO_DIR/demo.out" >&2; echo "the demo stopped before its API listened" >&2; exit 1; }
    sleep 0.2
done
[[ -s "$DEMO_DIR/dashboard-url" ]] || { echo "the demo's API did not start within 120 s" >&2; exit 1; }
DEMO_URL="$(cat "$DEMO_DIR/dashboard-url")"
DEMO_TOKEN="$(cat "$DEMO_DIR/dashboard-token")"
DEMO_CA="$DEMO_DIR/governance/tls/ca.pem"
