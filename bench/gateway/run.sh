#!/usr/bin/env bash
# Gateway vs direct gRPC, same run, same backend: wrk against
# GET /api/v1/search and oe_loadgen calling SearchService/Search directly,
# interleaved (direct, gateway, direct, gateway) so machine noise hits both.
# Prints each run and the ratio gateway_rps / direct_qps (target >= 0.6).
#   usage: bench/gateway/run.sh [build dir]     (needs wrk: scripts/setup --bench)
#   OE_BENCH_SECONDS per run (default 5), OE_BENCH_CONNECTIONS (default 8),
#   OE_BENCH_QUERY (default "heart attack").
# The backend is the real oe_search_server over the real oe_catalogue_server
# (demo data; OE_DATA_MANIFEST / OE_SHARED_DATA pick another data set, e.g.
# data/manifests/shared-data.tsv). Fails when they are not built.
# OE_GATEWAY_BIN: another gateway binary to measure (default: the build's).
# OE_GATEWAY_BASELINE_BIN: a second gateway (e.g. an older build) measured
# in the same run against the same backend, interleaved with the first:
# direct, gateway, baseline, direct, gateway, baseline; its ratio is printed too.
# The search server keeps an answer cache (services/search/answer_cache.h), so
# the repeated query is, after the first call, pure transport on the direct
# side: the headline ratio. In the same invocation a second search server with
# OE_SEARCH_ANSWER_CACHE_MB=0 (every call runs the engine, as before the cache)
# behind a second gateway of this build is measured the same way, direct and
# through the gateway, and its ratio printed apart ("engine runs").
# OE_BENCH_NO_CACHE=0 skips it.
# Mutual TLS between the processes as deployed (a throw-away CA); OE_INSECURE=1
# measures plaintext instead; OE_BENCH_TLS=both runs both in one invocation
# (bench/gateway/tls_cost.sh) and prints both ratios side by side.
set -euo pipefail
if [ "${OE_BENCH_TLS:-}" = both ]; then
  exec "$(dirname "$0")/tls_cost.sh" "$@"
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
SECONDS_PER_RUN=${OE_BENCH_SECONDS:-5}
CONNS=${OE_BENCH_CONNECTIONS:-8}
QUERY=${OE_BENCH_QUERY:-heart attack}
command -v wrk >/dev/null || "$ROOT/scripts/setup" --bench
LOGS=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
pids=()
trap 'for p in "${pids[@]}"; do kill -TERM $p 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT

for b in search/oe_search_server catalogue/oe_catalogue_server gateway/oe_gateway; do
  [ -x "$BUILD/services/$b" ] || { echo "bench: $BUILD/services/$b is not built" >&2; exit 1; }
done
[ -x "$BUILD/bench/loadgen/oe_loadgen" ] || { echo "bench: oe_loadgen is not built" >&2; exit 1; }
GATEWAY_BIN=${OE_GATEWAY_BIN:-$BUILD/services/gateway/oe_gateway}
BACKEND="real ($(basename "${OE_DATA_MANIFEST:-data/demo/manifest.tsv}"))"
cd "$ROOT"
export OE_CATALOGUE_ADDR="127.0.0.1:$(free_port)" OE_SEARCH_ADDR="127.0.0.1:$(free_port)"
NO_CACHE=${OE_BENCH_NO_CACHE:-1}
# No account service: search needs none, and the gateway's search route never calls it.
export OE_ACCOUNT_ADDR=127.0.0.1:1 OE_SOURCE_DIR="$ROOT"
. "$ROOT/scripts/throwaway-certs.sh"  # mutual TLS as deployed (OE_INSECURE=1: plaintext)
OE_CATALOGUE_LISTEN=$OE_CATALOGUE_ADDR "$BUILD/services/catalogue/oe_catalogue_server" >"$LOGS/catalogue.log" 2>&1 & pids+=($!)
OE_SEARCH_LISTEN=$OE_SEARCH_ADDR "$BUILD/services/search/oe_search_server" >"$LOGS/search.log" 2>&1 & pids+=($!)
HTTP_PORT=$(free_port)
OE_GATEWAY_LISTEN=127.0.0.1:$HTTP_PORT OE_STATIC_DIR="$ROOT/services/gateway/web" \
  "$GATEWAY_BIN" >"$LOGS/gateway.log" 2>&1 & pids+=($!)
if [ "$NO_CACHE" = 1 ]; then
  # The same search server without its answer cache, and this build's
  # gateway in front of it (its own admin port off: one /metrics is enough).
  NC_SEARCH_ADDR="127.0.0.1:$(free_port)"
  OE_SEARCH_LISTEN=$NC_SEARCH_ADDR OE_SEARCH_ANSWER_CACHE_MB=0 \
    "$BUILD/services/search/oe_search_server" >"$LOGS/search-no-cache.log" 2>&1 & pids+=($!)
  NC_PORT=$(free_port)
  OE_SEARCH_ADDR=$NC_SEARCH_ADDR OE_GATEWAY_LISTEN=127.0.0.1:$NC_PORT \
    OE_STATIC_DIR="$ROOT/services/gateway/web" OE_GATEWAY_ADMIN_LISTEN=off \
    "$GATEWAY_BIN" >"$LOGS/gateway-no-cache.log" 2>&1 & pids+=($!)
fi
BASE_BIN=${OE_GATEWAY_BASELINE_BIN:-}
if [ -n "$BASE_BIN" ]; then
  BASE_PORT=$(free_port)
  OE_GATEWAY_LISTEN=127.0.0.1:$BASE_PORT OE_STATIC_DIR="$ROOT/services/gateway/web" \
    OE_GATEWAY_ADMIN_LISTEN=off "$BASE_BIN" >"$LOGS/baseline-gateway.log" 2>&1 & pids+=($!)
