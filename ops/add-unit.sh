#!/usr/bin/env bash
# add-unit.sh: add a business unit to a running federation, on the governance team's machine.
#
#   add-unit.sh CA_DIR GOVERNANCE_NODE UNIT NEW_NODE_DIR [accord unit add options...]
#
# 1. `accord unit add`: the next policy version with UNIT as a member, the new node (its own
#    signing key) created from it, the key put in, the version signed and published on the
#    governance node (whose accord serve sends it to every peer);
# 2. the unit's certificate from the federation CA (ops/federation-ca.sh issue) and the CA bundle,
#    where the new node expects them (NEW_NODE_DIR/tls).
# Then start the new node: accord serve --node NEW_NODE_DIR. It starts empty and bootstraps from
# its peer (give one with --peer UNIT=HOST:PORT). Options such as --receive identity,contact,
# --line, --endpoint, --requester go to `accord unit add` (accord unit add --help).
# The accord binary is $ACCORD if set, else `accord` on the PATH. See ops/README.md.
set -euo pipefail
umask 077

readonly PROGRAM="${0##*/}"
readonly HERE="$(cd "$(dirname "$0")" && pwd)"
readonly ACCORD="${ACCORD:-accord}"

die() {
    echo "$PROGRAM: $*" >&2
    exit 1
}

if [[ $# -lt 4 ]]; then
    sed -n '4,5p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 64
fi
readonly CA_DIR="$1" GOVERNANCE="$2" UNIT="$3" NODE="$4"
shift 4

[[ -f "$CA_DIR/ca.pem" && -f "$CA_DIR/ca.key" ]] || die "$CA_DIR is not a federation CA (run federation-ca.sh init-ca)"
[[ -f "$GOVERNANCE/node.json" ]] || die "$GOVERNANCE is not an Accord node"
[[ ! -e "$NODE/node.json" ]] || die "$NODE already holds a node"
command -v "$ACCORD" >/dev/null 2>&1 || die "cannot run $ACCORD (set ACCORD to the accord binary)"

"$ACCORD" unit add "$UNIT" --node "$GOVERNANCE" --out "$NODE" "$@"
"$HERE/federation-ca.sh" issue "$CA_DIR" "$UNIT" --out "$NODE/tls"
cp "$CA_DIR/ca.pem" "$NODE/tls/ca.pem"
echo "$PROGRAM: $UNIT is ready in $NODE; start it with: $ACCORD serve --node $NODE"
