#!/usr/bin/env bash
# Runs inside a new mount namespace (scripts/lib.sh with_private_resolver):
# binds $1 over /etc/resolv.conf, then runs the rest of the arguments. The
# mount holding resolv.conf is made private first, so that the bind mount
# never propagates back to the machine; if that cannot be ensured, it stops.
set -euo pipefail
conf=$1
shift
target=$(realpath /etc/resolv.conf)
holder=$(findmnt -n -o TARGET -T "$target" 2>/dev/null || true)
if [ -n "$holder" ]; then
  mount --make-rprivate "$holder" 2>/dev/null || mount --make-private "$holder" 2>/dev/null || true
  if findmnt -n -o PROPAGATION -T "$target" | grep -q shared; then
    echo "private-resolver: $holder stays shared; not touching resolv.conf" >&2
    exit 97
  fi
fi
mount --bind "$conf" "$target"
exec "$@"
