#!/usr/bin/env bash
# Installs every Debian package the build, the tests, the demo and the
# benchmarks use, for the distribution's own PostgreSQL (15 on Debian 12,
# 17 on Debian 13, 18 on Debian testing) or the major named by PG_MAJOR.
# Works on a fresh minimal Debian (no compiler, no python3), as root or
# through sudo. Idempotent: when everything is present it only checks and
# returns, without the network.
#
# Usage: scripts/install-deps.sh            PG_MAJOR=17 scripts/install-deps.sh
#        scripts/install-deps.sh --profiling   also what test/bench/profile.sh needs (not CI)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export DEBIAN_FRONTEND=noninteractive
apt_updated=0
apt_update() {
  [ "$apt_updated" = 1 ] && return 0
  if [ -n "$SUDO" ] && ! command -v sudo >/dev/null; then
    echo "install-deps: need root (or sudo) to install packages" >&2; exit 1
  fi
  echo "install-deps: apt-get update"
  $SUDO apt-get update -qq
  apt_updated=1
}

# A fresh machine may have no package lists yet: then the distribution's
# PostgreSQL is known only after an update.
if [ -z "${PG_MAJOR:-}" ] && [ -z "$(distribution_pg_major)" ]; then apt_update; fi
resolve_pg

PACKAGES=(
  # build (postgresql-server-dev-N brings the clang/llvm its PGXS uses for the JIT bitcode)
  g++ make cmake pkg-config
  "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" postgresql-common
  libcurl4-openssl-dev libssl-dev zlib1g-dev nlohmann-json3-dev libgtest-dev
  libmicrohttpd-dev
  # tests, demo, benchmarks and the test store
  "postgresql-$PG_MAJOR-pgtap" libtap-parser-sourcehandler-pgtap-perl "postgresql-$PG_MAJOR-cron"
  python3 openssl curl ca-certificates procps
  # fuzzing (test/fuzz): libFuzzer, AddressSanitizer, UndefinedBehaviorSanitizer; unshare and findmnt
  # for the cluster's private resolver (scripts/private-resolver.sh)
  clang libclang-rt-dev util-linux
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

apt_update
# Name what this release does not carry instead of apt's bare "Unable to locate".
for pkg in "${missing[@]}"; do
  if [ -z "$(apt-cache policy "$pkg" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '(none)')" ]; then
    echo "install-deps: this Debian release has no package $pkg (PostgreSQL $PG_MAJOR)." >&2
    echo "install-deps: the distribution's own PostgreSQL is $(distribution_pg_major); unset PG_MAJOR to use it." >&2
    exit 1
  fi
done
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
