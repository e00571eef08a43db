#!/usr/bin/env bash
# scripts/throwaway-certs.sh: a sourcing shell gets a CA and one certificate
# per identity, its own EXIT trap still runs, and the folder (private keys
# included) is gone once that shell has exited.
set -euo pipefail
SRC="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export TMPDIR="$WORK"

bash -c '
  trap "echo trap-ran > \"$TMPDIR/trap\"" EXIT
  . "$1/scripts/throwaway-certs.sh"
  echo "$OE_TLS_DIR" > "$TMPDIR/dir"
  for id in catalogue search account jobs assistant gateway operator; do
    test -s "$OE_TLS_DIR/$id/tls.key" || { echo "no key for $id"; exit 1; }
  done
  test -s "$OE_TLS_DIR/ca.crt"
' _ "$SRC"

dir="$(cat "$WORK/dir")"
[[ "$(cat "$WORK/trap")" == trap-ran ]] || { echo "the caller's EXIT trap did not run"; exit 1; }
for _ in $(seq 50); do
  [[ -e "$dir" ]] || { echo "ok: $dir removed after the shell exited"; exit 0; }
  sleep 0.1
done
echo "the throw-away CA folder $dir is still there after its shell exited"
exit 1
