#!/usr/bin/env bash
# Starts the whole suite with the local runner on free loopback ports, and
# checks that every server it starts answers grpc.health.v1 SERVING and lists
# its service through server reflection to a client that is not our C++ code
# (scripts/grpc_probe.py, python3-grpcio). Then everything is stopped.
set -euo pipefail
BUILD_DIR="$1"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Five consecutive gRPC ports from a random base well above the ephemeral-free zone.
base=$(/usr/bin/python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); from ports import pick_single_ports; print(pick_single_ports()[1])' "$ROOT/deploy/local")
run_dir=$(mktemp -d)
trap 'rm -rf "$run_dir"' EXIT
out=$(OE_SKIP_BUILD=1 OE_DATA_MANIFEST="${OE_DATA_MANIFEST:-$ROOT/data/demo/manifest.tsv}" OE_BUILD_DIR="$BUILD_DIR" OE_RUN_DIR="$run_dir" OE_RUN_ONCE=1 \
      OE_REDIS_PORT=$(free_port) OE_BASE_PORT=$base OE_HTTP_PORT=$(free_port) \
      "$ROOT/deploy/local/run" 2>&1) || { echo "$out"; for f in "$run_dir"/logs/*.log; do echo "== $f"; tail -20 "$f"; done; exit 1; }
echo "$out"
serving=$(grep -c "SERVING" <<<"$out" || true)
if [ "$serving" -lt 1 ]; then echo "no server started"; exit 1; fi
for name in account catalogue search jobs assistant; do
  bin="$BUILD_DIR/services/$name/oe_${name}_server"
  if [ -x "$bin" ] && ! grep -qE "^  $name +[0-9.:]+ +SERVING" <<<"$out"; then
    echo "FAIL: $name was built but is not SERVING"; exit 1
  fi
done
# Redis ran with the users of deploy/redis/acl-users: the default user off,
# one user per service, passwords in the run folder and only hashed in the ACL file.
acl="$run_dir/redis-acl/users.acl"
grep -q '^user default off ' "$acl" || { echo "FAIL: the default Redis user is not off in $acl"; exit 1; }
for user in account jobs assistant; do
  grep -q "^user $user on #" "$acl" || { echo "FAIL: no Redis user $user in $acl"; exit 1; }
  if grep -qF -- "$(cat "$run_dir/secrets/redis/$user")" "$acl"; then
    echo "FAIL: the password of $user is in $acl in plain text"; exit 1
  fi
done
echo "runner test: $serving servers SERVING, Redis with a user per service"
