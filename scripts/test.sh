#!/usr/bin/env bash
# Installs what is missing, builds nkappa, and runs every test (ctest labels unit, stat, suite,
# cli; not `long`, the >= 200-cell runs: ctest --test-dir build -L long). The shared reference
# folder is expected at ../shared (or NKAPPA_SHARED_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${NKAPPA_SHARED_DIR:-$(cd .. && pwd)/shared}
# The report test renders report.html in Debian's headless chromium.
bash scripts/install_deps.sh chromium
bash scripts/build.sh -DNKAPPA_SHARED_DIR="$shared"
jobs=$(nproc 2>/dev/null || echo 2)
log=build/ctest.log
set +e
(cd build && ctest -j "$jobs" -LE long --output-on-failure --timeout 1500) 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
grep -q "tests passed" "$log" || status=1
for report in build/reports/*.txt; do
  [ -f "$report" ] || continue
  echo
  echo "== ${report#build/reports/}"
  cat "$report"
done
# ctest's own count, repeated as the last line.
summary=$(grep -E "tests passed, [0-9]+ tests failed out of [0-9]+" "$log" | tail -1 || true)
if [ -n "$summary" ]; then
  failed=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$summary")
  total=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$summary")
  skipped=$(grep -c "\*\*\*Skipped\|Not Run" "$log" || true)
  echo
  echo "ctest: $((total - failed - skipped)) passed, $failed failed, $skipped skipped"
fi
exit "$status"
