#!/usr/bin/env bash
# pilot.sh: a local multi-node pilot on 127.0.0.1 with the real accord binary.
#
#   pilot.sh start  DIR [--persons N]   a CA, governance, retail and insurance with generated customers, serving
#   pilot.sh add    DIR UNIT            one more unit (policy vN+1 from governance), bootstrapping from retail
#   pilot.sh status DIR                 per node: policy version, records, peers; digests per share class
#   pilot.sh stop   DIR                 SIGTERM every node of the pilot and wait for them
#
# The accord binary is $ACCORD if set, else `accord` on the PATH. Ports are chosen by the system;
# DIR/<unit>.port holds each node's sync port, DIR/<unit>.log its log. Nothing outside DIR is touched.
set -euo pipefail
umask 077

readonly PROGRAM="${0##*/}"
readonly HERE="$(cd "$(dirname "$0")" && pwd)"
export ACCORD="${ACCORD:-accord}"

die() {
    echo "$PROGRAM: $*" >&2
    exit 1
}
usage() {
    sed -n '4,7p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 64
}

# Starts `accord serve` for a unit on a system-chosen port; waits until it listens.
serve() {
    local dir="$1" unit="$2"
    : >"$dir/$unit.out"
    # A daemon of its own: stdin from /dev/null, and no descriptor inherited from whoever ran the
    # script (a caller waiting for its pipe to close would wait as long as the node runs).
    (
        for fd in /proc/$BASHPID/fd/*; do
            fd="${fd##*/}"
            [[ "$fd" -gt 2 ]] && eval "exec $fd>&-" 2>/dev/null
        done
        exec "$ACCORD" serve --node "$dir/$unit" --listen 127.0.0.1:0 </dev/null
    ) >"$dir/$unit.out" 2>>"$dir/$unit.log" &
    echo $! >"$dir/$unit.pid"
    local port="" tries=0
    while [[ -z "$port" ]]; do
        port="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/$unit.out" | head -n 1)"
        [[ -n "$port" ]] && break
        kill -0 "$(cat "$dir/$unit.pid")" 2>/dev/null || die "$unit did not start: $(tail -n 3 "$dir/$unit.log")"
        tries=$((tries + 1))
        [[ $tries -lt 300 ]] || die "$unit did not listen within 30 s"
        sleep 0.1
    done
    echo "$port" >"$dir/$unit.port"
    echo "$unit serving on 127.0.0.1:$port (log $dir/$unit.log)"
}

# Writes and imports a unit's generated customers.
populate() {
    local dir="$1" unit="$2" persons="$3" coverage="$4"
    "$ACCORD" sample --unit "$unit" --persons "$persons" --coverage "$coverage" --out "$dir/$unit.csv" >/dev/null
    "$ACCORD" import "$dir/$unit.csv" --node "$dir/$unit" --quiet >/dev/null
    echo "$unit imported $(($(wc -l <"$dir/$unit.csv") - 1)) customers"
}

port_of() { cat "$1/$2.port" 2>/dev/null || die "$2 is not serving in $1"; }

start() {
    local dir="$1" persons=1000
    shift
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --persons) [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || die "--persons needs a positive number"; persons="$2"; shift 2 ;;
            *) usage ;;
        esac
    done
    [[ ! -e "$dir/ca" ]] || die "$dir already holds a pilot (stop it and choose a new directory)"
    command -v "$ACCORD" >/dev/null 2>&1 || die "cannot run $ACCORD (set ACCORD to the accord binary)"
    mkdir -p "$dir"
    "$HERE/federation-ca.sh" init-ca "$dir/ca" >/dev/null
    for unit in governance retail insurance; do
        "$ACCORD" init --unit "$unit" --node "$dir/$unit" >/dev/null
        "$HERE/federation-ca.sh" issue "$dir/ca" "$unit" --out "$dir/$unit/tls" >/dev/null
        cp "$dir/ca/ca.pem" "$dir/$unit/tls/ca.pem"
    done
    # One policy with every key, signed by governance: every node's starting policy.
    cp "$dir/governance/policy.json" "$dir/policy.json"
    for unit in governance retail insurance; do "$ACCORD" policy set-key "$dir/policy.json" --node "$dir/$unit" >/dev/null; done
    "$ACCORD" policy sign "$dir/policy.json" --node "$dir/governance" >/dev/null
    for unit in governance retail insurance; do cp "$dir/policy.json" "$dir/$unit/policy.json"; done
    populate "$dir" retail "$persons" 0.7
    populate "$dir" insurance "$persons" 0.5
    serve "$dir" retail
    "$ACCORD" peer add retail "127.0.0.1:$(port_of "$dir" retail)" --node "$dir/insurance" >/dev/null
    serve "$dir" insurance
    # financial goes to insurance and governance only: governance dials both.
    "$ACCORD" peer add retail "127.0.0.1:$(port_of "$dir" retail)" --node "$dir/governance" >/dev/null
    "$ACCORD" peer add insurance "127.0.0.1:$(port_of "$dir" insurance)" --node "$dir/governance" >/dev/null
    serve "$dir" governance
    echo "pilot running in $dir: $PROGRAM status $dir, $PROGRAM add $dir webshop, $PROGRAM stop $dir"
}

add() {
    local dir="$1" unit="$2"
    [[ -f "$dir/governance.pid" ]] || die "$dir holds no running pilot (run $PROGRAM start $dir first)"
    "$HERE/add-unit.sh" "$dir/ca" "$dir/governance" "$unit" "$dir/$unit" \
        --peer "retail=127.0.0.1:$(port_of "$dir" retail)" >/dev/null
    populate "$dir" "$unit" "$(($(wc -l <"$dir/retail.csv") + 0))" 0.4
    serve "$dir" "$unit"
}

status() {
    local dir="$1"
    for node in "$dir"/*/node.json; do
        local unit
        unit="$(basename "$(dirname "$node")")"
        echo "== $unit"
        "$ACCORD" status --node "$dir/$unit" | sed -n '1,3p;/^Sync:/,$p'
        "$ACCORD" digest --node "$dir/$unit"
    done
}

stop() {
    local dir="$1" pid
    for file in "$dir"/*.pid; do
        [[ -f "$file" ]] || continue
        pid="$(cat "$file")"
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        fi
        rm -f "$file" "${file%.pid}.port"
    done
    echo "pilot in $dir stopped (its nodes and logs stay in $dir)"
}

[[ $# -ge 2 ]] || usage
command="$1" dir="$2"
shift 2
case "$command" in
    start) start "$dir" "$@" ;;
    add) [[ $# -eq 1 && "$1" =~ ^[a-z][a-z0-9_-]{0,62}$ ]] || usage; add "$dir" "$1" ;;
    status) [[ $# -eq 0 ]] || usage; status "$dir" ;;
    stop) [[ $# -eq 0 ]] || usage; stop "$dir" ;;
    *) usage ;;
esac
