#!/usr/bin/env bash
# Every service ratio of the README's speed table, measured with mutual TLS
# between the processes (as deployed) and in plaintext (OE_INSECURE=1), side
# by side, in one invocation. Each service's own bench runs twice in a row,
# plaintext then TLS, so the two sides of a row see about the same machine;
# the ratios are the benches' own (each against its same-run baseline).
#
#   bench/tls_vs_plaintext.sh [build dir]        (default: build)
#   OE_BENCH_ONLY="search gateway" bench/tls_vs_plaintext.sh    a subset
#
# Benches, in this order: catalogue (bench/catalogue/run.sh), search
# (bench/search/run.sh), account (oe_account_bench), jobs
# (bench/jobs/run_bench.sh), gateway (bench/gateway/run.sh). Needs a build
# with their targets (scripts/build), wrk (scripts/setup --bench) and
# $OE_SHARED_DATA. Takes about ten minutes. Each run's full output is kept
# in the folder printed at the start; a bench that fails is reported and the
# others still run (exit status 1 at the end).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
ONLY=${OE_BENCH_ONLY:-catalogue search account jobs gateway}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/oe-tls-vs-plaintext.XXXXXX")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
cd "$ROOT"
# Each bench makes its own throw-away certificates unless these are set.
unset OE_TLS_DIR OE_TLS_CA OE_TLS_CERT OE_TLS_KEY OE_INSECURE

run_bench() {  # $1: name; prints the bench's output
  case $1 in
    catalogue) BUILD=$BUILD REBUILD=0 DURATION=3s bench/catalogue/run.sh ;;
    search) bench/search/run.sh "$BUILD" ;;
    account) "$BUILD/bench/account/oe_account_bench" --seconds=3 --clients=8 ;;
    jobs) REDIS_PORT=$(free_port) JOBS_PORT=$(free_port) bench/jobs/run_bench.sh "$BUILD" 5s 8 ;;
    gateway) bench/gateway/run.sh "$BUILD" ;;
    *) echo "unknown bench $1" >&2; return 2 ;;
  esac
}

echo "outputs in $OUT"
echo "start: $(uptime)"
failed=0
for b in $ONLY; do
  for mode in plaintext tls; do
    echo "== $b, $mode ($(uptime | sed 's/.*load average: /load /'))"
    if [ "$mode" = plaintext ]; then
      OE_INSECURE=1 run_bench "$b" >"$OUT/$b.$mode.log" 2>&1
    else
      run_bench "$b" >"$OUT/$b.$mode.log" 2>&1
    fi
    rc=$?
    if [ $rc != 0 ]; then
      echo "   FAILED (exit $rc): $(tail -n 3 "$OUT/$b.$mode.log" | tr '\n' ' ')"
      failed=1
    fi
  done
done
echo "end: $(uptime)"

python3 - "$OUT" $ONLY <<'PY'
import os, re, sys

out, benches = sys.argv[1], sys.argv[2:]

def ratios(path):
    """(label, value) for every line of a bench's output that reports a ratio."""
    if not os.path.exists(path):
        return []
    found, header = [], ""
    for line in open(path, errors="replace"):
        line = line.rstrip()
        if line.startswith("== "):
            header = line[3:].strip()
            continue
        m = re.search(r"\bratio\b[^0-9]*([0-9]+(?:\.[0-9]+)?)(%?)", line)
        if not m:
            continue
        value = float(m.group(1)) / (100 if m.group(2) else 1)
        if line.startswith("ratio"):
            what = line.split(":")[0].strip()
            # The loadgen's "ratio target/health" line: its section names it.
            label = header if header and what == "ratio target/health" else (
                f"{header}: {what}" if header else what)
        else:
            label = re.split(r"\s{2,}", line.strip())[0]
        found.append((label, value))
    return found

print()
print(f"{'bench':<10} {'what':<72} {'plaintext':>9} {'TLS':>7} {'TLS/plain':>9}")
for b in benches:
    plain = ratios(os.path.join(out, f"{b}.plaintext.log"))
    tls = ratios(os.path.join(out, f"{b}.tls.log"))
    if not plain and not tls:
        print(f"{b:<10} (no ratio found; see {out}/{b}.*.log)")
        continue
    for i in range(max(len(plain), len(tls))):
        label = (plain[i] if i < len(plain) else tls[i])[0]
        p = plain[i][1] if i < len(plain) else None
        t = tls[i][1] if i < len(tls) else None
        fmt = lambda v: f"{v:.3f}" if v is not None else "-"
        rel = f"{t / p:.2f}" if p and t is not None else "-"
        print(f"{b:<10} {label[:72]:<72} {fmt(p):>9} {fmt(t):>7} {rel:>9}")
PY
exit $failed
