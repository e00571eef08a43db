#!/usr/bin/env bash
# Search over gRPC against the same server's health Check, in one run, with
# the load generator (interleaved slices). The catalogue serves the real code
# sets from $OE_SHARED_DATA; the search server builds its index from it.
#   usage: bench/search/run.sh [build dir]   (DURATION=4s CONCURRENCY=8)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
. "$ROOT/scripts/throwaway-certs.sh"  # mutual TLS as deployed (OE_INSECURE=1: plaintext)
BUILD="${1:-$ROOT/build}"
SHARED="${OE_SHARED_DATA:-$ROOT/../shared/data}"
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
CAT=$(free_port); SEARCH=$(free_port)
logs=$(mktemp -d)
pids=()
trap 'kill ${pids[*]} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$logs"' EXIT
OE_SOURCE_DIR="$ROOT" OE_SHARED_DATA="$SHARED" OE_LOG_LEVEL=warning \
  "$BUILD/services/catalogue/oe_catalogue_server" --listen=127.0.0.1:$CAT \
  --data_manifest="$ROOT/data/manifests/shared-data.tsv" >"$logs/catalogue.log" 2>&1 &
pids+=($!)
# Two search servers on the same catalogue: as deployed (the answer cache
# on, so a repeated query is a cache hit) and with the cache off (every call
# runs the engine), measured one after the other in the same run.
CACHED=$SEARCH; COMPUTED=$(free_port)
for port in $CACHED $COMPUTED; do
  mb=8; [ "$port" = "$COMPUTED" ] && mb=0
  OE_SOURCE_DIR="$ROOT" OE_LOG_LEVEL=warning OE_CATALOGUE_ADDR=127.0.0.1:$CAT \
    OE_SEARCH_ANSWER_CACHE_MB=$mb \
    "$BUILD/services/search/oe_search_server" --listen=127.0.0.1:$port >"$logs/search-$port.log" 2>&1 &
  pids+=($!)
done
for port in $CACHED $COMPUTED; do
  for _ in $(seq 600); do
    /usr/bin/python3 "$ROOT/scripts/grpc_probe.py" 127.0.0.1:$port >/dev/null 2>&1 && break
    sleep 0.2
  done
done
echo "index ready; RSS of the search server: $(grep VmRSS /proc/${pids[1]}/status | awk '{print $2/1024 " MB"}')"
for q in 'query: "heart attack"' 'query: "E11.9"' 'query: "diab mell typ 2"' 'query: "fractur wrist"'; do
  for port in $COMPUTED $CACHED; do
    label="engine (cache off)"; [ "$port" = "$CACHED" ] && label="as deployed (answer cache)"
    echo "== Search { $q } $label"
    "$BUILD/bench/loadgen/oe_loadgen" --target=127.0.0.1:$port \
      --method=openencoder.search.v1.SearchService/Search --request="$q page_size: 10" \
      --concurrency="${CONCURRENCY:-8}" --duration="${DURATION:-4s}" --warmup=1s | tail -4
  done
done
