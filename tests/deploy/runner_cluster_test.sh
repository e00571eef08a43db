#!/usr/bin/env bash
# The cluster form of the local runner (deploy/local/run --cluster) on free
# loopback ports: a six-node Redis Cluster made with redis-cli --cluster
# create must reach cluster_state:ok with 3 primaries and 3 replicas, and
# both replicas of every built server must answer grpc.health.v1 SERVING and
# list their service through reflection. Then everything is stopped and no
# process of the run may be left.
set -euo pipefail
BUILD_DIR="$1"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
# Ports: 6 Redis nodes (+10000 for their bus), 2x5 gRPC, 1 HTTP, all checked free
# and all below the ephemeral range (32768+), so no client connection can take one.
read -r redis_port base http_port < <(/usr/bin/python3 - <<'PY'
import random, socket
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
for _ in range(200):
    r = random.randrange(20000, 22700); b = random.randrange(10000, 19000); h = b + 30
    ports = [r + i for i in range(6)] + [r + 10000 + i for i in range(6)] + \
            [b + i + 10 * k for i in range(5) for k in range(2)] + [h]
    if all(free(p) for p in ports):
        print(r, b, h); break
PY
)
run_dir=$(mktemp -d)
trap 'rm -rf "$run_dir"' EXIT
out=$(OE_SKIP_BUILD=1 OE_DATA_MANIFEST="${OE_DATA_MANIFEST:-$ROOT/data/demo/manifest.tsv}" OE_BUILD_DIR="$BUILD_DIR" OE_RUN_DIR="$run_dir" OE_RUN_ONCE=1 \
      OE_REDIS_PORT=$redis_port OE_BASE_PORT=$base OE_HTTP_PORT=$http_port \
      timeout 240 "$ROOT/deploy/local/run" --cluster 2>&1) || {
  echo "$out"; for f in "$run_dir"/logs/*.log; do echo "== $f"; tail -20 "$f"; done; exit 1; }
echo "$out"
grep -q "redis-cli\|\[OK\] All 16384 slots covered" "$run_dir/logs/redis-cluster-create.log" \
  || { echo "FAIL: redis-cli --cluster create did not cover all slots"; cat "$run_dir/logs/redis-cluster-create.log"; exit 1; }
grep -q "Adding replica" "$run_dir/logs/redis-cluster-create.log" \
  || { echo "FAIL: the cluster was created without replicas"; exit 1; }
for name in account catalogue search jobs assistant; do
  bin="$BUILD_DIR/services/$name/oe_${name}_server"
  [ -x "$bin" ] || continue
  for r in 1 2; do
    grep -qE "^  $name-$r +[0-9.:]+ +SERVING" <<<"$out" || { echo "FAIL: $name-$r is not SERVING"; exit 1; }
  done
done
if [ -x "$BUILD_DIR/services/gateway/oe_gateway" ]; then
  grep -qE "^  gateway +http://[0-9.:]+/ +SERVING" <<<"$out" || { echo "FAIL: gateway not serving"; exit 1; }
fi
for f in "$run_dir"/pids/*.pid; do
  if kill -0 "$(cat "$f")" 2>/dev/null; then echo "FAIL: $(basename "$f" .pid) still running"; exit 1; fi
done
echo "cluster runner test: $(grep -c ' SERVING' <<<"$out") servers SERVING, 6 Redis nodes"
