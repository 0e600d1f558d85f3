#!/usr/bin/env bash
# The main job: NF-kB activation in wild type versus hypomorphic NEMO (three mutant classes) and
# IL-2 on the mutant, cell by cell, on the bundled model. Installs what is missing, builds, runs,
# prints the summary table and writes nkappa-out/compare/report.html.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
# 48 cells per variant keep the run near two minutes on two cores with the exact SSA (about 1e7
# reaction events per cell); the model README says what 48 cells resolve. Add --cells 200 for the
# published-size ensembles, or drop --variants to run every scenario.
build/cli/nkappa compare models/nfkb_nemo/scenarios.yaml \
  --variants wt,hypo_ub,hypo_cc,hypo_low,il2_mut \
  --cells 48 --out nkappa-out/compare "$@"
