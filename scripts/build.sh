#!/usr/bin/env bash
# Configures and builds nkappa in build/ (Release, warnings as errors). Used by demo.sh and
# test.sh; extra arguments go to CMake.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DNKAPPA_WERROR=ON "$@" >/dev/null
cmake --build build -j "$jobs"
