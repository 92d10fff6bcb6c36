#!/usr/bin/env bash
# check-logs.sh: fails when log files carry personal data of the generated test customers.
#
#   ops/check-logs.sh DIR...      every *.log file under DIR
#
# Looks for what a customer's data looks like: e-mail addresses, phone numbers in E.164, and the
# given and family names of the sample generator (Sources/AccordSampleData/SampleNames.swift,
# whole words, as written). Logs may carry unit ids, record keys, counts and reasons, never values.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -gt 0 ]] || { sed -n '4,4p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }

names="$(mktemp)"
trap 'rm -f "$names"' EXIT
# Every quoted word of four letters or more in the name lists.
grep -o '"[^"]*"' Sources/AccordSampleData/SampleNames.swift | tr -d '"' | tr ' -' '\n\n' \
    | grep -E '^[[:upper:]][[:alpha:]]{3,}$' | sort -u > "$names"

files=()
while IFS= read -r -d '' file; do files+=("$file"); done < <(find "$@" -name '*.log' -type f -print0)
if [[ ${#files[@]} -eq 0 ]]; then
    echo "check-logs: no log files under $*" >&2
    exit 1
fi
lines=$(cat "${files[@]}" | wc -l)

found=0
report() {
    echo "check-logs: $1:" >&2
    echo "$2" | head -5 | cut -c1-300 >&2
    found=1
}
if hits=$(grep -h -E '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}' "${files[@]}"); then report "an e-mail address" "$hits"; fi
if hits=$(grep -h -E '\+[1-9][0-9]{7,14}' "${files[@]}"); then report "a phone number" "$hits"; fi
if hits=$(grep -h -w -F -f "$names" "${files[@]}"); then report "a customer's name" "$hits"; fi
if [[ $found -ne 0 ]]; then exit 1; fi
echo "check-logs: ${#files[@]} log files, $lines lines: no e-mail address, phone number or sample name"
