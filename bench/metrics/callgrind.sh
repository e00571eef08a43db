#!/usr/bin/env bash
# The cost of metrics in instructions, which the machine's load does not
# change: the catalogue server under callgrind answers N and 11*N
# grpc.health.v1.Health/Check calls (Debian's python3-grpcio client), with
# metrics on and off. Prints the server's instructions per call (the
# difference between the two runs over 10*N calls, so start-up cancels out)
# and, with metrics on, the instructions of the metrics code itself per call
# (inclusive cost of common::ServerCallMetrics), as a share of a call.
# Background threads count too, so the per-call totals move by a few percent
# between runs; the metrics code's own count does not.
#   OE_BUILD_DIR  build folder (default build)   N  calls of the short run (default 200)
set -euo pipefail
cd "$(dirname "$0")/../.."
# Counts the metrics' instructions per call, not TLS's: plaintext.
export OE_INSECURE=1
BUILD="${OE_BUILD_DIR:-build}"
N="${N:-200}"
command -v valgrind >/dev/null || { echo "valgrind missing: scripts/setup --bench"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cat >"$out/client.py" <<'PY'
import sys, time, grpc
call = grpc.insecure_channel(sys.argv[1]).unary_unary("/grpc.health.v1.Health/Check")
deadline = time.time() + 120
while True:
    try:
        call(b"", timeout=5)
        break
    except grpc.RpcError:
        if time.time() > deadline:
            raise
        time.sleep(0.5)
for _ in range(int(sys.argv[2])):
    call(b"", timeout=5)
PY
run() {  # metrics(1|0) calls
  local port
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  OE_METRICS=$1 OE_LOG_LEVEL=warning OE_CATALOGUE_LISTEN=127.0.0.1:$port \
    OE_CATALOGUE_ADMIN_LISTEN=127.0.0.1:0 valgrind --tool=callgrind \
    --callgrind-out-file="$out/cg-$1-$2" "$BUILD/services/catalogue/oe_catalogue_server" \
    >"$out/log-$1-$2" 2>&1 &
  local pid=$!
  /usr/bin/python3 "$out/client.py" "127.0.0.1:$port" "$2"
  kill -TERM $pid
  wait $pid || true
}
for m in 1 0; do run $m "$N"; run $m $((11 * N)); done
/usr/bin/python3 - "$out" "$N" <<'PY'
import re, subprocess, sys
out, n = sys.argv[1], int(sys.argv[2])
calls = 10 * n
def total(f):
    return int(re.search(r"^summary: (\d+)", open(f).read(), re.M).group(1))
per = {m: (total(f"{out}/cg-{m}-{11 * n}") - total(f"{out}/cg-{m}-{n}")) / calls for m in "10"}
text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100",
                       f"{out}/cg-1-{11 * n}"], capture_output=True, text=True).stdout
own = sum(int(m.group(1).replace(",", "")) for m in
          re.finditer(r"^\s*([\d,]+) .*ServerCallMetrics::(?:ServerCallMetrics|Finish)", text, re.M))
own_per = own / (11 * n + 1)
print(f"server instructions per Health/Check: metrics on {per['1']:.0f}, off {per['0']:.0f} "
      f"(on/off {per['1'] / per['0']:.3f})")
print(f"metrics code per call: {own_per:.0f} instructions = {own_per / per['1'] * 100:.2f} % of a call")
PY
