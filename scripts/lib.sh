# Shared by scripts/install-deps.sh, test.sh, demo.sh and the benchmarks:
# which PostgreSQL to use, build and install, and the test store with a
# throwaway TLS certificate. Source it; do not run it.

# Clusters made by pg_virtualenv take their encoding from the locale: make it
# UTF-8 even on a minimal machine with no locale set.
export LANG=C.UTF-8
unset LC_ALL

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Resolved after install-deps has run: a minimal machine has no python3 before.
resolve_python() {
  PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
}
# The test store's conformance test reads real WooCommerce captures from
# shared/woo-reference beside the repository (CI's layout) or /work/shared.
if [ -z "${WOO_REFERENCE:-}" ]; then
  for candidate in "$REPO_ROOT/../shared/woo-reference" /work/shared/woo-reference; do
    if [ -d "$candidate/real" ]; then export WOO_REFERENCE=$(cd "$candidate" && pwd); break; fi
  done
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

# The PostgreSQL major version every script builds, tests and demonstrates
# against: $PG_MAJOR when set, else the one the distribution's own
# "postgresql" package stands for (15 on Debian 12, 17 on Debian 13, 18 on
# forky), read from apt's local package lists.
distribution_pg_major() {
  apt-cache depends postgresql 2>/dev/null | sed -n 's/^ *Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -n 1
}

# resolve_pg: exports PG_MAJOR and the matching PG_CONFIG; pg_virtualenv and
# pg_ctlcluster are called with "$PG_MAJOR" (pg_virtualenv -v "$PG_MAJOR").
# Without apt lists (an image that cleaned them) the newest installed server
# is taken.
resolve_pg() {
  if [ -z "${PG_MAJOR:-}" ]; then
    PG_MAJOR=$(distribution_pg_major)
  fi
  if [ -z "${PG_MAJOR:-}" ]; then
    PG_MAJOR=$(ls /usr/lib/postgresql 2>/dev/null | grep -E '^[0-9]+$' | sort -n | tail -n 1)
  fi
  if [ -z "${PG_MAJOR:-}" ]; then
    echo "cannot tell which PostgreSQL to use: set PG_MAJOR (e.g. PG_MAJOR=17)" >&2
    return 1
  fi
  export PG_MAJOR
  export PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config
}

# make with the resolved pg_config (sudo drops the environment: pass it as
# a make variable).
build_and_install() {
  resolve_pg || return 1
  make -C "$REPO_ROOT" -s -j"$(nproc)" PG_CONFIG="$PG_CONFIG" >/dev/null
  $SUDO make -C "$REPO_ROOT" -s install PG_CONFIG="$PG_CONFIG" >/dev/null
}

