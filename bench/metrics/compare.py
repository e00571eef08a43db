#!/usr/bin/python3
"""Reads the oe_loadgen --json results bench/metrics/run.sh wrote
(<service>-<on|off>-<k>.json) and prints, per service, the median
method/health QPS ratio with metrics on and off and how far apart they are
(the goal: at most 5 %)."""
import glob
import json
import os
import statistics
import sys

folder = sys.argv[1]
print(f"{'service':10s} {'method':44s} {'ratio on':>9s} {'ratio off':>9s} {'on/off':>7s} "
      f"{'health qps on':>14s} {'off':>9s}  within 5%")
worst = 0.0
for name in ("catalogue", "search", "account", "jobs", "assistant"):
    runs = {}
    for mode in ("on", "off"):
        for path in sorted(glob.glob(os.path.join(folder, f"{name}-{mode}-*.json"))):
            with open(path) as f:
                runs.setdefault(mode, []).append(json.load(f))
    if len(runs) != 2:
        print(f"{name:10s} (not measured)")
        continue
    r_on = statistics.median(r["ratio"]["qps"] for r in runs["on"])
    r_off = statistics.median(r["ratio"]["qps"] for r in runs["off"])
    h_on = statistics.median(r["runs"]["baseline"]["qps"] for r in runs["on"])
    h_off = statistics.median(r["runs"]["baseline"]["qps"] for r in runs["off"])
    rel = r_on / r_off if r_off else float("nan")
    worst = max(worst, abs(rel - 1))
    method = runs["on"][0]["method"].rsplit("/", 1)[-1]
    print(f"{name:10s} {method:44s} {r_on:9.3f} {r_off:9.3f} {rel:7.3f} "
          f"{h_on:14.0f} {h_off:9.0f}  {'yes' if abs(rel - 1) <= 0.05 else 'NO'}")
print(f"largest difference between the ratios: {worst * 100:.1f} % "
      f"(medians of {min(len(v) for v in runs.values()) if runs else 0} run(s) per mode)")
