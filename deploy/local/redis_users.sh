# Redis users for the local runner and its cluster form (sourced by
# deploy/local/run and deploy/local/cluster; kept apart from them so that
# other changes to those scripts merge easily).
#
# redis_users_init RUN_DIR: one password per user of deploy/redis/acl-users in
#   RUN_DIR/secrets/redis/<user> (made once, kept across runs, mode 600), and
#   RUN_DIR/redis-cli, redis-cli logged in as the admin user, for people and
#   tests (e.g. `$RUN_DIR/redis-cli -p 6380 acl log`).
# rcli ARGS...: that redis-cli, for the runner itself.
# REDIS_START: the command that starts a Redis node with the users
#   (deploy/redis/start-redis); append a state folder for its ACL file, then
#   redis-server options: "${REDIS_START[@]}" "$dir/acl" --port ...
# redis_service_env NAME: the OE_REDIS_USER/OE_REDIS_PASSWORD_FILE settings of
#   service NAME if it uses Redis (account, jobs, assistant), else nothing.
REDIS_USERS_RULES="$ROOT/deploy/redis/acl-users"

redis_users_init() {
  REDIS_SECRETS="$1/secrets/redis"
  mkdir -p "$REDIS_SECRETS"
  chmod 700 "$1/secrets" "$REDIS_SECRETS"
  local user
  for user in $(grep -v '^[[:space:]]*\(#\|$\)' "$REDIS_USERS_RULES" | awk '{print $1}'); do
    if [ ! -s "$REDIS_SECRETS/$user" ]; then
      (umask 077; head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$REDIS_SECRETS/$user")
    fi
  done
  REDIS_CLI="$1/redis-cli"
  cat >"$REDIS_CLI" <<CLI
#!/bin/sh
# redis-cli as the OpenEncoder Redis admin user of this run folder.
REDISCLI_AUTH=\$(cat "$REDIS_SECRETS/admin") exec redis-cli --user admin --no-auth-warning "\$@"
CLI
  chmod 700 "$REDIS_CLI"
  REDIS_START=("$ROOT/deploy/redis/start-redis" "$REDIS_USERS_RULES" "$REDIS_SECRETS")
}

rcli() { "$REDIS_CLI" "$@"; }


redis_service_env() {
  case "$1" in
    account|jobs|assistant)
      echo "OE_REDIS_USER=$1 OE_REDIS_PASSWORD_FILE=$REDIS_SECRETS/$1" ;;
  esac
}
