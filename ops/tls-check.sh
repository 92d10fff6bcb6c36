#!/usr/bin/env bash
# tls-check.sh: the outside-in TLS check of a real node (docs/reliability.md, "TLS scans").
#
#   ops/tls-check.sh [--no-sslyze] [--keep]
#
# Makes a CA and a retail node in a new temporary directory (ops/federation-ca.sh, accord init),
# starts `accord serve` with a sync and an API port on 127.0.0.1, then
#  1. runs sslyze (PyPI, installed into a venv under ${XDG_CACHE_HOME:-~/.cache}/accord-ops) against
#     the sync port with a member's client certificate and against the API port, each checked
#     against Mozilla's "modern" configuration (--mozilla_config=modern);
#  2. runs a refusal matrix with `openssl s_client` against the sync port: unknown CA, expired,
#     not yet valid, revoked (CRL), wrong identity (not a policy member), no client certificate,
#     TLS 1.2 must each be refused before the first frame, with the refusal and its reason in the
#     node's log; a member's valid certificate must get the node's hello frame.
# Prints a table and exits 1 on any unexpected outcome. ACCORD is the accord binary (default
# .build/debug/accord, built when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
readonly HERE="$PWD/ops"
ACCORD="${ACCORD:-$PWD/.build/debug/accord}"
sslyze=yes keep=no
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-sslyze) sslyze=no; shift ;;
        --keep) keep=yes; shift ;;
        *) sed -n '4p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64 ;;
    esac
done
if [[ ! -x "$ACCORD" ]]; then swift build --product accord >&2; fi
command -v openssl > /dev/null || { echo "tls-check: openssl is missing" >&2; exit 1; }

dir="$(mktemp -d "${TMPDIR:-/tmp}/accord-tls-check-XXXXXX")"
pid=""
cleanup() {
    if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    if [[ "$keep" == yes || "${failed:-0}" -ne 0 ]]; then echo "tls-check: files kept in $dir" >&2; else rm -rf "$dir"; fi
}
trap cleanup EXIT

ca() { "$HERE/federation-ca.sh" "$@" > /dev/null; }
# The node: retail, its certificate from the federation CA, a CRL revoking webshop's certificate.
ca init-ca "$dir/ca"
"$ACCORD" init --unit retail --node "$dir/retail" > /dev/null
# 89 days: Mozilla's "modern" configuration wants certificates to live less than 90 days.
ca issue "$dir/ca" retail --days 89 --out "$dir/retail/tls"
cp "$dir/ca/ca.pem" "$dir/retail/tls/ca.pem"
# Client certificates, one directory per case (issue never overwrites a UNIT.pem).
ca issue "$dir/ca" insurance --out "$dir/good"
ca issue "$dir/ca" webshop --out "$dir/revoked"
"$HERE/federation-ca.sh" revoke "$dir/ca" "$dir/revoked/webshop.pem" > /dev/null
cp "$dir/ca/crl.pem" "$dir/retail/tls/crl.pem"
ca issue "$dir/ca" support --start 20200101000000Z --end 20210101000000Z --out "$dir/expired"
ca issue "$dir/ca" support --start 20400101000000Z --end 20410101000000Z --out "$dir/future"
ca issue "$dir/ca" stranger --out "$dir/stranger"
ca init-ca "$dir/other-ca" --name "Another CA"
ca issue "$dir/other-ca" insurance --out "$dir/unknown-ca"

log="$dir/retail.log"
"$ACCORD" serve --node "$dir/retail" --listen 127.0.0.1:0 --api-listen 127.0.0.1:0 --log-level info \
    > "$dir/serve.out" 2> "$log" < /dev/null &
pid=$!
sync_port="" api_port=""
for _ in $(seq 1 300); do
    sync_port="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/serve.out" | head -n 1)"
    api_port="$(sed -n 's/.*API on https:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/serve.out" | head -n 1)"
    [[ -n "$sync_port" && -n "$api_port" ]] && break
    kill -0 "$pid" 2>/dev/null || { cat "$dir/serve.out" "$log" >&2; echo "tls-check: the node did not start" >&2; exit 1; }
    sleep 0.1
done
[[ -n "$sync_port" && -n "$api_port" ]] || { echo "tls-check: the node did not listen within 30 s" >&2; exit 1; }
echo "tls-check: retail serving sync on 127.0.0.1:$sync_port, API on 127.0.0.1:$api_port"

failed=0
rows=()
row() { rows+=("$(printf '| %-28s | %-9s | %-9s | %s |' "$1" "$2" "$3" "$4")"); }

