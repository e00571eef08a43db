#!/usr/bin/env bash
# Measures the catalogue against the same server's health Check (see
# bench/README.md): GetCodePage for a pro session (unmetered: the meter
# answers "unlimited"; with and without the 5 s unlimited-session cache) and
# for a metered free session, each as a QPS ratio to health Check in the
# same run, plus load time and peak RSS from the server's start-up log line.
#
#   bench/catalogue/run.sh            # builds a Release tree in build-release-catalogue
#   BUILD=/path/to/build DURATION=3s CONCURRENCY=8 REBUILD=0 bench/catalogue/run.sh
#
# The meter is the real account service (oe_account_server) on its own
# redis-server, both started here on free loopback ports; so the metered
# ratio includes one ConsumeView RPC and its Redis script per page.
set -euo pipefail
SRC="$(cd "$(dirname "$0")/../.." && pwd)"
. "$SRC/scripts/throwaway-certs.sh"  # mutual TLS as deployed (OE_INSECURE=1: plaintext)
BUILD="${BUILD:-$SRC/build-release-catalogue}"
DURATION="${DURATION:-3s}"
CONCURRENCY="${CONCURRENCY:-8}"
SHARED="${OE_SHARED_DATA:-$SRC/../shared/data}"
if [[ ! -x "$BUILD/services/catalogue/oe_catalogue_server" || "${REBUILD:-1}" == 1 ]]; then
  cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DOE_TOLERATE_MISSING_SOURCES=ON >/dev/null
  cmake --build "$BUILD" -j2 --target oe_catalogue_server oe_account_server oe_loadgen \
    oe_bench_account_sessions
fi

. "$SRC/bench/catalogue/backend.sh"
start_account_backend

page() {  # $1: label, $2: session token
  local out
  out=$("$BUILD/bench/loadgen/oe_loadgen" --target="127.0.0.1:$CAT_PORT" \
    --method=openencoder.catalogue.v1.CatalogueService/GetCodePage \
    --request="code: \"E11.9\" session_token: \"$2\"" \
    --concurrency="$CONCURRENCY" --duration="$DURATION" --warmup=1s --json)
  python3 -c 'import json, sys
d = json.loads(sys.argv[2]); t = d["runs"]["target"]; b = d["runs"]["baseline"]; q = d["ratio"]
print("%-30s target %7.0f qps  health %7.0f qps  ratio %.3f  p99 ratio %.2f  errors %d"
      % (sys.argv[1], t["qps"], b["qps"], q["qps"], q["p99"], t["errors"]))' "$1" "$out"
}

echo "== load of the shared data (seconds, vm_hwm_kb = peak RSS in kB)"
LOADLOG="$WORK/load.log"
OE_SOURCE_DIR="$SRC" OE_SHARED_DATA="$SHARED" "$BUILD/services/catalogue/oe_catalogue_server" \
  --listen=127.0.0.1:0 --data_manifest=data/manifests/shared-data.tsv \
  --account_addr="127.0.0.1:$ACC_PORT" 2>"$LOADLOG" &
LOAD_PID=$!
pids+=($LOAD_PID)
for _ in $(seq 300); do grep -q '"serving"' "$LOADLOG" && break; sleep 0.1; done
grep '"catalogue loaded"' "$LOADLOG"
kill "$LOAD_PID"; wait "$LOAD_PID" 2>/dev/null || true

echo "== GetCodePage vs health Check, concurrency $CONCURRENCY, $DURATION per side"
echo "   (meter: real oe_account_server on redis-server :$REDIS_PORT)"
start_catalogue 5s
# Measure pages, not teasers: both sessions must get the full page.
"$BUILD/bench/catalogue/oe_bench_account_sessions" \
  --check_catalogue="127.0.0.1:$CAT_PORT" --sessions="$PAID,$FREE"
page "pro, unlimited cache 5s" "$PAID"
page "metered (free session)" "$FREE"
kill "$CAT_PID"; wait "$CAT_PID" 2>/dev/null || true
start_catalogue 0s
page "pro, no unlimited cache" "$PAID"
