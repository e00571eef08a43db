#!/usr/bin/env bash
# Where a search request's CPU goes, per process, directly and through the
# gateway: microseconds of CPU (user + system, from /proc) and context
# switches per request for the client (oe_loadgen or wrk), the search server
# and the gateway, the gateway's split into user and kernel time, and its
# system calls per request (perf's syscall tracepoints, when readable). A
# diagnostic beside run.sh's ratios (the figures of record): it counts CPU,
# not time, so it holds up on a busy machine, and it shows which process a
# change moved. The gateway's spinning loop (45 epoll_waits per request)
# would have stood out here at once.
#
#   bench/gateway/cpu_per_request.sh [build dir]
#   OE_BENCH_SECONDS (5), OE_BENCH_ROUNDS (2), OE_BENCH_CONNECTIONS (8);
#   OE_GATEWAY_BASELINE_BIN: a second gateway measured the same way.
#
# Same backend as run.sh (real catalogue and search servers on the demo
# data, search answer cache on), mutual TLS as deployed (OE_INSECURE=1:
# plaintext).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
SECONDS_PER_RUN=${OE_BENCH_SECONDS:-5}
ROUNDS=${OE_BENCH_ROUNDS:-2}
CONNS=${OE_BENCH_CONNECTIONS:-8}
command -v wrk >/dev/null || "$ROOT/scripts/setup" --bench
for b in search/oe_search_server catalogue/oe_catalogue_server gateway/oe_gateway; do
  [ -x "$BUILD/services/$b" ] || { echo "bench: $BUILD/services/$b is not built" >&2; exit 1; }
done
LOGS=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
pids=()
trap 'for p in "${pids[@]}"; do kill -TERM $p 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
cd "$ROOT"
export OE_CATALOGUE_ADDR="127.0.0.1:$(free_port)" OE_SEARCH_ADDR="127.0.0.1:$(free_port)"
export OE_ACCOUNT_ADDR=127.0.0.1:1 OE_SOURCE_DIR="$ROOT"
. "$ROOT/scripts/throwaway-certs.sh"
OE_CATALOGUE_LISTEN=$OE_CATALOGUE_ADDR "$BUILD/services/catalogue/oe_catalogue_server" >"$LOGS/catalogue.log" 2>&1 & pids+=($!)
OE_SEARCH_LISTEN=$OE_SEARCH_ADDR "$BUILD/services/search/oe_search_server" >"$LOGS/search.log" 2>&1 & SEARCH_PID=$!; pids+=($SEARCH_PID)
start_gateway() {  # start_gateway <binary>; sets GW_PID, GW_URL
  local port; port=$(free_port)
  OE_GATEWAY_LISTEN=127.0.0.1:$port OE_STATIC_DIR="$ROOT/services/gateway/web" OE_GATEWAY_ADMIN_LISTEN=off \
    "$1" >"$LOGS/gateway-$port.log" 2>&1 & GW_PID=$!; pids+=($GW_PID)
  GW_URL="http://127.0.0.1:$port/api/v1/search?query=heart%20attack&pageSize=10"
  for _ in $(seq 600); do curl -sf "$GW_URL" >/dev/null 2>&1 && return; sleep 0.2; done
  echo "bench: gateway $1 not answering; logs in $LOGS" >&2; exit 1
}
start_gateway "$BUILD/services/gateway/oe_gateway"; GATEWAY=($GW_PID "$GW_URL")
if [ -n "${OE_GATEWAY_BASELINE_BIN:-}" ]; then
  start_gateway "$OE_GATEWAY_BASELINE_BIN"; BASELINE=($GW_PID "$GW_URL")
fi

HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }  # user system
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {n += $2} END {print n}'; }
SYSCALLS="epoll_wait epoll_ctl read write sendto sendmsg recvmsg futex getrandom"
can_trace=0
perf stat -e syscalls:sys_enter_read -p "$SEARCH_PID" -- sleep 0.1 >/dev/null 2>&1 && can_trace=1

