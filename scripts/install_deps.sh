#!/usr/bin/env bash
# Installs nkappa's build and test dependencies from Debian 12 packages when any is missing.
# Runs as root, or through sudo when not root.
set -euo pipefail

# libxml2-dev: libsbml.pc requires libxml-2.0, but libsbml5-dev does not depend on it.
packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libsbml5-dev libxml2-dev libsundials-dev libyaml-cpp-dev libboost-random-dev doctest-dev
  libcli11-dev libfmt-dev libssl-dev nlohmann-json3-dev
)
# Extra packages a caller needs (e.g. the tests' headless browser).
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "nkappa: these packages are missing and installing them needs root or sudo: ${missing[*]}" >&2
  exit 1
fi
echo "nkappa: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
