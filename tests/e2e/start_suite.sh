#!/usr/bin/env bash
# Starts the real suite the browser scenario runs against, on free loopback
# ports: redis-server, the account, catalogue (demo data) and search servers
# (plus jobs and assistant when built) and the gateway. Writes
# OE_E2E_URL=<gateway url> to $2 (an env file) once every server answers;
# stops everything on SIGTERM.
# There is no stand-in: a missing server binary is a failure (exit 1), so the
# browser test can only pass against the real services.
# Usage: start_suite.sh <build dir> <env file> <log dir>
set -euo pipefail
BUILD=$(cd "$1" && pwd); ENV_FILE=$2; LOGS=$3
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$LOGS"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
pids=()
stop_all() {
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap 'stop_all; exit 0' TERM INT
trap stop_all EXIT

missing=()
for b in catalogue/oe_catalogue_server search/oe_search_server account/oe_account_server \
         gateway/oe_gateway; do
  [ -x "$BUILD/services/$b" ] || missing+=("$BUILD/services/$b")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "start_suite: not built: ${missing[*]}" >&2
  echo "start_suite: build them first: cmake --build $BUILD --target oe_catalogue_server oe_search_server oe_account_server oe_gateway" >&2
  exit 1
fi
command -v redis-server >/dev/null || { echo "start_suite: redis-server not installed" >&2; exit 1; }

# The servers read data/ relative to the source tree.
cd "$ROOT"
REDIS_PORT=$(free_port)
# With the production Redis users (deploy/redis/acl-users), as the runner:
# each service logs in as its own user, the default user is off.
. "$ROOT/deploy/local/redis_users.sh"
redis_users_init "$LOGS"
"${REDIS_START[@]}" "$LOGS/redis-acl" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' \
  --appendonly no --daemonize no >"$LOGS/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do rcli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
rcli -p "$REDIS_PORT" ping >/dev/null 2>&1 || { echo "start_suite: redis did not start" >&2; exit 1; }
export OE_REDIS_ADDR="127.0.0.1:$REDIS_PORT"
# The moderation scenario's admin (jobs_scenario.mjs registers this address
# and confirms it through the mailed link).
export OE_ADMIN_EMAILS="${OE_ADMIN_EMAILS:-e2e-admin@example.com}"
# Billing as with a payment provider: the checkout page is the provider's
# (the billing scenario intercepts it in the browser), and the scenario plays
# the provider by posting events signed with this test secret.
export OE_BILLING_WEBHOOK_SECRET="${OE_BILLING_WEBHOOK_SECRET:-whsec_e2e_test_secret_0123456789abcdef}"
export OE_BILLING_CHECKOUT_URL="${OE_BILLING_CHECKOUT_URL:-https://checkout.provider.invalid/pay/e2e}"
# Operator calls (scripts/oe-admin grant-role ... consultant in
# consult_scenario.mjs): a fresh secret per run, handed to the scenario.
export OE_ACCOUNT_OPERATOR_TOKEN="${OE_ACCOUNT_OPERATOR_TOKEN:-e2e-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export OE_CATALOGUE_ADDR="127.0.0.1:$(free_port)" OE_SEARCH_ADDR="127.0.0.1:$(free_port)"
export OE_ACCOUNT_ADDR="127.0.0.1:$(free_port)" OE_JOBS_ADDR="127.0.0.1:$(free_port)"
export OE_ASSISTANT_ADDR="127.0.0.1:$(free_port)"
export OE_SOURCE_DIR="$ROOT" OE_DATA_MANIFEST="$ROOT/data/demo/manifest.tsv"
# Mutual TLS between the servers as deployed (OE_INSECURE=1: plaintext).
. "$ROOT/scripts/throwaway-certs.sh"
# Mail (the account's verification links, the assistant's answers) goes to
# the aiosmtpd sink, one .eml file per message in $MAIL_DIR, where the
# scenario reads the verification link.
SMTP_PORT=$(free_port)
MAIL_DIR="$LOGS/mail"
export OE_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT"
/usr/bin/python3 "$ROOT/tests/assistant/smtp_sink.py" "$SMTP_PORT" "$MAIL_DIR" >"$LOGS/smtp.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q ready "$LOGS/smtp.log" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$LOGS/smtp.log" || { echo "start_suite: the SMTP sink did not start" >&2; exit 1; }

#      name      required  gRPC service
for entry in "account   1 openencoder.account.v1.AccountService" \
             "catalogue 1 openencoder.catalogue.v1.CatalogueService" \
             "search    1 openencoder.search.v1.SearchService" \
             "jobs      0 openencoder.jobs.v1.JobsService" \
             "assistant 0 openencoder.assistant.v1.AssistantService"; do
  read -r name required service <<<"$entry"
  bin="$BUILD/services/$name/oe_${name}_server"
  if [ ! -x "$bin" ]; then
    echo "start_suite: $name not built; its routes will answer 503" >&2
    continue
  fi
  upper=$(echo "$name" | tr a-z A-Z)
  address_var="OE_${upper}_ADDR"
  address=${!address_var}
  # shellcheck disable=SC2046  # redis_service_env: NAME=value words
  env $(redis_service_env "$name") "OE_${upper}_LISTEN=$address" "$bin" >"$LOGS/$name.log" 2>&1 &
  pids+=($!)
  # Listening is logged as "serving" (python3-grpcio, which a health probe
  # would need, is not a dependency); search readiness is checked below.
  ok=0
  for _ in $(seq 300); do
    grep -q '"msg":"serving"' "$LOGS/$name.log" 2>/dev/null && { ok=1; break; }
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.2
  done
  if [ $ok = 0 ]; then
    echo "start_suite: $name not serving; see $LOGS/$name.log:" >&2
    tail -n 5 "$LOGS/$name.log" >&2
    [ "$required" = 1 ] && exit 1
  fi
done

HTTP_PORT=$(free_port)
OE_GATEWAY_LISTEN="127.0.0.1:$HTTP_PORT" OE_STATIC_DIR="$ROOT/services/gateway/web" \
  "$BUILD/services/gateway/oe_gateway" >"$LOGS/gateway.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null || { echo "start_suite: gateway did not start" >&2; exit 1; }
# Search answers NOT_SERVING (503 here) until its index is built.
for _ in $(seq 600); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/api/v1/search?query=heart+attack" >/dev/null && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$HTTP_PORT/api/v1/search?query=heart+attack" >/dev/null ||
  { echo "start_suite: search not ready; see $LOGS/search.log" >&2; exit 1; }
printf 'OE_E2E_URL=http://127.0.0.1:%s/\nOE_E2E_MODE=real\nOE_E2E_MAILDIR=%s\nOE_BILLING_WEBHOOK_SECRET=%s\nOE_BILLING_CHECKOUT_URL=%s\n' \
  "$HTTP_PORT" "$MAIL_DIR" "$OE_BILLING_WEBHOOK_SECRET" "$OE_BILLING_CHECKOUT_URL" >"$ENV_FILE.tmp"
printf 'OE_ACCOUNT_ADDR=%s\nOE_ACCOUNT_OPERATOR_TOKEN=%s\n' "$OE_ACCOUNT_ADDR" "$OE_ACCOUNT_OPERATOR_TOKEN" >>"$ENV_FILE.tmp"
# scripts/oe-admin presents the operator certificate of this run's CA.
printf 'OE_TLS_DIR=%s\nOE_INSECURE=%s\n' "${OE_TLS_DIR:-}" "${OE_INSECURE:-0}" >>"$ENV_FILE.tmp"
mv "$ENV_FILE.tmp" "$ENV_FILE"
echo "start_suite: real suite at http://127.0.0.1:$HTTP_PORT/ (logs in $LOGS)" >&2
while true; do sleep 1 & wait $! || true; done
