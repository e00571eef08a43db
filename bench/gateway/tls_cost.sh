#!/usr/bin/env bash
# What mutual TLS between the services costs: bench/gateway/run.sh once in
# plaintext (OE_INSECURE=1) and once with mutual TLS (the default), in one
# invocation, then the ratios TLS/plaintext of direct gRPC search qps and of
# gateway HTTP rps, and each run's gateway/direct ratio.
#   usage: bench/gateway/tls_cost.sh [build dir]   (settings as run.sh)
#   (also: OE_BENCH_TLS=both bench/gateway/run.sh)
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
echo "== plaintext (OE_INSECURE=1)"
plain=$(OE_BENCH_TLS= OE_INSECURE=1 "$DIR/run.sh" "$@")
echo "$plain"
echo "== mutual TLS"
tls=$(OE_BENCH_TLS= OE_INSECURE= "$DIR/run.sh" "$@")
echo "$tls"
python3 - "$plain" "$tls" <<'PY'
import sys

def figures(text):
    out = {}
    for line in text.splitlines():
        if line.startswith("direct gRPC qps:"):
            out["direct"] = sum(map(float, line.split(":")[1].split()))
        elif line.startswith("gateway HTTP rps:"):
            out["gateway"] = sum(map(float, line.split(":")[1].split()))
    return out

plain, tls = figures(sys.argv[1]), figures(sys.argv[2])
print("== TLS cost (same invocation)")
print(f"direct gRPC search, TLS/plaintext:  {tls['direct'] / plain['direct']:.2f}")
print(f"gateway HTTP search, TLS/plaintext: {tls['gateway'] / plain['gateway']:.2f}")
print(f"gateway/direct, plaintext: {plain['gateway'] / plain['direct']:.2f}   "
      f"with TLS: {tls['gateway'] / tls['direct']:.2f}")
PY
