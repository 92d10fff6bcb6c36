#!/usr/bin/env bash
# dashboard-screenshot.sh: renders the governance dashboard of a demo node in headless Chromium.
#
#   ops/dashboard-screenshot.sh [OUT.png]     default docs/dashboard.png (the overview page)
#
# Starts `accord demo --api-listen`, fetches every dashboard page with the demo's governance token,
# checks that each holds its sections and no external asset, and screenshots the overview (the
# pages need nothing but themselves, so Chromium renders the saved file). Chromium comes from
# Debian's chromium package (installed with apt-get when missing and run as root). The other
# pages are written next to OUT as OUT-<page>.png when SCREENSHOT_ALL=1.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/dashboard.png}"
if ! command -v chromium > /dev/null; then
    if [[ $(id -u) -eq 0 ]]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core > /dev/null
    else
        echo "dashboard-screenshot: chromium is missing (apt-get install chromium)" >&2
        exit 1
    fi
fi
source ops/demo-api.sh
declare -A expect=(
    [dashboard]="peers online|refused batches|company-wide do-not-contact|erasure requests pending|access requests|Federation"
    [federation]="Policy|Peer lacks|We lack|Last contact|Last batch|Refused batches by reason"
    [quality]="Freshness|Completeness|Validity|Duplicate rate"
    [consent]="Opt-out|Opt-down|Decisions per month|consents expiring within 30 days|Rates over time per unit and channel|Channel shifts"
    [privacy]="Erasure requests|DSR-2026-0042|Access requests|Due"
    [consolidation]="Consolidation|records per profile|Match rate each unit added when it joined|pairs waiting for review"
    [segments]="Segment newsletter|Audience over time|Exclusions by reason|Consent movements between recordings|<polyline"
)
for page in "${!expect[@]}"; do
    path="/dashboard"; [[ $page == dashboard ]] || path="/dashboard/$page"
    html="$DEMO_DIR/$page.html"
    curl -sSf --cacert "$DEMO_CA" -H "Authorization: Bearer $DEMO_TOKEN" "$DEMO_URL$path" -o "$html"
    IFS='|' read -ra sections <<< "${expect[$page]}"
    for section in "${sections[@]}"; do
        grep -qF "$section" "$html" || { echo "dashboard-screenshot: $path lacks \"$section\"" >&2; exit 1; }
    done
    if grep -qE '<script|(src|href)="(https?:)?//' "$html"; then echo "dashboard-screenshot: $path loads something from elsewhere" >&2; exit 1; fi
done
shoot() {
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,"$3" \
        --screenshot="$(realpath -m "$2")" "file://$1" > "$DEMO_DIR/chromium.log" 2>&1 \
        || { cat "$DEMO_DIR/chromium.log" >&2; exit 1; }
    [[ -s "$2" ]] || { echo "dashboard-screenshot: chromium wrote no $2" >&2; exit 1; }
}
mkdir -p "$(dirname "$out")"
shoot "$DEMO_DIR/dashboard.html" "$out" 680
if [[ "${SCREENSHOT_ALL:-0}" == 1 ]]; then
    for page in federation quality consent privacy consolidation segments; do shoot "$DEMO_DIR/$page.html" "${out%.png}-$page.png" 1100; done
fi
echo "dashboard-screenshot: wrote $out ($(stat -c %s "$out") bytes)"
