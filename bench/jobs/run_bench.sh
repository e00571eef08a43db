#!/usr/bin/env bash
# SearchJobs with a keyword and two filters over 100,000 synthetic postings,
# as a ratio to the same server's health Check in the same run.
#
#   bench/jobs/run_bench.sh [build-dir] [duration] [concurrency]
#
# Starts its own redis-server (AOF, appendfsync always, like production) on
# a free port in a temporary directory, loads the postings, starts
# oe_jobs_server against it, runs oe_loadgen, and stops what it started.
set -euo pipefail
BUILD=${1:-build}
DURATION=${2:-5s}
CONCURRENCY=${3:-8}
REDIS_PORT=${REDIS_PORT:-6391}
JOBS_PORT=${JOBS_PORT:-50154}
TMP=$(mktemp -d)
cleanup() {
  [[ -n "${JOBS_PID:-}" ]] && kill "$JOBS_PID" 2>/dev/null || true
  [[ -n "${REDIS_PID:-}" ]] && kill "$REDIS_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$TMP" --save '' \
  --appendonly yes --appendfsync always --daemonize no >"$TMP/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export OE_REDIS_ADDR=127.0.0.1:$REDIS_PORT
"$BUILD/bench/jobs/oe_jobs_bench_load" --count=100000

OE_JOBS_LISTEN=127.0.0.1:$JOBS_PORT OE_LOG_LEVEL=warning \
  "$BUILD/services/jobs/oe_jobs_server" 2>"$TMP/jobs.log" &
JOBS_PID=$!
for _ in $(seq 300); do
  "$BUILD/bench/loadgen/oe_loadgen" --target=127.0.0.1:$JOBS_PORT \
    --method=grpc.health.v1.Health/Check --duration=100ms --warmup=0s --baseline=none \
    >/dev/null 2>&1 && break
  sleep 0.2
done

"$BUILD/bench/loadgen/oe_loadgen" --target=127.0.0.1:$JOBS_PORT \
  --method=openencoder.jobs.v1.JobsService/SearchJobs \
  --request='query: "cardiology" filters { arrangements: WORK_ARRANGEMENT_REMOTE states: "TX" }' \
  --concurrency="$CONCURRENCY" --duration="$DURATION" --warmup=1s
