#!/usr/bin/env bash
# Where a metered code page's CPU goes, per process: catalogue, account and
# Redis, in microseconds of CPU (user + system, from /proc) and context
# switches per request, beside the same catalogue's health Check and a pro
# session's page, measured one after the other in the same run. A
# diagnostic for bench/catalogue/run.sh's ratios (which are the figures of
# record), robust against other load because it counts CPU, not time.
#
#   BUILD=build DURATION=3 bench/catalogue/cpu_per_page.sh
#   ACCOUNT_SERVER=/other/build/services/account/oe_account_server ...
#       (another account server, e.g. an older commit's, to compare)
#
# Needs a build with oe_catalogue_server, oe_account_server, oe_loadgen and
# oe_bench_account_sessions, and $OE_SHARED_DATA. Mutual TLS as deployed
# (OE_INSECURE=1: plaintext).
set -euo pipefail
SRC="$(cd "$(dirname "$0")/../.." && pwd)"
. "$SRC/scripts/throwaway-certs.sh"
BUILD="${BUILD:-$SRC/build}"
DURATION="${DURATION:-3}"
SHARED="${OE_SHARED_DATA:-$SRC/../shared/data}"
. "$SRC/bench/catalogue/backend.sh"
start_account_backend
start_catalogue 5s

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {n += $2} END {print n}'; }

measure() {  # $1 label, $2 method, $3 request
  local c0 a0 r0 s0 t0 c1 a1 r1 s1 t1 out
  c0=$(cpu_ticks $CAT_PID); a0=$(cpu_ticks $ACC_PID); r0=$(cpu_ticks $REDIS_PID)
  s0=$(switches $CAT_PID); t0=$(switches $ACC_PID)
  out=$("$BUILD/bench/loadgen/oe_loadgen" --target="127.0.0.1:$CAT_PORT" --method="$2" \
    --request="$3" --concurrency=8 --duration="${DURATION}s" --warmup=0s --baseline=none --json)
  c1=$(cpu_ticks $CAT_PID); a1=$(cpu_ticks $ACC_PID); r1=$(cpu_ticks $REDIS_PID)
  s1=$(switches $CAT_PID); t1=$(switches $ACC_PID)
  python3 - "$1" "$out" "$DURATION" $((c1 - c0)) $((a1 - a0)) $((r1 - r0)) \
    $((s1 - s0)) $((t1 - t0)) "$(getconf CLK_TCK)" <<'PY'
import json, sys
label, out, seconds = sys.argv[1], json.loads(sys.argv[2]), float(sys.argv[3])
cat, acc, red, cat_cs, acc_cs, hz = map(float, sys.argv[4:10])
n = out["runs"]["target"]["qps"] * seconds
us = 1e6 / hz / n
print("%-10s %8.0f qps  CPU us/request: catalogue %6.1f  account %6.1f  redis %5.1f"
      "   switches/request: catalogue %4.1f  account %4.1f"
      % (label, n / seconds, cat * us, acc * us, red * us, cat_cs / n, acc_cs / n))
PY
}

echo "load before: $(uptime)"
measure health grpc.health.v1.Health/Check ""
measure metered openencoder.catalogue.v1.CatalogueService/GetCodePage \
  "code: \"E11.9\" session_token: \"$FREE\""
measure pro openencoder.catalogue.v1.CatalogueService/GetCodePage \
  "code: \"E11.9\" session_token: \"$PAID\""
echo "load after: $(uptime)"
