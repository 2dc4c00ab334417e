#!/usr/bin/env bash
# Installs every Debian 12 package the build, the tests and the demo use.
# Idempotent: when everything is present it only checks and returns.
# --profiling adds what test/bench/profile.sh needs (not needed by CI).
set -euo pipefail

PACKAGES=(
  # build
  g++ make cmake pkg-config
  postgresql-15 postgresql-server-dev-15 postgresql-common
  libcurl4-openssl-dev libssl-dev zlib1g-dev nlohmann-json3-dev libgtest-dev
  libmicrohttpd-dev
  # tests, demo and test store
  postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl postgresql-15-cron
  python3 openssl curl ca-certificates procps
)
if [ "${1:-}" = "--profiling" ]; then
  PACKAGES+=(linux-perf valgrind)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
