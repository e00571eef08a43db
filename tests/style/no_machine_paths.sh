#!/usr/bin/env bash
# Fails when a tracked file names a folder of one particular machine (a home
# folder or a workspace root): paths are relative to the repository or come
# from a setting such as $OE_SHARED_DATA.
set -euo pipefail
cd "$(dirname "$0")/../.."
if hits=$(git grep -nE '(^|[^A-Za-z0-9_.])/(work|home/[a-z][a-z0-9_-]*|Users/[A-Za-z])/' -- \
            ':!tests/style/no_machine_paths.sh'); then
  echo "machine-specific paths in the tree (use a path relative to the repository or a setting):"
  echo "$hits"
  exit 1
fi
echo "no machine-specific paths in $(git ls-files | wc -l) tracked files"
