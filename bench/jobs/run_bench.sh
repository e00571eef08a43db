#!/usr/bin/env bash
# SearchJobs with a keyword and two filters over 100,000 synthetic postings,
# as a ratio to the same server's health Check in the same run.
#
#   bench/jobs/run_bench.sh [build-dir] [duration] [concurrency]
#
# Starts its own redis-server (AOF, appendfsync always, like production) on
# a free port in a temporary directory, loads the postings, and runs
# oe_loadgen twice, each against its own oe_jobs_server on that data:
#   1. as deployed: the same search repeated, answered by the result cache
#      after the first call (what paging and popular searches get);
#   2. OE_JOBS_SEARCH_CACHE_ENTRIES=0: every call computed afresh (what a
#      search nobody made since the index last changed costs).
# Then it stops what it started.
# Every wait is bounded: a server that dies or never answers ends the run
# with its log instead of hanging it.
set -euo pipefail
. "$(dirname "$0")/../../scripts/throwaway-certs.sh"  # mutual TLS (OE_INSECURE=1: plaintext)
BUILD=${1:-build}
DURATION=${2:-5s}
CONCURRENCY=${3:-8}
REDIS_PORT=${REDIS_PORT:-6391}
JOBS_PORT=${JOBS_PORT:-50154}
READY_TIMEOUT_S=${READY_TIMEOUT_S:-120}
TMP=$(mktemp -d)
cleanup() {
  [[ -n "${JOBS_PID:-}" ]] && kill "$JOBS_PID" 2>/dev/null || true
  [[ -n "${REDIS_PID:-}" ]] && kill "$REDIS_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# wait_until <pid> <log> <what> <command...>: runs the command (each try
# bounded by `timeout`) until it succeeds, the process exits, or
# READY_TIMEOUT_S passes. (The old loop ran oe_loadgen unbounded; a try
# that never returned hung the script.)
wait_until() {
  local pid=$1 log=$2 what=$3
  shift 3
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$what exited before it was ready:" >&2
      tail -20 "$log" >&2
      exit 1
    fi
    timeout 5 "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "$what not ready after ${READY_TIMEOUT_S}s:" >&2
  tail -20 "$log" >&2
  exit 1
}

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$TMP" --save '' \
  --appendonly yes --appendfsync always --daemonize no >"$TMP/redis.log" 2>&1 &
REDIS_PID=$!
wait_until "$REDIS_PID" "$TMP/redis.log" redis-server redis-cli -p "$REDIS_PORT" ping

export OE_REDIS_ADDR=127.0.0.1:$REDIS_PORT
"$BUILD/bench/jobs/oe_jobs_bench_load" --count=100000

REQUEST='query: "cardiology" filters { arrangements: WORK_ARRANGEMENT_REMOTE states: "TX" }'

# run_case <title> <cache entries>: one server, one loadgen run, then stop.
run_case() {
  echo "== $1 (OE_JOBS_SEARCH_CACHE_ENTRIES=$2)"
  OE_JOBS_SEARCH_CACHE_ENTRIES=$2 OE_JOBS_LISTEN=127.0.0.1:$JOBS_PORT OE_LOG_LEVEL=warning \
    "$BUILD/services/jobs/oe_jobs_server" 2>"$TMP/jobs.log" &
  JOBS_PID=$!
  wait_until "$JOBS_PID" "$TMP/jobs.log" oe_jobs_server \
    "$BUILD/bench/loadgen/oe_loadgen" --target=127.0.0.1:$JOBS_PORT \
    --method=grpc.health.v1.Health/Check --duration=100ms --warmup=0s --baseline=none \
    --deadline=1s
  "$BUILD/bench/loadgen/oe_loadgen" --target=127.0.0.1:$JOBS_PORT \
    --method=openencoder.jobs.v1.JobsService/SearchJobs --request="$REQUEST" \
    --concurrency="$CONCURRENCY" --duration="$DURATION" --warmup=1s
  kill "$JOBS_PID"
  wait "$JOBS_PID" 2>/dev/null || true
  JOBS_PID=
}

run_case "repeated search, as deployed" 1024
run_case "every search computed" 0