# 1. sslyze, Mozilla "modern".
if [[ "$sslyze" == yes ]]; then
    venv="${XDG_CACHE_HOME:-$HOME/.cache}/accord-ops/sslyze-venv"
    if [[ ! -x "$venv/bin/sslyze" ]]; then
        echo "tls-check: installing sslyze from PyPI into $venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q sslyze > "$dir/pip.log" 2>&1 || { cat "$dir/pip.log" >&2; exit 1; }
    fi
    scan() {  # name, port, extra arguments
        local name="$1" port="$2"
        shift 2
        local out="$dir/sslyze-$name.txt"
        # The federation CA is private: sslyze validates the chain against it (--certinfo_ca_file).
        if "$venv/bin/sslyze" --mozilla_config=modern --certinfo --certinfo_ca_file "$dir/ca/ca.pem" "$@" "127.0.0.1:$port" > "$out" 2>&1; then
            row "sslyze $name (modern)" compliant compliant "$(grep -oE '(OK|FAILED) - (Not )?[Cc]ompliant.*' "$out" | head -n 1) ($(grep -oE 'Supported curves:.*' "$out" | head -n 1 | tr -s ' '))"
        else
            failed=1
            row "sslyze $name (modern)" compliant FAILED "$(sed -n '/Not compliant/,/^ *---/p' "$out" | grep -oE '\* [a-z_]+' | tr '\n' ' ')"
            sed -n '/COMPLIANCE AGAINST MOZILLA/,$p' "$out" >&2
        fi
    }
    scan sync "$sync_port" --cert "$dir/good/insurance.pem" --key "$dir/good/insurance.key"
    scan api "$api_port"
fi

# 2. The refusal matrix: s_client's stdout holds only application data (-quiet); a refused
# connection gets none, an accepted one gets the node's hello frame (its type byte, 5th, is 1).
probe() {  # name, expected (accepted|refused), log reason pattern, s_client arguments
    local name="$1" expected="$2" reason="$3"
    shift 3
    local before out err got detail
    before="$(wc -l < "$log")"
    out="$dir/probe-$name.bin" err="$dir/probe-$name.err"
    timeout 4 openssl s_client -connect "127.0.0.1:$sync_port" -quiet "$@" < <(sleep 2) > "$out" 2> "$err" || true
    if [[ "$(od -An -tx1 -j4 -N1 "$out" 2>/dev/null | tr -d ' ')" == 01 ]]; then got=accepted; else got=refused; fi
    sleep 0.3
    local logged
    logged="$(tail -n "+$((before + 1))" "$log" | grep 'refused a sync connection' | head -n 1 || true)"
    detail="$(grep -oiE 'alert [a-z ]+|wrong version number|unsupported protocol|no protocols available' "$err" | head -n 1 || true)"
    if [[ "$got" == refused ]]; then
        detail="first frame bytes: $(stat -c %s "$out"); s_client: ${detail:-closed}; log: $(sed -e 's/.*"reason":"//' -e 's/ \[OpenSSL.*//' -e 's/^.*refused the client: //' -e 's/^.*server failed: //' -e 's/.*failed at depth 0 ([^)]*): //' <<< "$logged" | cut -c1-60)"
    else
        detail="hello frame received ($(stat -c %s "$out") bytes)"
    fi
    local outcome=ok
    if [[ "$got" != "$expected" ]]; then outcome=UNEXPECTED; fi
    if [[ "$expected" == refused ]] && ! grep -qiE "$reason" <<< "$logged"; then
        outcome=UNEXPECTED
        detail="$detail (no refusal matching '$reason' in the node's log)"
    fi
    [[ "$outcome" == ok ]] || failed=1
    row "$name" "$expected" "$got${outcome/ok/}" "$detail"
}
tls13=(-tls1_3 -CAfile "$dir/ca/ca.pem" -verify_return_error)
cert() { echo -cert "$dir/$1/$2.pem" -key "$dir/$1/$2.key"; }
# shellcheck disable=SC2046
{
    probe "member, valid (good)" accepted "" "${tls13[@]}" $(cert good insurance)
    probe "unknown CA" refused "unable to get local issuer" "${tls13[@]}" $(cert unknown-ca insurance)
    probe "expired" refused "certificate has expired" "${tls13[@]}" $(cert expired support)
    probe "not yet valid" refused "certificate is not yet valid" "${tls13[@]}" $(cert future support)
    probe "revoked (CRL)" refused "certificate revoked" "${tls13[@]}" $(cert revoked webshop)
    probe "wrong identity (stranger)" refused "unit stranger is not a member" "${tls13[@]}" $(cert stranger stranger)
    probe "no client certificate" refused "presented no certificate" "${tls13[@]}"
    probe "TLS 1.2" refused "unsupported protocol" -tls1_2 -CAfile "$dir/ca/ca.pem" $(cert good insurance)
}

printf '| %-28s | %-9s | %-9s | %s |\n' case expected got detail
printf '| %-28s | %-9s | %-9s | %s |\n' "---" "---" "---" "---"
printf '%s\n' "${rows[@]}"
if [[ "$failed" -ne 0 ]]; then echo "tls-check: FAILED (files in $dir)" >&2; exit 1; fi
echo "tls-check: every case as expected"