# measure <label> <client command...>: the client runs for SECONDS_PER_RUN;
# GATEWAY_UNDER_TEST (a pid, or empty for a direct run) is the gateway.
measure() {
  local label=$1; shift
  local gw=${GATEWAY_UNDER_TEST:-} s0 s1 g0=(0 0) g1=(0 0) ss0 ss1 gs0=0 gs1=0 out stat_pid=""
  read -r -a s0 <<<"$(ticks "$SEARCH_PID")"; ss0=$(switches "$SEARCH_PID")
  if [ -n "$gw" ]; then
    read -r -a g0 <<<"$(ticks "$gw")"; gs0=$(switches "$gw")
    if [ $can_trace = 1 ]; then
      perf stat -x, -e "$(printf 'syscalls:sys_enter_%s,' $SYSCALLS | sed 's/,$//')" -p "$gw" \
        -o "$LOGS/syscalls" -- sleep "$SECONDS_PER_RUN" >/dev/null 2>&1 & stat_pid=$!
    fi
  fi
  out=$(perf stat -x, -e task-clock -o "$LOGS/client" -- "$@" 2>/dev/null)
  [ -n "$stat_pid" ] && wait "$stat_pid" 2>/dev/null || true
  read -r -a s1 <<<"$(ticks "$SEARCH_PID")"; ss1=$(switches "$SEARCH_PID")
  if [ -n "$gw" ]; then read -r -a g1 <<<"$(ticks "$gw")"; gs1=$(switches "$gw"); fi
  python3 - "$label" "$out" "$LOGS/client" "$HZ" "${s0[@]}" "${s1[@]}" "${g0[@]}" "${g1[@]}" \
    "$ss0" "$ss1" "$gs0" "$gs1" "$([ -n "$stat_pid" ] && echo "$LOGS/syscalls")" <<'PY'
import json, sys
label, out, client_file, hz = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
su0, ss0, su1, ss1, gu0, gs0, gu1, gs1 = map(float, sys.argv[5:13])
sw0, sw1, gw0, gw1 = map(float, sys.argv[13:17])
syscalls = sys.argv[17] if len(sys.argv) > 17 else ""
if out.lstrip().startswith("{"):
    n = json.loads(out)["runs"]["target"]["calls"]
else:
    n = next(float(l.split()[0]) for l in out.splitlines() if "requests in" in l)
client_ms = next(float(l.split(",")[0]) for l in open(client_file) if "task-clock" in l)
us = lambda ticks: ticks / hz * 1e6 / n
gateway_user, gateway_sys = us(gu1 - gu0), us(gs1 - gs0)
total = client_ms * 1e3 / n + us(su1 + ss1 - su0 - ss0) + gateway_user + gateway_sys
print(f"{label:<9} {n:>9.0f} requests  CPU us/request: client {client_ms * 1e3 / n:5.1f}"
      f"  search {us(su1 + ss1 - su0 - ss0):5.1f}  gateway {gateway_user + gateway_sys:5.1f}"
      f" (user {gateway_user:.1f}, kernel {gateway_sys:.1f})  all {total:5.1f}"
      f" | switches/request: search {(sw1 - sw0) / n:.2f}  gateway {(gw1 - gw0) / n:.2f}")
if syscalls:
    counts = []
    for line in open(syscalls):
        parts = line.strip().split(",")
        if len(parts) > 2 and parts[2].startswith("syscalls:sys_enter_"):
            counts.append(f"{parts[2][len('syscalls:sys_enter_'):]} {float(parts[0]) / n:.2f}")
    print("          gateway system calls per request: " + ", ".join(counts))
PY
}

direct() {
  GATEWAY_UNDER_TEST="" measure direct "$BUILD/bench/loadgen/oe_loadgen" --target="$OE_SEARCH_ADDR" \
    --method=openencoder.search.v1.SearchService/Search --request='query: "heart attack" page_size: 10' \
    --concurrency="$CONNS" --duration="${SECONDS_PER_RUN}s" --warmup=0s --baseline=none --json
}
through() {  # through <label> <pid> <url>
  GATEWAY_UNDER_TEST=$2 measure "$1" wrk -t2 -c"$CONNS" -d"${SECONDS_PER_RUN}s" "$3"
}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); $CONNS connections, ${SECONDS_PER_RUN} s per run"
for _ in $(seq "$ROUNDS"); do
  direct
  through gateway "${GATEWAY[@]}"
  [ -n "${BASELINE:-}" ] && through baseline "${BASELINE[@]}"
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
