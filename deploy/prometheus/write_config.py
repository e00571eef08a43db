#!/usr/bin/python3
"""Writes a Prometheus configuration that scrapes the servers the local
runner started (deploy/local/run, deploy/local/cluster).

usage: write_config.py OUT RULES_FILE NAME ADDRESS [NAME ADDRESS ...]
       (each NAME ADDRESS pair may also be one argument "NAME ADDRESS")
NAME is a server as the runner prints it ("catalogue", "catalogue-2"); its
job is the name without a replica suffix, so replicas share one job. The
rules file is referenced by absolute path. OE_SCRAPE_INTERVAL sets the
scrape and evaluation interval (default 5s).
"""
import os
import re
import sys


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out, rules = argv[1], os.path.abspath(argv[2])
    words = " ".join(argv[3:]).split()
    if len(words) % 2:
        sys.exit("write_config.py: NAME ADDRESS pairs expected")
    interval = os.environ.get("OE_SCRAPE_INTERVAL", "5s")
    jobs = {}
    for name, address in zip(words[::2], words[1::2]):
        jobs.setdefault(re.sub(r"-\d+$", "", name), []).append(address)
    lines = [
        "# Written by deploy/prometheus/write_config.py for the local runner.",
        "global:",
        f"  scrape_interval: {interval}",
        f"  evaluation_interval: {interval}",
        "rule_files:",
        f"  - {rules}",
        "scrape_configs:",
    ]
    for job in sorted(jobs):
        lines += [
            f"  - job_name: {job}",
            "    static_configs:",
            "      - targets: [" + ", ".join(f'"{a}"' for a in jobs[job]) + "]",
            "        labels: {suite: openencoder}",
        ]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv)
