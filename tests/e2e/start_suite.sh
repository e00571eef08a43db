#!/usr/bin/env bash
# Starts what the browser scenario needs on free loopback ports and writes
# OE_E2E_URL=<gateway url> to $1 (an env file); stops everything on SIGTERM.
#   - the real suite when the catalogue, search and account servers are built
#     (redis-server + every built service + the gateway, demo data);
#   - otherwise the in-memory fakes (oe_gateway_fake_backends) + the gateway,
#     and it says so on stderr and in the env file (OE_E2E_MODE=fakes).
# Usage: start_suite.sh <build dir> <env file> <log dir>
set -euo pipefail
BUILD=$(cd "$1" && pwd); ENV_FILE=$2; LOGS=$3
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$LOGS"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
pids=()
stop_all() {
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap 'stop_all; exit 0' TERM INT
trap stop_all EXIT

real=1
for b in catalogue/oe_catalogue_server search/oe_search_server account/oe_account_server; do
  [ -x "$BUILD/services/$b" ] || real=0
done

if [ $real = 1 ]; then
  MODE=real
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    >"$LOGS/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export OE_REDIS_ADDR="127.0.0.1:$REDIS_PORT"
  export OE_CATALOGUE_ADDR="127.0.0.1:$(free_port)" OE_SEARCH_ADDR="127.0.0.1:$(free_port)"
  export OE_ACCOUNT_ADDR="127.0.0.1:$(free_port)" OE_JOBS_ADDR="127.0.0.1:$(free_port)"
  export OE_DATA_DIR="${OE_DATA_DIR:-$ROOT/data/demo}" OE_SOURCE_DIR="$ROOT"
  for entry in "account $OE_ACCOUNT_ADDR openencoder.account.v1.AccountService" \
               "catalogue $OE_CATALOGUE_ADDR openencoder.catalogue.v1.CatalogueService" \
               "search $OE_SEARCH_ADDR openencoder.search.v1.SearchService" \
               "jobs $OE_JOBS_ADDR openencoder.jobs.v1.JobsService"; do
    read -r name address service <<<"$entry"
    bin="$BUILD/services/$name/oe_${name}_server"
    [ -x "$bin" ] || continue
    env "OE_$(echo "$name" | tr a-z A-Z)_LISTEN=$address" "$bin" >"$LOGS/$name.log" 2>&1 &
    pids+=($!)
    ok=0
    for _ in $(seq 300); do
      if python3 "$ROOT/scripts/grpc_probe.py" "$address" "$service" >/dev/null 2>&1; then ok=1; break; fi
      sleep 0.2
    done
    [ $ok = 1 ] || { echo "start_suite: $name not serving; see $LOGS/$name.log" >&2; exit 1; }
  done
else
  MODE=fakes
  echo "start_suite: catalogue/search/account servers are not built; using oe_gateway_fake_backends" >&2
  "$BUILD/tests/gateway/oe_gateway_fake_backends" >"$LOGS/fakes.out" 2>"$LOGS/fakes.log" &
  pids+=($!)
  for _ in $(seq 100); do grep -q '^listening ' "$LOGS/fakes.out" 2>/dev/null && break; sleep 0.1; done
  FAKE=$(sed -n 's/^listening //p' "$LOGS/fakes.out")
  [ -n "$FAKE" ] || { echo "start_suite: fakes did not start" >&2; exit 1; }
  export OE_CATALOGUE_ADDR=$FAKE OE_SEARCH_ADDR=$FAKE OE_ACCOUNT_ADDR=$FAKE OE_JOBS_ADDR=127.0.0.1:1
fi

HTTP_PORT=$(free_port)
OE_GATEWAY_LISTEN="127.0.0.1:$HTTP_PORT" OE_STATIC_DIR="$ROOT/services/gateway/web" \
  "$BUILD/services/gateway/oe_gateway" >"$LOGS/gateway.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null || { echo "start_suite: gateway did not start" >&2; exit 1; }
printf 'OE_E2E_URL=http://127.0.0.1:%s/\nOE_E2E_MODE=%s\n' "$HTTP_PORT" "$MODE" >"$ENV_FILE.tmp"
mv "$ENV_FILE.tmp" "$ENV_FILE"
echo "start_suite: $MODE suite at http://127.0.0.1:$HTTP_PORT/ (logs in $LOGS)" >&2
while true; do sleep 1 & wait $! || true; done