# A CA and a server certificate for 127.0.0.1/localhost in $1 (readable by
# the postgres user, which verifies the store's certificate). Both carry the
# extensions strict verifiers demand (Python 3.13 sets VERIFY_X509_STRICT):
# a critical CA basicConstraints and keyUsage, key identifiers, serverAuth.
make_test_certificates() {
  local dir=$1
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=woocommerce_fdw test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$dir/store.key" -out "$dir/store.csr" >/dev/null 2>&1
  printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'basicConstraints=critical,CA:FALSE' \
    'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth' \
    'subjectKeyIdentifier=hash' 'authorityKeyIdentifier=keyid,issuer' > "$dir/ext.cnf"
  openssl x509 -req -in "$dir/store.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 2 -extfile "$dir/ext.cnf" -out "$dir/store.pem" >/dev/null 2>&1
  chmod 755 "$dir"
  chmod 644 "$dir"/*.pem
}

# free_ports N: N distinct TCP ports of 127.0.0.1 that nothing listens on
# now (the kernel's choice, held open together so they differ).
free_ports() {
  resolve_python
  "$PYTHON" - "$1" <<'PY'
import socket, sys
held = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    held.append(s)
print(" ".join(str(s.getsockname()[1]) for s in held))
PY
}

# start_store DIR HTTP_PORT HTTPS_PORT [extra woostore flags...]
# A port "auto" (or empty) is a free one, chosen now; a port taken between
# the choice and the store's start is chosen again. Exports WOO_STORE_HTTP,
# WOO_STORE_HTTPS, WOO_STORE_HTTP_PORT, WOO_STORE_HTTPS_PORT,
# WOO_STORE_CA_FILE and STORE_PID.
start_store() {
  local dir=$1 want_http=${2:-auto} want_https=${3:-auto} attempt http_port https_port
  shift 3
  make_test_certificates "$dir"
  resolve_python
  for attempt in 1 2 3 4 5; do
    read -r http_port https_port < <(free_ports 2)
    [ "$want_http" = auto ] || http_port=$want_http
    [ "$want_https" = auto ] || https_port=$want_https
    if start_store_on "$dir" "$http_port" "$https_port" "$@"; then return 0; fi
    # Only a lost race for a port chosen here is worth another try.
    if [ "$want_http" != auto ] && [ "$want_https" != auto ]; then break; fi
    grep -q 'Address already in use' "$dir/store.log" 2>/dev/null || break
  done
  echo "the test store did not start; its log:" >&2
  cat "$dir/store.log" >&2
  return 1
}

start_store_on() {
  local dir=$1 http_port=$2 https_port=$3
  shift 3
  "$PYTHON" "$REPO_ROOT/test/store/woostore.py" --port "$http_port" --tls-port "$https_port" \
    --tls-cert "$dir/store.pem" --tls-key "$dir/store.key" --quiet "$@" >"$dir/store.log" 2>&1 &
  STORE_PID=$!
  export WOO_STORE_HTTP_PORT=$http_port WOO_STORE_HTTPS_PORT=$https_port
  export WOO_STORE_HTTP="http://127.0.0.1:$http_port"
  export WOO_STORE_HTTPS="https://127.0.0.1:$https_port"
  export WOO_STORE_CA_FILE="$dir/ca.pem"
  for _ in $(seq 1 100); do
    if curl -sf "$WOO_STORE_HTTP/__store/health" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$STORE_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  stop_store
  return 1
}

stop_store() {
  [ -n "${STORE_PID:-}" ] && kill "$STORE_PID" 2>/dev/null && wait "$STORE_PID" 2>/dev/null
  STORE_PID=""
}

# start_hostile DIR: the hostile store (test/hostile), on a free loopback
# port, with a DNS server that never answers on $WOO_BLACKHOLE_DNS (binding
# port 53 needs root; without it the DNS part is left out).
# Exports WOO_HOSTILE_URL, WOO_BLACKHOLE_DNS_UP (1 or 0), HOSTILE_PID.
WOO_BLACKHOLE_DNS=${WOO_BLACKHOLE_DNS:-127.0.0.153}
start_hostile() {
  local dir=$1 dns=()
  mkdir -p "$dir"
  resolve_python
  rm -f "$dir/hostile.port"
  export WOO_BLACKHOLE_DNS_UP=0
  if [ "$(id -u)" -eq 0 ]; then dns=(--dns "$WOO_BLACKHOLE_DNS:53"); fi
  "$PYTHON" "$REPO_ROOT/test/hostile/hostile_store.py" --port 0 --port-file "$dir/hostile.port" "${dns[@]}" \
    >"$dir/hostile.log" 2>&1 &
  HOSTILE_PID=$!
  for _ in $(seq 1 100); do
    if [ -s "$dir/hostile.port" ]; then
      export WOO_HOSTILE_URL="http://127.0.0.1:$(cat "$dir/hostile.port")"
      if curl -sf "$WOO_HOSTILE_URL/__hostile/health" >/dev/null 2>&1; then
        [ ${#dns[@]} -gt 0 ] && export WOO_BLACKHOLE_DNS_UP=1
        return 0
      fi
    fi
    if ! kill -0 "$HOSTILE_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "the hostile store did not start; its log:" >&2
  cat "$dir/hostile.log" >&2
  return 1
}

stop_hostile() {
  [ -n "${HOSTILE_PID:-}" ] && kill "$HOSTILE_PID" 2>/dev/null && wait "$HOSTILE_PID" 2>/dev/null
  HOSTILE_PID=""
}

# with_private_resolver DIR CMD...: runs CMD with /etc/resolv.conf naming the
# hostile store's silent DNS server, in a mount namespace of its own (the
# machine's resolv.conf is untouched), so that the cluster's backends can be
# cancelled in the middle of a name lookup that never ends. Without root (or
# the DNS server, or with WOO_TEST_PRIVATE_RESOLVER=0), runs CMD as it is
# with WOO_PRIVATE_RESOLVER=0.
with_private_resolver() {
  local dir=$1
  shift
  if [ "${WOO_TEST_PRIVATE_RESOLVER:-1}" = 0 ] || [ "${WOO_BLACKHOLE_DNS_UP:-0}" != 1 ] || [ "$(id -u)" -ne 0 ] ||
     ! command -v unshare >/dev/null; then
    WOO_PRIVATE_RESOLVER=0 "$@"
    return
  fi
  printf 'nameserver %s\noptions timeout:5 attempts:2\n' "$WOO_BLACKHOLE_DNS" > "$dir/resolv.conf"
  chmod 644 "$dir/resolv.conf"
  WOO_PRIVATE_RESOLVER=1 unshare --mount --propagation unchanged -- \
    bash "$REPO_ROOT/scripts/private-resolver.sh" "$dir/resolv.conf" "$@"
}
