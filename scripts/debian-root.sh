#!/usr/bin/env bash
# Runs a command in a freshly bootstrapped minimal Debian root, the way a
# newcomer's machine would be: debootstrap (minbase) from this machine's own
# Debian mirror, nothing installed by hand.
#
# Usage (as root, on Debian):  scripts/debian-root.sh SUITE 'COMMAND'
#   SUITE    bookworm (Debian 12), trixie (Debian 13), forky (Debian testing), ...
#   COMMAND  run with bash -lc in a copy of this repository (its tracked and
#            untracked, not ignored files), as root (or DEBIAN_ROOT_USER); e.g. 'scripts/test.sh'
# Prints COMMAND's output and exits with its status.
#
# Env:
#   DEBIAN_ROOT_USER=name    run COMMAND as this user (created, with passwordless
#                            sudo) instead of root: the README's "with sudo" road
#   DEBIAN_ROOT_ISOLATE=1    (default) first run scripts/install-deps.sh with the
#                            network, then COMMAND in a private network namespace
#                            (its own loopback only): its ports collide with
#                            nothing and it reaches no other address.
#                            0: COMMAND runs with this machine's network (and
#                            installs what it needs itself, as on a new machine)
#   DEBIAN_ROOT_CACHE=dir    keep debootstrap's result there as SUITE.tar and
#                            reuse it for a day (default: no cache, a fresh bootstrap)
#   DEBIAN_ROOT_DIR=dir      keep the root there and reuse it on the next run (the
#                            project copy is refreshed; installed packages stay):
#                            for iterating, not for CI
#   PG_MAJOR                 passed on to the root (scripts/install-deps.sh)
#
# Without DEBIAN_ROOT_DIR the root lives under ${TMPDIR:-/tmp} and is removed
# afterwards; nothing is ever deleted through a mount.
set -euo pipefail

suite=${1:?usage: debian-root.sh SUITE COMMAND}
cmd=${2:?usage: debian-root.sh SUITE COMMAND}
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "debian-root: run as root (debootstrap and chroot need it)" >&2; exit 2; }

say() { printf 'debian-root[%s] %dm%02ds: %s\n' "$suite" $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }

# This machine's Debian mirror, from deb822 sources or the one-line format.
debian_mirror() {
  local m=""
  if [ -r /etc/apt/sources.list.d/debian.sources ]; then
    m=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$m" ] && [ -r /etc/apt/sources.list ]; then
    m=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' \
        /etc/apt/sources.list)
  fi
  echo "${m:-http://deb.debian.org/debian}"
}

host_tools() {
  local missing=()
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v unshare >/dev/null || missing+=(util-linux)
  command -v ip >/dev/null || missing+=(iproute2)
  [ -e "$REPO_ROOT/.git" ] && ! command -v git >/dev/null && missing+=(git)
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} on this machine"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# debootstrap SUITE into $1. Suites newer than this machine's debootstrap
# knows (testing) use the sid script, which every release carries.
bootstrap() {
  local dest=$1 mirror script="" log
  mirror=$(debian_mirror)
  [ -e "/usr/share/debootstrap/scripts/$suite" ] || script=/usr/share/debootstrap/scripts/sid
  log=$(mktemp "${TMPDIR:-/tmp}/woocommerce_fdw-debootstrap.XXXXXX")
  say "debootstrap --variant=minbase $suite from $mirror"
  if ! debootstrap --variant=minbase "$suite" "$dest" "$mirror" $script >"$log" 2>&1; then
    tail -n 30 "$log" >&2; rm -f "$log"; return 1
  fi
  rm -f "$log"
  # The root's apt sources: the suite itself, plus its security updates for releases.
  rm -f "$dest/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$mirror" "$suite"
  } > "$dest/etc/apt/sources.list.d/debian.sources"
  # Testing's Release files expire within a week; a mirror that lags behind
  # (or a frozen snapshot) would stop apt in this throwaway root.
  echo 'Acquire::Check-Valid-Until "false";' > "$dest/etc/apt/apt.conf.d/99debian-root-valid-until"
}

make_root() {
  local dest=$1 cache
  if [ -n "${DEBIAN_ROOT_CACHE:-}" ]; then
    mkdir -p "$DEBIAN_ROOT_CACHE"
    cache="$DEBIAN_ROOT_CACHE/$suite.tar"
    if [ -s "$cache" ] && [ -n "$(find "$cache" -mmin -1440)" ]; then
      say "unpacking the cached bootstrap $cache"
      tar -C "$dest" -xf "$cache"
      return 0
    fi
    bootstrap "$dest"
    tar -C "$dest" -cf "$cache.tmp" . && mv "$cache.tmp" "$cache"
  else
    bootstrap "$dest"
  fi
}