fi
ENCODED=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$QUERY")
URL="http://127.0.0.1:$HTTP_PORT/api/v1/search?query=$ENCODED&pageSize=10"
# Ready when the gateway's search route answers 200: search says
# NOT_SERVING (503 here) until its index is built from the catalogue.
ok=0
for _ in $(seq 600); do
  curl -sf "$URL" >/dev/null 2>&1 && { ok=1; break; }
  sleep 0.2
done
[ $ok = 1 ] || echo "bench: search not ready after 120 s; logs in $LOGS" >&2
curl -sf "$URL" >/dev/null || { echo "gateway search route failed: $(curl -s "$URL")" >&2; exit 1; }
if [ "$NO_CACHE" = 1 ]; then
  NC_URL=${URL/:$HTTP_PORT\//:$NC_PORT/}
  for _ in $(seq 600); do curl -sf "$NC_URL" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -sf "$NC_URL" >/dev/null || { echo "no-cache gateway failed: $(curl -s "$NC_URL")" >&2; exit 1; }
fi

direct() {
  "$BUILD/bench/loadgen/oe_loadgen" --target="${1:-$OE_SEARCH_ADDR}" \
    --method=openencoder.search.v1.SearchService/Search \
    --request="query: \"$QUERY\" page_size: 10" --concurrency="$CONNS" \
    --duration="${SECONDS_PER_RUN}s" --warmup=1s --baseline=none --json |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["runs"]["target"]; print(r["qps"] if r["errors"]==0 else "errors")'
}
gateway() {
  wrk -t2 -c"$CONNS" -d"${SECONDS_PER_RUN}s" "${1:-$URL}" |
    awk '/Non-2xx/ {bad=1} /Requests\/sec/ {rps=$2} END {print bad ? "errors" : rps}'
}
echo "backend=$BACKEND connections=$CONNS seconds=$SECONDS_PER_RUN query=\"$QUERY\""
ratio() {  # ratio <name> <d1> <d2> <g1> <g2>
  python3 - "$@" <<'PY'
import sys
name = sys.argv[1]
try:
    d1, d2, g1, g2 = map(float, sys.argv[2:])
except ValueError:
    print(f"{name}: not measured, a run failed ({' '.join(sys.argv[2:])})")
    sys.exit(0)
ratio = (g1 + g2) / (d1 + d2)
print(f"{name}: {ratio:.2f} ({'meets' if ratio >= 0.6 else 'BELOW'} the 0.6 target)")
PY
}
# Interleaved so machine noise hits every side: direct, gateway, baseline,
# then the same without the answer cache; the second round in the reverse
# order, so that no side always runs right after another.
nd1=- nd2=- ng1=- ng2=- b1=- b2=-
if [ -n "$BASE_BIN" ]; then
  BASE_URL=${URL/:$HTTP_PORT\//:$BASE_PORT/}
  curl -sf "$BASE_URL" >/dev/null || { echo "baseline gateway failed: $(curl -s "$BASE_URL")" >&2; exit 1; }
fi
sides=(d g)
[ -n "$BASE_BIN" ] && sides+=(b)
[ "$NO_CACHE" = 1 ] && sides+=(nd ng)
measure() {  # measure <side> <round>
  local v
  case $1 in
    d) v=$(direct) ;;
    g) v=$(gateway) ;;
    b) v=$(gateway "$BASE_URL") ;;
    nd) v=$(direct "$NC_SEARCH_ADDR") ;;
    ng) v=$(gateway "$NC_URL") ;;
  esac
  printf -v "$1$2" '%s' "$v"
}
for side in "${sides[@]}"; do measure "$side" 1; done
for ((i = ${#sides[@]} - 1; i >= 0; i--)); do measure "${sides[i]}" 2; done
echo "== search answer cache on (the server as deployed; headline)"
echo "direct gRPC qps:   $d1 $d2"
echo "gateway HTTP rps:  $g1 $g2"
[ -n "$BASE_BIN" ] && echo "baseline HTTP rps: $b1 $b2 ($BASE_BIN)"
ratio "ratio gateway/direct" "$d1" "$d2" "$g1" "$g2"
[ -n "$BASE_BIN" ] && ratio "ratio baseline/direct" "$d1" "$d2" "$b1" "$b2"
if [ "$NO_CACHE" = 1 ]; then
  echo "== search answer cache off (OE_SEARCH_ANSWER_CACHE_MB=0: every call runs the engine)"
  echo "engine runs, direct gRPC qps:  $nd1 $nd2"
  echo "engine runs, gateway HTTP rps: $ng1 $ng2"
  ratio "ratio gateway/direct, engine runs" "$nd1" "$nd2" "$ng1" "$ng2"
fi
if [ -n "$BASE_BIN" ]; then
  # The HTTP servers alone: /healthz calls no backend.
  h1=$(gateway "http://127.0.0.1:$HTTP_PORT/healthz"); hb1=$(gateway "http://127.0.0.1:$BASE_PORT/healthz")
  h2=$(gateway "http://127.0.0.1:$HTTP_PORT/healthz"); hb2=$(gateway "http://127.0.0.1:$BASE_PORT/healthz")
  echo "/healthz rps:      gateway $h1 $h2, baseline $hb1 $hb2"
fi
echo "load: $(uptime | sed 's/.*load average: //')"
