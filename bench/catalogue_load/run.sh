#!/usr/bin/env bash
# Catalogue load time and peak memory with every shared file, against the
# same-run baseline without the two FY2023 XML files (Tabular List and
# Alphabetic Index). Alternates the two
# variants ROUNDS times (each run its own process), prints each run and the
# medians and ratios. Release build in build-release-catalogue (or BUILD=...,
# REBUILD=0 to use it as is).
#
#   bench/catalogue_load/run.sh            # OE_SHARED_DATA=../shared/data by default
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-release-catalogue}
ROUNDS=${ROUNDS:-3}
DATA=${OE_SHARED_DATA:-$ROOT/../shared/data}
if [ "${REBUILD:-1}" = 1 ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD" --target oe_bench_catalogue_load -j2 >/dev/null
fi
BIN="$BUILD/bench/catalogue_load/oe_bench_catalogue_load"
MANIFEST="$ROOT/data/manifests/shared-data.tsv"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
all_s=(); all_kb=(); all_cpu=(); base_s=(); base_kb=(); base_cpu=()
field() { awk -v k="$1" '$1 == k { print $2 }'; }
for i in $(seq "$ROUNDS"); do
  out=$("$BIN" "$MANIFEST" "$DATA" --without=icd10cm-tabular --without=icd10cm-index)
  base_s+=("$(field load_seconds <<<"$out")"); base_kb+=("$(field vm_hwm <<<"$out")")
  base_cpu+=("$(field cpu_seconds <<<"$out")")
  out=$("$BIN" "$MANIFEST" "$DATA")
  all_s+=("$(field load_seconds <<<"$out")"); all_kb+=("$(field vm_hwm <<<"$out")")
  all_cpu+=("$(field cpu_seconds <<<"$out")")
  echo "round $i: without the XML ${base_s[-1]} s (cpu ${base_cpu[-1]} s) ${base_kb[-1]} kB;" \
       "with ${all_s[-1]} s (cpu ${all_cpu[-1]} s) ${all_kb[-1]} kB"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ms=$(median "${all_s[@]}"); mb=$(median "${base_s[@]}")
mk=$(median "${all_kb[@]}"); bk=$(median "${base_kb[@]}")
mc=$(median "${all_cpu[@]}"); bc=$(median "${base_cpu[@]}")
awk -v s="$ms" -v b="$mb" -v k="$mk" -v bk="$bk" -v c="$mc" -v bc="$bc" 'BEGIN {
  printf "median with every file: %.3f s (cpu %.3f s), peak %.1f MB (targets: < 3 s, < 350 MB)\n", s, c, k / 1024
  printf "median without the XML: %.3f s (cpu %.3f s), peak %.1f MB\n", b, bc, bk / 1024
  printf "ratio with/without: time %.2f, cpu %.2f, peak memory %.2f\n", s / b, c / bc, k / bk
  exit !(s < 3 && k / 1024 < 350)
}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
