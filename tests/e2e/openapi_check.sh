#!/usr/bin/env bash
# ctest entry: starts the real gateway alone on a free loopback port (no
# backend is needed to serve /openapi.json) and validates its live document
# with validate_openapi.mjs. Usage: openapi_check.sh <build dir>
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
command -v node >/dev/null || "$ROOT/scripts/setup" --browser
if [ ! -d "$HERE/node_modules/@apidevtools/swagger-parser" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund)
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
LOG=$(mktemp)
. "$ROOT/scripts/throwaway-certs.sh"  # the gateway starts only with its certificate
OE_GATEWAY_LISTEN="127.0.0.1:$PORT" OE_STATIC_DIR="$ROOT/services/gateway/web" OE_GATEWAY_ACCESS_LOG=0 \
  "$BUILD/services/gateway/oe_gateway" >"$LOG" 2>&1 &
GW=$!
trap 'kill -TERM $GW 2>/dev/null || true; wait $GW 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "openapi_check: gateway did not start" >&2; cat "$LOG" >&2; exit 1; }
node "$HERE/validate_openapi.mjs" "http://127.0.0.1:$PORT/openapi.json"
