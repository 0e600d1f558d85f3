#!/usr/bin/env bash
# Installs what is missing, builds nkappa, and runs every test (ctest labels unit, stat, suite,
# cli). The shared reference folder is expected at ../shared (or NKAPPA_SHARED_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${NKAPPA_SHARED_DIR:-$(cd .. && pwd)/shared}
# The report test renders report.html in Debian's headless chromium.
bash scripts/install_deps.sh chromium
bash scripts/build.sh -DNKAPPA_SHARED_DIR="$shared"
jobs=$(nproc 2>/dev/null || echo 2)
status=0
(cd build && ctest -j "$jobs" --output-on-failure --timeout 1500) || status=$?
for report in build/reports/*.txt; do
  [ -f "$report" ] || continue
  echo
  echo "== ${report#build/reports/}"
  cat "$report"
done
exit $status
