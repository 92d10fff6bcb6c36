#!/usr/bin/env bash
# fuzz.sh: runs Accord's fuzz targets under libFuzzer with AddressSanitizer.
#
#   ops/fuzz.sh [--seconds N] [TARGET...]     default: 60 seconds per target, every target
#
# Targets: frames batch entry policy csv jsonl http segment (Sources/AccordFuzzing). Each run starts from the
# seeds (made by the real encoders) and the kept corpus in Tests/Fuzz/Corpus/TARGET,
# and adds what it finds there. A crash writes its input to Tests/Fuzz/Crashers/TARGET
# (kept as a regression test: the test suite replays every file there) and fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
targets=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) targets+=("$1"); shift ;;
    esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=(frames batch entry policy csv jsonl http segment)

scratch=.build-fuzz
echo "Building accord-fuzz with -sanitize=fuzzer,address (in $scratch)"
# The coverage flags are explicit: with -sanitize=address next to it, -sanitize=fuzzer alone leaves
# the code without coverage counters (libFuzzer then warns "Is the code instrumented for coverage?"
# and mutates blind).
swift build -c release --scratch-path "$scratch" --sanitize=fuzzer --sanitize=address \
    -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
    -Xswiftc -DACCORD_LIBFUZZER --product accord-fuzz
fuzzer="$scratch/release/accord-fuzz"

# Seeds come from the replay build of the same executable (no libFuzzer main there).
swift build -c release --scratch-path "$scratch-replay" --product accord-fuzz >/dev/null
replay="$scratch-replay/release/accord-fuzz"

# A crash is reported by libFuzzer and ASan; Swift's own backtracer would only delay it.
export SWIFT_BACKTRACE=enable=no
failed=0
for target in "${targets[@]}"; do
    corpus="Tests/Fuzz/Corpus/$target"
    crashers="Tests/Fuzz/Crashers/$target"
    work="$(mktemp -d)"
    mkdir -p "$corpus" "$crashers"
    "$replay" seed "$target" "$work" >/dev/null
    echo "== $target: $seconds s"
    if ! ACCORD_FUZZ_TARGET="$target" "$fuzzer" "$work" "$corpus" -max_total_time="$seconds" -max_len=65536 \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashers/" 2>"$work/log"; then
        failed=1
        echo "!! $target: the fuzzer found a failure; input kept in $crashers" >&2
        tail -40 "$work/log" >&2
    fi
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$work/log" | sed "s/^/   $target /" || true
    grep -E "^#[0-9]+[[:space:]]+DONE" "$work/log" | sed "s/^/   $target /" || true
    if grep -q "Is the code instrumented for coverage" "$work/log"; then
        echo "!! $target: libFuzzer saw no coverage (objects built without the coverage flags? remove $scratch and re-run)" >&2
        failed=1
    fi
    # Keep the corpus small: merge what this run found into the kept corpus.
    mkdir -p "$work/merged"
    ACCORD_FUZZ_TARGET="$target" "$fuzzer" -merge=1 "$work/merged" "$corpus" "$work" >/dev/null 2>&1 || true
    # Only a merge that kept something replaces the corpus (a failed merge must not empty it).
    if [[ -n "$(ls -A "$work/merged")" ]]; then rm -rf "$corpus" && mv "$work/merged" "$corpus"; fi
    echo "   $target corpus: $(ls "$corpus" | wc -l) files"
    rm -rf "$work"
done
exit $failed
