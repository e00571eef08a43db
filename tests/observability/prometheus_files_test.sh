#!/usr/bin/env bash
# The shipped Prometheus files pass Prometheus' own checker (promtool, from
# Debian's prometheus): the alert rules, the compose and Kubernetes scrape
# configurations, and the one the local runner writes.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
command -v promtool >/dev/null || { echo "promtool missing: run scripts/setup"; exit 1; }
promtool check rules "$ROOT/deploy/prometheus/rules.yml"
promtool check config "$ROOT/deploy/prometheus/prometheus.yml"
promtool check config "$ROOT/deploy/prometheus/prometheus-k8s.yml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$ROOT/deploy/prometheus/write_config.py" "$tmp/prometheus.yml" \
  "$ROOT/deploy/prometheus/rules.yml" "gateway 127.0.0.1:50160" "catalogue 127.0.0.1:50151" \
  "catalogue-2 127.0.0.1:50161" account 127.0.0.1:50153
promtool check config "$tmp/prometheus.yml"
grep -q '"127.0.0.1:50151", "127.0.0.1:50161"' "$tmp/prometheus.yml" ||
  { echo "replicas of one service must share a job"; cat "$tmp/prometheus.yml"; exit 1; }
# compose.metrics.yaml gives every compose service its admin address, and
# prometheus.yml scrapes exactly those ports.
/usr/bin/python3 - "$ROOT/deploy" <<'PY'
import re, sys, yaml
deploy = sys.argv[1]
compose = yaml.safe_load(open(f"{deploy}/compose.yaml"))["services"]
metrics = yaml.safe_load(open(f"{deploy}/compose.metrics.yaml"))["services"]
prom = yaml.safe_load(open(f"{deploy}/prometheus/prometheus.yml"))
targets = {j["job_name"]: t for j in prom["scrape_configs"]
           for c in j["static_configs"] for t in c["targets"]}
for name, svc in metrics.items():
    assert name in compose, f"compose.metrics.yaml: {name} is not a compose service"
    (env, value), = svc["environment"].items()
    assert env == f"OE_{name.upper()}_ADMIN_LISTEN", env
    port = re.search(r":-(\d+)\}$", value).group(1)
    assert targets.get(name) == f"127.0.0.1:{port}", (name, value, targets.get(name))
assert set(targets) == set(metrics), (sorted(targets), sorted(metrics))
print("compose metrics ports:", sorted(targets.values()))
PY
# The Grafana dashboard is JSON with one row per service.
/usr/bin/python3 - "$ROOT/deploy/grafana/openencoder.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = [p["title"] for p in d["panels"] if p["type"] == "row"]
for s in ("gateway", "catalogue", "search", "account", "jobs", "assistant", "redis"):
    assert any(s in r.lower() for r in rows), (s, rows)
print("dashboard rows:", rows)
PY
echo "prometheus files: OK"
