# Sourced (". scripts/throwaway-certs.sh") by scripts that start servers
# outside the local runner (benches, the browser suite): makes a throw-away
# CA and one certificate per identity with scripts/make-certs in a temporary
# folder and exports OE_TLS_DIR, so every server, the gateway and oe_loadgen
# (the operator) talk mutual TLS as deployed, each with its own certificate.
# Left alone: OE_INSECURE=1 (plaintext, to debug or to measure what TLS
# costs) and an OE_TLS_DIR already set.
#
# The folder (keys included) is removed when the sourcing shell exits. A
# detached watcher does it, not a trap: the caller's own EXIT trap, set
# before or after sourcing, stays as the caller wrote it.
if [ "${OE_INSECURE:-0}" != 1 ] && [ -z "${OE_TLS_DIR:-}" ]; then
  OE_TLS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/oe-tls.XXXXXX")
  (
    while kill -0 "$$" 2>/dev/null; do sleep 1; done
    rm -rf "$OE_TLS_DIR"
  ) </dev/null >/dev/null 2>&1 &
  disown $! 2>/dev/null || true
  "$(dirname "${BASH_SOURCE[0]}")/make-certs" "$OE_TLS_DIR"
  export OE_TLS_DIR
fi
