#!/bin/sh
# Rewrites the lists of SBML Test Suite semantic cases and reference models that nkappa does not
# pass yet (tests/sbml_suite/semantic_unsupported.tsv, reference_models_unsupported.tsv) from a
# fresh run of their tests, after a change that makes cases pass or fail. Review `git diff`
# before committing: every line that disappears is a case that now passes.
#   tests/sbml_suite/regenerate_unsupported.sh [build dir, default build]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
cmake --build "$build" --target nkappa nkappa_suite_tests
NKAPPA_REGENERATE_UNSUPPORTED=1 "$build/tests/nkappa_suite_tests" \
  --test-case="SBML Test Suite\\, semantic*,Reference models*"
git -C "$root" diff --stat -- tests/sbml_suite/
