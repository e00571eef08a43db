#!/usr/bin/env bash
# ctest entry of the browser tests: installs what is missing (Chromium via
# scripts/setup --browser, playwright-core via npm into node_modules), starts
# the suite (start_suite.sh), runs scenario.mjs in headless Chromium, saves
# screenshots to tests/e2e/artifacts/, stops everything.
# Usage: run_e2e.sh <build dir> [scenario file, default scenario.mjs]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
SCENARIO=${2:-scenario.mjs}
if ! command -v chromium >/dev/null || ! command -v node >/dev/null; then
  "$ROOT/scripts/setup" --browser
fi
# Exactly the locked version (package-lock.json), never a newer one: 1.61 is
# the last playwright-core that supports Debian 12's Node.js 18.
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund)
fi
# One folder per scenario, so two scenarios' screenshots never mix.
ARTIFACTS="$HERE/artifacts/${SCENARIO%.mjs}"
rm -rf "$ARTIFACTS"; mkdir -p "$ARTIFACTS/logs"
ENV_FILE="$ARTIFACTS/suite.env"
"$HERE/start_suite.sh" "$BUILD" "$ENV_FILE" "$ARTIFACTS/logs" &
SUITE=$!
trap 'kill -TERM $SUITE 2>/dev/null || true; wait $SUITE 2>/dev/null || true' EXIT
for _ in $(seq 900); do
  [ -f "$ENV_FILE" ] && break
  kill -0 $SUITE 2>/dev/null || { echo "run_e2e: the suite failed to start" >&2; exit 1; }
  sleep 0.2
done
[ -f "$ENV_FILE" ] || { echo "run_e2e: the suite did not start in time" >&2; exit 1; }
set -a; . "$ENV_FILE"; set +a
OE_E2E_ARTIFACTS="$ARTIFACTS" node "$HERE/$SCENARIO"
