#!/usr/bin/env bash
# Configures and builds nkappa in build/ (Release, warnings as errors). Used by demo.sh and
# test.sh; extra arguments go to CMake.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p build
if ! cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DNKAPPA_WERROR=ON "$@" >build/configure.log 2>&1; then
  cat build/configure.log >&2
  echo "nkappa: configuring failed (log: build/configure.log)" >&2
  exit 1
fi
cmake --build build -j "$jobs"
