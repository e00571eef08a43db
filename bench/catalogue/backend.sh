# Sourced by bench/catalogue/run.sh and cpu_per_page.sh: the metered
# catalogue's real backend on free loopback ports (redis-server, the
# account service, a pro and a free session) and the catalogue itself.
# Expects SRC, BUILD and SHARED; mutual TLS as the caller's
# scripts/throwaway-certs.sh set it up.
#   start_account_backend        sets ACC_PORT, REDIS_PORT, REDIS_PID, ACC_PID, PAID, FREE
#   start_catalogue TTL          sets CAT_PORT (once) and CAT_PID
# Every process started here is stopped when the script exits.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pids=()
WORK="$(mktemp -d)"
stop_backend() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap stop_backend EXIT

# Health Check answers once the server serves; $1: address.
wait_serving() {
  for _ in $(seq 300); do
    "$BUILD/bench/loadgen/oe_loadgen" --target="$1" \
      --method=grpc.health.v1.Health/Check --duration=100ms --warmup=0s \
      --baseline=none --json >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "$1 did not come up" >&2
  return 1
}

start_account_backend() {
  local operator="bench-operator-$RANDOM$RANDOM"
  REDIS_PORT="${REDIS_PORT:-$(free_port)}"
  ACC_PORT="${ACC_PORT:-$(free_port)}"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$WORK" --logfile "$WORK/redis.log" &
  REDIS_PID=$!
  pids+=($REDIS_PID)
  # exec: the recorded pid is the server's, so stop_backend stops the server itself.
  (cd "$SRC" && OE_REDIS_ADDR="127.0.0.1:$REDIS_PORT" OE_ACCOUNT_OPERATOR_TOKEN="$operator" \
    OE_LOG_LEVEL=warning exec "${ACCOUNT_SERVER:-$BUILD/services/account/oe_account_server}" \
    --listen="127.0.0.1:$ACC_PORT" 2>"$WORK/account.log") &
  ACC_PID=$!
  pids+=($ACC_PID)
  wait_serving "127.0.0.1:$ACC_PORT"
  eval "$("$BUILD/bench/catalogue/oe_bench_account_sessions" \
    --account="127.0.0.1:$ACC_PORT" --operator_token="$operator")"
}

start_catalogue() {  # $1: unlimited cache ttl
  CAT_PORT="${CAT_PORT:-$(free_port)}"
  # Warning level: the per-call log lines would otherwise dominate the run.
  OE_SOURCE_DIR="$SRC" OE_SHARED_DATA="$SHARED" OE_LOG_LEVEL=warning \
    "$BUILD/services/catalogue/oe_catalogue_server" --listen="127.0.0.1:$CAT_PORT" \
    --data_manifest=data/manifests/shared-data.tsv --account_addr="127.0.0.1:$ACC_PORT" \
    --unlimited_cache_ttl="$1" 2>"$WORK/catalogue.log" &
  CAT_PID=$!
  pids+=($CAT_PID)
  wait_serving "127.0.0.1:$CAT_PORT"
}