# The repository as it is checked out (tracked and untracked files, nothing
# git ignores: no build output), and the WooCommerce reference beside it.
copy_project() {
  local dest=$1
  mkdir -p "$dest/opt/ci/project" "$dest/opt/ci/shared"
  if [ -e "$REPO_ROOT/.git" ] && git -C "$REPO_ROOT" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$REPO_ROOT" && git ls-files -z --cached --others --exclude-standard |
       while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
       tar --null -T - -cf -) | tar -C "$dest/opt/ci/project" -xf -
  else
    tar -C "$REPO_ROOT" --exclude=./build --exclude='*.o' --exclude='*.so' --exclude='*.bc' --exclude='*.d' \
      -cf - . | tar -C "$dest/opt/ci/project" -xf -
  fi
  local ref=${WOO_REFERENCE:-}
  [ -n "$ref" ] || for c in "$REPO_ROOT/../shared/woo-reference" /work/shared/woo-reference; do
    [ -d "$c/real" ] && { ref=$c; break; }
  done
  [ -n "$ref" ] && cp -r "$ref" "$dest/opt/ci/shared/woo-reference"
  return 0
}

keep=0
if [ -n "${DEBIAN_ROOT_DIR:-}" ]; then
  root=$(mkdir -p "$DEBIAN_ROOT_DIR" && cd "$DEBIAN_ROOT_DIR" && pwd); keep=1
else
  root=$(mktemp -d "${TMPDIR:-/tmp}/woocommerce_fdw-root-$suite.XXXXXX")
fi
chmod 755 "$root"  # it is the root's /: every user of the root must pass through it

# The root's /proc, /sys and /dev. Preferably in a private mount namespace
# per command: they vanish with it, even when it is killed. Where that is
# impossible (this script itself running in a chroot, whose / is no mount
# point), they are mounted here once, as slaves (unmounting them never
# reaches the host's), and unmounted by cleanup.
private_mounts=0
unshare --mount --propagation private true 2>/dev/null && private_mounts=1

mount_root_fs() {
  mountpoint -q "$root/proc" && return 0
  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys"
  mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"
}

umount_root_fs() {
  local m
  for m in dev sys proc; do
    if mountpoint -q "$root/$m"; then umount -R "$root/$m" 2>/dev/null || umount -R -l "$root/$m"; fi
  done
}

cleanup() {
  [ "$private_mounts" = 1 ] || umount_root_fs
  [ "$keep" = 1 ] && return
  # Never delete through a mount that is still there.
  if grep -q " $root/" /proc/mounts; then say "mounts left under $root; not removing it"; return; fi
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT

host_tools
if [ "$keep" = 1 ] && [ -e "$root/etc/debian_version" ]; then
  say "reusing the root $root"
  rm -rf --one-file-system "$root/opt/ci"
else
  make_root "$root"
fi
copy_project "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf"
echo "127.0.0.1 localhost $(cat /proc/sys/kernel/hostname)" > "$root/etc/hosts"
echo "::1 localhost ip6-localhost ip6-loopback" >> "$root/etc/hosts"

# in_root NET SCRIPT: runs SCRIPT (bash -c, as root) in the root; NET=private
# gives it a private network namespace with only its loopback up. SCRIPT
# finds the user's command in $ROOT_CMD (passed through the environment: no
# quoting to get wrong).
in_root() {
  local net=$1 script=$2 flags=()
  [ "$net" = private ] && flags+=(--net)
  if [ "$private_mounts" = 1 ]; then flags+=(--mount --propagation private); else mount_root_fs; fi
  unshare "${flags[@]}" bash -c '
    set -e
    r=$1; net=$2; private_mounts=$5
    [ "$net" = private ] && ip link set lo up
    if [ "$private_mounts" = 1 ]; then
      mount -t proc proc "$r/proc"
      mount --rbind /sys "$r/sys"
      mount --rbind /dev "$r/dev"
    fi
    exec chroot "$r" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI="${CI:-}" PG_MAJOR="${PG_MAJOR:-}" \
      ROOT_CMD="$4" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin bash -c "$3"' \
    in_root "$root" "$net" "$script" "$cmd" "$private_mounts"
}

user=${DEBIAN_ROOT_USER:-}
if [ -n "$user" ]; then
  in_root host "set -e
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends sudo >/dev/null
    id -u $user >/dev/null 2>&1 || useradd --create-home --shell /bin/bash $user
    echo '$user ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/$user
    chown -R $user: /opt/ci"
  run="cd /opt/ci/project && exec runuser -u $user -- env HOME=/home/$user USER=$user LOGNAME=$user bash -lc \"cd /opt/ci/project && \$ROOT_CMD\""
else
  run='cd /opt/ci/project && exec bash -lc "cd /opt/ci/project && $ROOT_CMD"'
fi

if [ "${DEBIAN_ROOT_ISOLATE:-1}" = 1 ]; then
  say "installing the project's packages (with the network)"
  in_root host "cd /opt/ci/project && bash scripts/install-deps.sh"
  say "running '$cmd' in a private network namespace"
  status=0; in_root private "$run" || status=$?
else
  say "running '$cmd'"
  status=0; in_root host "$run" || status=$?
fi
say "'$cmd' ended with status $status"
exit "$status"
