# Sourced by deploy/local/run and deploy/local/cluster: which code sets the
# catalogue serves. An explicit OE_DATA_MANIFEST wins; else the official files
# scripts/get-data fetched into data/official; else the demo data set.
# Sets OE_DATA_MANIFEST (exported) and OE_DATA_LABEL (what the runner prints).
if [ -n "${OE_DATA_MANIFEST:-}" ]; then
  OE_DATA_LABEL="$OE_DATA_MANIFEST (OE_DATA_MANIFEST)"
elif [ -f "$ROOT/data/official/manifest.tsv" ]; then
  OE_DATA_MANIFEST="$ROOT/data/official/manifest.tsv"
  OE_DATA_LABEL="official code sets in data/official (scripts/get-data)"
else
  OE_DATA_MANIFEST="$ROOT/data/demo/manifest.tsv"
  OE_DATA_LABEL="demo data, about 186 codes (data/demo); scripts/get-data fetches the official code sets"
fi
export OE_DATA_MANIFEST
