#!/usr/bin/env bash
# Container images and the compose file, for real:
#   1. the Debian 12 base image (deploy/docker/make-base-image: debootstrap +
#      docker import; no registry is reachable);
#   2. every image of deploy/Dockerfile, packaging the binaries this build
#      folder already has (BINARIES=prebuilt: nothing is compiled again); each
#      must run as non-root and hold no -dev package;
#   3. deploy/compose.yaml brought up with those images (host networking, all
#      traffic on loopback, ports picked free), Redis with AOF on;
#   4. a stranger's first minute through the gateway (gateway_smoke.py):
#      search, a metered page, a registration.
# Needs a Docker engine. When none is running and this is root with dockerd
# installed (scripts/setup --container), it starts one for the test and stops
# it after. Without Docker it exits 77, which ctest reports as Skipped, and
# says why.
# usage: container_test.sh BUILD_DIR
set -euo pipefail
BUILD=$(cd "$1" && pwd)
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
skip() { echo "SKIPPED: $*"; exit 77; }

# Debian's CLI matches Debian's engine; a newer CLI on PATH may need buildx.
DOCKER=docker
[ -x /usr/bin/docker ] && DOCKER=/usr/bin/docker
command -v "$DOCKER" >/dev/null || skip "no docker CLI (scripts/setup --container installs Docker)"
started_dockerd=""
work=$(mktemp -d /var/tmp/oe-container-test.XXXXXX)
project="oe-ctest-$$"
compose=()
cleanup() {
  if [ ${#compose[@]} -gt 0 ]; then
    "${compose[@]}" logs --no-color >"$work/compose.log" 2>&1 || true
    "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  if [ -n "$started_dockerd" ]; then
    kill -TERM "$started_dockerd" 2>/dev/null || true
    wait "$started_dockerd" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! "$DOCKER" info >/dev/null 2>&1; then
  command -v dockerd >/dev/null || skip "no Docker engine running and dockerd not installed (scripts/setup --container)"
  [ "$(id -u)" -eq 0 ] || skip "no Docker engine running, and starting one needs root"
  echo "container test: starting dockerd for this test"
  dockerd >"$work/dockerd.log" 2>&1 &
  started_dockerd=$!
  for _ in $(seq 60); do "$DOCKER" info >/dev/null 2>&1 && break; sleep 0.5; done
  "$DOCKER" info >/dev/null 2>&1 || { cat "$work/dockerd.log"; echo "FAIL: dockerd did not start"; exit 1; }
fi
if command -v docker-compose >/dev/null; then
  compose_cmd=(docker-compose)
elif "$DOCKER" compose version >/dev/null 2>&1; then
  compose_cmd=("$DOCKER" compose)
else
  skip "no Compose tool (scripts/setup --container installs docker-compose)"
fi
command -v debootstrap >/dev/null || "$DOCKER" image inspect openencoder/debian:12 >/dev/null 2>&1 ||
  skip "no base image and no debootstrap to make it (scripts/setup --container)"

echo "== 1. base image"
deploy/docker/make-base-image

echo "== 2. images from the binaries in $BUILD"
ctx="$work/context"
mkdir -p "$ctx/bin/packages" "$ctx/services/gateway"
for b in catalogue/oe_catalogue_server search/oe_search_server account/oe_account_server \
         jobs/oe_jobs_server assistant/oe_assistant_server gateway/oe_gateway; do
  src="$BUILD/services/$b"
  [ -x "$src" ] || { echo "FAIL: $src is not built"; exit 1; }
  name=$(basename "$b")
  cp "$src" "$ctx/bin/$name" && strip "$ctx/bin/$name"
  deploy/docker/runtime-packages "$src" >"$ctx/bin/packages/$name"
done
cp -r data "$ctx/data"
cp -r services/gateway/web "$ctx/services/gateway/web"
mkdir -p "$ctx/deploy" && cp -r deploy/redis "$ctx/deploy/redis"  # the Redis image's start-up
cp -r deploy/docker "$ctx/deploy/docker"  # install-server, run by every server image
targets=(redis account catalogue search jobs assistant gateway)
for t in "${targets[@]}"; do
  start=$(date +%s)
  DOCKER_BUILDKIT=1 "$DOCKER" build -q --network host -f deploy/Dockerfile \
    --build-arg BINARIES=prebuilt --target "$t" -t "openencoder/$t:dev" "$ctx" >"$work/build-$t.log" 2>&1 ||
    { cat "$work/build-$t.log"; echo "FAIL: image $t did not build"; exit 1; }
  user=$("$DOCKER" image inspect -f '{{.Config.User}}' "openencoder/$t:dev")
  [ -n "$user" ] && [ "${user%%:*}" != 0 ] && [ "${user%%:*}" != root ] ||
    { echo "FAIL: image $t runs as root"; exit 1; }
  dev=$("$DOCKER" run --rm --network none --entrypoint dpkg-query "openencoder/$t:dev" \
          -W -f '${Package}\n' | grep -E -- '-dev$' || true)
  [ -z "$dev" ] || { echo "FAIL: image $t holds -dev packages: $dev"; exit 1; }
  size=$("$DOCKER" image inspect -f '{{.Size}}' "openencoder/$t:dev" | numfmt --to=iec)
  echo "   openencoder/$t:dev  user $user, $size, $(( $(date +%s) - start )) s"
done

echo "== 3. compose up (project $project, ${compose_cmd[*]})"
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
base=$(( 30000 + (RANDOM % 20000) ))
export OE_REDIS_PORT=$(free_port) OE_HTTP_PORT=$(free_port) OE_CATALOGUE_PORT=$base \
       OE_SEARCH_PORT=$((base + 1)) OE_ACCOUNT_PORT=$((base + 2)) OE_JOBS_PORT=$((base + 3)) \
       OE_ASSISTANT_PORT=$((base + 4))
# The deployment's secrets (Redis passwords, keys), made once, kept.
deploy/make-secrets deploy/secrets
# Mutual TLS between the services: a throw-away CA for this run, readable by
# the containers' user (deploy/compose.yaml mounts $OE_TLS_HOST_DIR/<service>).
export OE_TLS_HOST_DIR="$work/tls"
scripts/make-certs "$OE_TLS_HOST_DIR" && chmod -R a+rX "$OE_TLS_HOST_DIR"
compose=("${compose_cmd[@]}" -p "$project" -f deploy/compose.yaml)
"${compose[@]}" config -q
"${compose[@]}" up -d --no-build
aof=$("${compose[@]}" exec -T redis sh -c 'REDISCLI_AUTH=$(cat /run/secrets/redis/admin) exec redis-cli --user admin --no-auth-warning -p "$0" config get appendonly' "$OE_REDIS_PORT" | tail -1)
[ "$aof" = yes ] || { echo "FAIL: Redis appendonly is '$aof'"; exit 1; }
echo "   redis appendonly: $aof"

echo "== 4. through the gateway on 127.0.0.1:$OE_HTTP_PORT"
if ! /usr/bin/python3 tests/deploy/gateway_smoke.py "http://127.0.0.1:$OE_HTTP_PORT"; then
  "${compose[@]}" ps || true
  "${compose[@]}" logs --no-color --tail 30 || true
  exit 1
fi
echo "container test: every image built from the CI binaries; compose smoke test passed"
