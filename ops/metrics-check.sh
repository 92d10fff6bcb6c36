#!/usr/bin/env bash
# metrics-check.sh: checks a running node's GET /metrics with promtool.
#
#   ops/metrics-check.sh          starts `accord demo --api-listen`, scrapes /metrics, runs `promtool check metrics`
#
# promtool comes from Debian's prometheus package (installed with apt-get when missing and run
# as root). The test suite checks the same output with a strict parser of the format
# (Tests/AccordAPITests/PrometheusFormat.swift) where promtool is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v promtool > /dev/null; then
    if [[ $(id -u) -eq 0 ]]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus > /dev/null
    else
        echo "metrics-check: promtool is missing (apt-get install prometheus)" >&2
        exit 1
    fi
fi
source ops/demo-api.sh
metrics="$DEMO_DIR/metrics.txt"
# Twice: a request is counted once answered, so the second scrape shows the first.
for _ in 1 2; do curl -sSf --cacert "$DEMO_CA" -H "Authorization: Bearer $DEMO_TOKEN" "$DEMO_URL/metrics" -o "$metrics"; done
promtool check metrics < "$metrics"
for family in accord_policy_version accord_records accord_peers_connected accord_peer_lag_batches accord_refused_batches \
              accord_erasure_requests accord_sync_batches_total accord_sync_apply_duration_seconds_bucket accord_imports_total \
              accord_http_requests_total accord_http_request_duration_seconds_bucket; do
    grep -q "^$family" "$metrics" || { echo "metrics-check: no $family in /metrics" >&2; exit 1; }
done
echo "metrics-check: $(grep -vc '^#' "$metrics") samples in $(grep -c '^# TYPE' "$metrics") families pass promtool check metrics"
