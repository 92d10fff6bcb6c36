#!/usr/bin/env bash
# The HTTPS API benchmark: record reads by id over keep-alive with wrk against a node holding
# 1,000,000 records (accord-bench api). Installs wrk (Debian package) if it is missing.
# Usage: Benchmarks/api.sh [--records N] [--duration S] [--connections C] [--keep DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
    echo "# installing wrk (apt-get install -y wrk)" >&2
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y wrk >/dev/null 2>&1 || { $sudo apt-get update >/dev/null && $sudo apt-get install -y wrk >/dev/null; }
fi
swift build -c release --product accord-bench
exec .build/release/accord-bench api --wrk "$(command -v wrk)" "$@"
