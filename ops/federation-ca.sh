#!/usr/bin/env bash
# federation-ca.sh: the Accord federation's certificate authority, with the openssl command only.
#
#   federation-ca.sh init-ca DIR [--days N] [--name NAME]
#   federation-ca.sh issue   DIR UNIT [--days N | --start YYYYMMDDHHMMSSZ --end YYYYMMDDHHMMSSZ]
#                                     [--out OUTDIR] [--ed25519] [--no-unit-uri]
#   federation-ca.sh revoke  DIR CERT.pem
#   federation-ca.sh crl     DIR [--days N]
#
# Never overwrites a private key; key files are 0600. See ops/README.md.
set -euo pipefail
umask 077

readonly PROGRAM="${0##*/}"
readonly UNIT_PATTERN='^[a-z][a-z0-9_-]{0,62}$'
readonly TIME_PATTERN='^[0-9]{14}Z$'

die() {
    echo "$PROGRAM: $*" >&2
    exit 1
}

usage() {
    sed -n '4,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 64
}

need_value() {
    [[ $# -ge 2 && -n "$2" ]] || die "option $1 needs a value"
}

positive_integer() {
    [[ "$2" =~ ^[1-9][0-9]{0,5}$ ]] || die "$1 must be a positive integer, got '$2'"
}

# Writes the openssl configuration used by every command on DIR to stdout;
# SAN is the subjectAltName of leaves issued with it.
ca_config() {
    local dir="$1" san="${2:-DNS:localhost}"
    cat <<EOF
[ ca ]
default_ca = accord_ca

[ accord_ca ]
dir              = $dir
database         = $dir/ca-db/index.txt
new_certs_dir    = $dir/ca-db/certs
serial           = $dir/ca-db/serial
crlnumber        = $dir/ca-db/crlnumber
certificate      = $dir/ca.pem
private_key      = $dir/ca.key
default_md       = sha256
default_days     = 365
default_crl_days = 30
policy           = accord_policy
unique_subject   = no
copy_extensions  = none
email_in_dn      = no
preserve         = no

[ accord_policy ]
commonName             = supplied
organizationName       = optional
organizationalUnitName = optional

[ req ]
distinguished_name = req_dn
prompt             = no

[ req_dn ]
CN = unused

[ ca_extensions ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ leaf_extensions ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth, clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
subjectAltName         = $san

[ crl_extensions ]
authorityKeyIdentifier = keyid
EOF
}

# Creates a private key at PATH (EC P-256 or Ed25519) unless it exists; never replaces one.
make_key() {
    local path="$1" algorithm="$2"
    if [[ -e "$path" ]]; then
        echo "keeping existing key $path"
        return
    fi
    local temporary="$path.tmp.$$"
    if [[ "$algorithm" == ed25519 ]]; then
        openssl genpkey -algorithm ED25519 -out "$temporary" 2>/dev/null || { rm -f "$temporary"; die "cannot generate key $path"; }
    else
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve \
            -out "$temporary" 2>/dev/null || { rm -f "$temporary"; die "cannot generate key $path"; }
    fi
    chmod 600 "$temporary"
    # ln never replaces an existing file, so a key created meanwhile survives.
    if ! ln "$temporary" "$path" 2>/dev/null; then
        rm -f "$temporary"
        die "cannot publish key $path (it appeared meanwhile?)"
    fi
    rm -f "$temporary"
    echo "created key $path"
}

require_ca() {
    local dir="$1"
    [[ -f "$dir/ca.key" && -f "$dir/ca.pem" ]] || die "no CA in $dir (run: $PROGRAM init-ca $dir)"
    mkdir -p "$dir/ca-db/certs"
    [[ -f "$dir/ca-db/index.txt" ]] || : >"$dir/ca-db/index.txt"
    [[ -f "$dir/ca-db/index.txt.attr" ]] || echo "unique_subject = no" >"$dir/ca-db/index.txt.attr"
    [[ -f "$dir/ca-db/serial" ]] || openssl rand -hex 16 >"$dir/ca-db/serial"
    [[ -f "$dir/ca-db/crlnumber" ]] || echo 1000 >"$dir/ca-db/crlnumber"
}

absolute() {
    (cd "$1" && pwd -P)
}

command_init_ca() {
    [[ $# -ge 1 ]] || usage
    local dir="$1" days=3650 name="Accord Federation CA"
    shift
    while [[ $# -gt 0 ]]; do
        case "$1" in
        --days) need_value "$@"; positive_integer --days "$2"; days="$2"; shift 2 ;;
        --name) need_value "$@"; name="$2"; shift 2 ;;
        *) die "init-ca: unknown option '$1'" ;;
        esac
    done
    [[ "$name" != */* ]] || die "--name must not contain '/'"
    mkdir -p "$dir"
    dir="$(absolute "$dir")"
    make_key "$dir/ca.key" ec
    if [[ -e "$dir/ca.pem" ]]; then
        echo "keeping existing CA certificate $dir/ca.pem"
    else
        local config="$WORK"
        ca_config "$dir" >"$config/openssl.cnf"
        openssl req -new -x509 -config "$config/openssl.cnf" -key "$dir/ca.key" \
            -sha256 -days "$days" -subj "/O=Accord/CN=$name" -extensions ca_extensions \
            -set_serial "0x$(openssl rand -hex 16)" -out "$dir/ca.pem.tmp.$$" ||
            { rm -f "$dir/ca.pem.tmp.$$"; die "cannot create CA certificate"; }
        chmod 644 "$dir/ca.pem.tmp.$$"
        mv -n "$dir/ca.pem.tmp.$$" "$dir/ca.pem"
        rm -f "$dir/ca.pem.tmp.$$"
        echo "created CA certificate $dir/ca.pem (valid $days days)"
    fi
    require_ca "$dir"
}

command_issue() {
    [[ $# -ge 2 ]] || usage
    local dir="$1" unit="$2" days=365 out="" algorithm=ec start="" end="" unit_uri=yes
    shift 2
    while [[ $# -gt 0 ]]; do
        case "$1" in
        --days) need_value "$@"; positive_integer --days "$2"; days="$2"; shift 2 ;;
        --out) need_value "$@"; out="$2"; shift 2 ;;
        --ed25519) algorithm=ed25519; shift ;;
        --start) need_value "$@"; start="$2"; shift 2 ;;
        --end) need_value "$@"; end="$2"; shift 2 ;;
        --no-unit-uri) unit_uri=no; shift ;;
        *) die "issue: unknown option '$1'" ;;
        esac
    done
    [[ "$unit" =~ $UNIT_PATTERN ]] || die "unit id '$unit' must match $UNIT_PATTERN"
    if [[ -n "$start" || -n "$end" ]]; then
        [[ -n "$start" && -n "$end" ]] || die "--start and --end go together"
        [[ "$start" =~ $TIME_PATTERN && "$end" =~ $TIME_PATTERN ]] || die "--start/--end must look like 20250101000000Z"
        [[ "$start" < "$end" ]] || die "--start must be before --end"
    fi
    [[ -d "$dir" ]] || die "no CA directory $dir"
    dir="$(absolute "$dir")"
    require_ca "$dir"
    out="${out:-$dir/units}"
    mkdir -p "$out"
    out="$(absolute "$out")"
    local key="$out/$unit.key" cert="$out/$unit.pem"
    if [[ -e "$cert" ]]; then
        echo "keeping existing certificate $cert (revoke it and remove it to issue a new one)"
        return
    fi
    make_key "$key" "$algorithm"

    local san="DNS:localhost, IP:127.0.0.1"
    [[ "$unit_uri" == yes ]] && san="URI:accord://unit/$unit, $san"
    local work="$WORK"
    ca_config "$dir" "$san" >"$work/openssl.cnf"
    openssl req -new -config "$work/openssl.cnf" -key "$key" -subj "/O=Accord/OU=$unit/CN=$unit" \
        -out "$work/request.csr" 2>"$work/errors" || { cat "$work/errors" >&2; die "cannot create the request for $unit"; }
    local validity=(-days "$days")
    [[ -n "$start" ]] && validity=(-startdate "$start" -enddate "$end")
    openssl ca -batch -notext -rand_serial -config "$work/openssl.cnf" \
        -extensions leaf_extensions "${validity[@]}" -in "$work/request.csr" -out "$work/leaf.pem" \
        2>"$work/errors" || { cat "$work/errors" >&2; die "cannot sign the certificate for $unit"; }
    chmod 644 "$work/leaf.pem"
    mv -n "$work/leaf.pem" "$cert"
    echo "issued $cert ($san; serial $(openssl x509 -in "$cert" -noout -serial | cut -d= -f2))"
}

command_revoke() {
    [[ $# -eq 2 ]] || usage
    local dir="$1" cert="$2"
    [[ -d "$dir" ]] || die "no CA directory $dir"
    [[ -f "$cert" ]] || die "no certificate file $cert"
    dir="$(absolute "$dir")"
    require_ca "$dir"
    local serial
    serial="$(openssl x509 -in "$cert" -noout -serial | cut -d= -f2)" || die "cannot read certificate $cert"
    if awk -F '\t' -v s="$serial" '$1 == "R" && toupper($4) == toupper(s) { found = 1 } END { exit !found }' \
        "$dir/ca-db/index.txt"; then
        echo "certificate serial $serial is already revoked"
    else
        local work="$WORK"
        ca_config "$dir" >"$work/openssl.cnf"
        openssl ca -batch -config "$work/openssl.cnf" -revoke "$cert" \
            2>"$work/errors" || { cat "$work/errors" >&2; die "cannot revoke $cert"; }
        echo "revoked certificate serial $serial"
    fi
    command_crl "$dir"
}

command_crl() {
    [[ $# -ge 1 ]] || usage
    local dir="$1" days=30
    shift
    while [[ $# -gt 0 ]]; do
        case "$1" in
        --days) need_value "$@"; positive_integer --days "$2"; days="$2"; shift 2 ;;
        *) die "crl: unknown option '$1'" ;;
        esac
    done
    [[ -d "$dir" ]] || die "no CA directory $dir"
    dir="$(absolute "$dir")"
    require_ca "$dir"
    local work="$WORK"
    ca_config "$dir" >"$work/openssl.cnf"
    openssl ca -batch -config "$work/openssl.cnf" -gencrl -crldays "$days" \
        -crlexts crl_extensions -out "$work/crl.pem" 2>"$work/errors" ||
        { cat "$work/errors" >&2; die "cannot generate the CRL"; }
    chmod 644 "$work/crl.pem"
    mv -f "$work/crl.pem" "$dir/crl.pem"
    echo "wrote $dir/crl.pem (next update in $days days)"
}

[[ $# -ge 1 ]] || usage
command -v openssl >/dev/null || die "the openssl command is required"
# Scratch space for configs, requests and errors; removed on exit.
WORK="$(mktemp -d)"
readonly WORK
trap 'rm -rf "$WORK"' EXIT
subcommand="$1"
shift
case "$subcommand" in
init-ca) command_init_ca "$@" ;;
issue) command_issue "$@" ;;
revoke) command_revoke "$@" ;;
crl) command_crl "$@" ;;
-h | --help | help) usage ;;
*) echo "$PROGRAM: unknown command '$subcommand'" >&2; usage ;;
esac
