#!/usr/bin/env bash
# The cost of metrics: for each service, the same-run ratio of one of its
# methods to grpc.health.v1.Health/Check (bench/loadgen, interleaved), on a
# suite with metrics on and on a second suite with OE_METRICS=0 (no admin
# port, no per-RPC interceptors), both started by deploy/local/run and
# running at the same time; the measurements alternate between them, so a
# change of the machine's load hits both alike. The two ratios should be at
# most 5 % apart. Prints one table; see README.
#   OE_BUILD_DIR  build folder (default build)    DURATION  per side (default 4s)
#   CONCURRENCY   calls in flight (default 4)     ROUNDS    interleaved slices (default 4)
#   REPEAT        alternating on/off measurements per service; the table shows
#                 the median ratios (default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD="${OE_BUILD_DIR:-build}"
DURATION="${DURATION:-4s}"
CONCURRENCY="${CONCURRENCY:-4}"
ROUNDS="${ROUNDS:-4}"
REPEAT="${REPEAT:-3}"
LOADGEN="$BUILD/bench/loadgen/oe_loadgen"
[ -x "$LOADGEN" ] || { echo "build oe_loadgen and the servers first (scripts/build)"; exit 1; }
out_dir=$(mktemp -d)
runners=()
cleanup() {
  for pid in "${runners[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${runners[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$out_dir"
}
trap cleanup EXIT

# name  port-offset  method  request (protobuf text)
cases=(
  "catalogue|0|openencoder.catalogue.v1.CatalogueService/GetEditions|"
  "search|1|openencoder.search.v1.SearchService/Lookup|code: \"E11.9\""
  "account|2|openencoder.account.v1.AccountService/ValidateSession|session_token: \"not-a-token\""
  "jobs|3|openencoder.jobs.v1.JobsService/SearchJobs|"
  "assistant|4|openencoder.assistant.v1.AssistantService/ListTickets|"
)

declare -A base_of
for mode in on off; do
  read -r redis base http < <(/usr/bin/python3 -c '
import sys; sys.path.insert(0, "deploy/local")
from ports import pick_single_ports
print(*pick_single_ports())')
  base_of[$mode]=$base
  log="$out_dir/runner-$mode.log"
  metrics=1; [ $mode = off ] && metrics=0
  OE_SKIP_BUILD=1 OE_BUILD_DIR="$BUILD" OE_RUN_DIR="$out_dir/run-$mode" OE_RUN_HOLD=1 \
    OE_METRICS=$metrics OE_LOG_LEVEL=warning OE_REDIS_PORT=$redis OE_BASE_PORT=$base \
    OE_HTTP_PORT=$http deploy/local/run >"$log" 2>&1 &
  runners+=($!)
  for _ in $(seq 600); do grep -qE '^(NOT )?READY$' "$log" 2>/dev/null && break; sleep 0.2; done
  grep -q '^READY$' "$log" || { cat "$log"; exit 1; }
done

for ((k=1; k<=REPEAT; k++)); do
  for c in "${cases[@]}"; do
    IFS='|' read -r name offset method request <<<"$c"
    # Alternate which suite goes first, so neither always follows the other.
    modes=(on off); [ $((k % 2)) = 0 ] && modes=(off on)
    for mode in "${modes[@]}"; do
      # Each suite has its own CA (deploy/local/run): the load generator
      # presents that suite's operator certificate.
      OE_TLS_DIR="$out_dir/run-$mode/tls" \
      "$LOADGEN" --target="127.0.0.1:$((${base_of[$mode]} + offset))" --method="$method" \
        --request="$request" --concurrency="$CONCURRENCY" --duration="$DURATION" --warmup=1s \
        --rounds="$ROUNDS" --json >"$out_dir/$name-$mode-$k.json"
    done
  done
done
echo "load: $(uptime)"
/usr/bin/python3 bench/metrics/compare.py "$out_dir"
