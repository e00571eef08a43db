#!/usr/bin/python3
"""The suite as an operator sees it: the local runner (deploy/local/run) on
free loopback ports, Debian's Prometheus scraping it with the configuration
the runner writes, and traffic through the gateway. One scenario per run:

  metrics  Prometheus' HTTP API must report non-zero rates for the gateway's
           code-page and search routes, the catalogue's and the account's
           RPCs, the meter's allowed views and the Redis commands, and load
           the shipped alert rules.
  trace    one code-page view sent with a W3C traceparent: its trace id must
           be in the gateway's, the catalogue's and the account's log lines
           of that view, and in the X-Trace-Id response header; an API error
           names the trace id in its body.

usage: observability_e2e_test.py BUILD_DIR SCENARIO
Exit status 0 when every assertion holds.
"""
import http.cookiejar
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "deploy", "local"))
from ports import pick_single_ports  # noqa: E402  (the runner's port layout)
CODES = ["E119", "E118", "E116", "E114", "E112", "E111", "E11A"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Suite:
    def __init__(self, build_dir):
        self.redis_port, self.base, self.http_port = pick_single_ports()
        self.run_dir = tempfile.mkdtemp(prefix="oe-observability-")
        env = dict(os.environ, OE_SKIP_BUILD="1", OE_BUILD_DIR=build_dir, OE_RUN_DIR=self.run_dir,
                   OE_RUN_HOLD="1", OE_REDIS_PORT=str(self.redis_port),
                   OE_BASE_PORT=str(self.base), OE_HTTP_PORT=str(self.http_port),
                   OE_LOG_LEVEL="info", OE_SCRAPE_INTERVAL="1s",
                   OE_DATA_MANIFEST=os.path.join(ROOT, "data", "demo", "manifest.tsv"),
                   # A new guest per round, each with views to spend.
                   OE_ACCOUNT_GUESTS_PER_ADDRESS="100000")
        self.proc = subprocess.Popen([os.path.join(ROOT, "deploy", "local", "run")], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = []
        deadline = time.monotonic() + 150
        for line in self.proc.stdout:
            self.output.append(line)
            if line.strip() in ("READY", "NOT READY") or time.monotonic() > deadline:
                break
        print("".join(self.output), flush=True)
        if not self.output or self.output[-1].strip() != "READY":
            self.dump_logs()
            self.stop()
            sys.exit("observability: the suite did not become ready")
        # Keep draining the runner's output so that it never blocks on a pipe.
        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()
        self.gateway = f"http://127.0.0.1:{self.http_port}"

    def log(self, name):
        path = os.path.join(self.run_dir, "logs", f"{name}.log")
        with open(path, errors="replace") as f:
            return f.read()

    def dump_logs(self):
        logs = os.path.join(self.run_dir, "logs")
        for f in sorted(os.listdir(logs)) if os.path.isdir(logs) else []:
            with open(os.path.join(logs, f), errors="replace") as fh:
                print(f"== {f}\n" + "".join(fh.readlines()[-15:]))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.run_dir, ignore_errors=True)


def browser():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def get(opener, url, headers=None):
    # As our own pages do: a metered read from another site spends no view.
    request = urllib.request.Request(url, headers={"Sec-Fetch-Site": "same-origin",
                                                   **(headers or {})})
    try:
        with opener.open(request, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def traffic(suite, rounds=1):
    for _ in range(rounds):
        opener = browser()  # a new visitor: a new guest session, views to spend
        for code in random.sample(CODES, 3):
            status, _, body = get(opener, f"{suite.gateway}/api/v1/codes/{code}")
            assert status == 200, (status, body[:300])
        status, _, _ = get(opener, f"{suite.gateway}/api/v1/search?query=diabetes")
        assert status == 200, status
        get(opener, f"{suite.gateway}/healthz")


def prom_query(port, expr):
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=10) as r:
        data = json.load(r)
    assert data["status"] == "success", data
    return data["data"]["result"]


def scenario_metrics(suite):
    prom_port = free_port()
    data = tempfile.mkdtemp(prefix="oe-prometheus-")
    config = os.path.join(suite.run_dir, "prometheus.yml")
    prom = subprocess.Popen(["prometheus", f"--config.file={config}",
                             f"--storage.tsdb.path={data}",
                             f"--web.listen-address=127.0.0.1:{prom_port}", "--log.level=warn"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        checks = {
            "gateway code-page route": 'sum(rate(oe_gateway_http_requests_total{job="gateway",route="/api/v1/codes/{code}",status="200"}[20s]))',
            "gateway search route": 'sum(rate(oe_gateway_http_requests_total{job="gateway",route="/api/v1/search",status="200"}[20s]))',
            "catalogue RPCs": 'sum(rate(grpc_server_handled_total{job="catalogue",grpc_service="openencoder.catalogue.v1.CatalogueService",grpc_code="OK"}[20s]))',
            "account RPCs": 'sum(rate(grpc_server_handled_total{job="account",grpc_service="openencoder.account.v1.AccountService",grpc_code="OK"}[20s]))',
            "gateway client calls to the catalogue": 'sum(rate(grpc_client_handled_total{job="gateway",grpc_service="openencoder.catalogue.v1.CatalogueService"}[20s]))',
            "meter allowed views": 'sum(rate(oe_account_views_total{job="account",outcome="allowed"}[20s]))',
            "Redis commands": 'sum(rate(oe_redis_commands_total{job="account",outcome="ok"}[20s]))',
        }
        deadline = time.monotonic() + 90
        values = {}
        while True:
            traffic(suite)
            time.sleep(1)
            if prom.poll() is not None:
                sys.exit("prometheus exited: " + prom.stderr.read())
            try:
                for name, expr in checks.items():
                    result = prom_query(prom_port, expr)
                    values[name] = float(result[0]["value"][1]) if result else 0.0
            except (urllib.error.URLError, ConnectionError):
                values = {}
            if values and all(v > 0 for v in values.values()):
                break
            if time.monotonic() > deadline:
                print("rates:", json.dumps(values, indent=1))
                targets = urllib.request.urlopen(
                    f"http://127.0.0.1:{prom_port}/api/v1/targets", timeout=10).read().decode()
                print("targets:", targets[:3000])
                sys.exit("observability: some rates stayed zero")
        for name, v in values.items():
            print(f"  {name:40s} {v:.3f}/s")
        # Every server is a healthy target, and the shipped rules loaded.
        up = {r["metric"]["job"]: r["value"][1] for r in prom_query(prom_port, "up")}
        print("up:", up)
        for job in ("gateway", "catalogue", "search", "account", "jobs", "assistant"):
            assert up.get(job) == "1", (job, up)
        with urllib.request.urlopen(f"http://127.0.0.1:{prom_port}/api/v1/rules", timeout=10) as r:
            groups = json.load(r)["data"]["groups"]
        alerts = {rule["name"] for g in groups for rule in g["rules"] if rule["type"] == "alerting"}
        for wanted in ("OpenEncoderRpcErrorRateHigh", "OpenEncoderMeterUnavailable",
                       "OpenEncoderOutboxBacklog", "OpenEncoderRedisFailover"):
            assert wanted in alerts, (wanted, sorted(alerts))
        # The gateway's metrics are not on its public port.
        status, _, _ = get(browser(), f"{suite.gateway}/metrics")
        assert status == 404, status
        print("observability metrics: every rate is non-zero in Prometheus")
    finally:
        prom.send_signal(signal.SIGTERM)
        try:
            prom.wait(timeout=20)
        except subprocess.TimeoutExpired:
            prom.kill()
        shutil.rmtree(data, ignore_errors=True)


def lines_with(text, needle):
    out = []
    for line in text.splitlines():
        if needle in line:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    return out


def scenario_trace(suite):
    trace_id = "%032x" % random.getrandbits(128)
    parent = "%016x" % random.getrandbits(64)
    opener = browser()
    status, headers, body = get(opener, f"{suite.gateway}/api/v1/codes/E119",
                                {"traceparent": f"00-{trace_id}-{parent}-01"})
    assert status == 200, (status, body[:300])
    assert headers.get("X-Trace-Id") == trace_id, headers
    request_id = headers.get("X-Request-Id")
    time.sleep(0.5)  # the log lines are written as the calls end
    gateway = lines_with(suite.log("gateway"), trace_id)
    catalogue = lines_with(suite.log("catalogue"), trace_id)
    account = lines_with(suite.log("account"), trace_id)
    print("gateway:", gateway, "\ncatalogue:", catalogue, "\naccount:", account)
    assert any(l.get("msg") == "http" and l.get("path") == "/api/v1/codes/E119" for l in gateway), gateway
    assert any(l.get("method", "").endswith("/GetCodePage") for l in catalogue), catalogue
    assert any(l.get("method", "").endswith("/ConsumeView") for l in account), account
    for l in gateway + catalogue + account:
        assert l.get("trace_id") == trace_id and l.get("request_id") == request_id, l
    # Each hop is its own span of the one trace.
    spans = {l.get("span_id") for l in catalogue + account}
    assert len(spans) >= 2 and parent not in spans, spans

    # Without a traceparent the gateway starts a trace; an API error names it.
    status, headers, body = get(opener, f"{suite.gateway}/api/v1/codes/NOT-A-CODE-42")
    assert status >= 400, status
    error = json.loads(body)["error"]
    assert error.get("traceId") == headers.get("X-Trace-Id") and len(error["traceId"]) == 32, (error, headers)
    assert lines_with(suite.log("gateway"), error["traceId"]), "the error's trace id is not in the gateway log"
    print(f"observability trace: {trace_id} followed through gateway, catalogue and account")


def main(argv):
    if len(argv) != 3 or argv[2] not in ("metrics", "trace"):
        sys.exit(__doc__)
    if shutil.which("prometheus") is None:
        sys.exit("observability: Debian's prometheus is not installed (run scripts/setup)")
    suite = Suite(argv[1])
    try:
        (scenario_metrics if argv[2] == "metrics" else scenario_trace)(suite)
    except AssertionError:
        suite.dump_logs()
        raise
    finally:
        suite.stop()


if __name__ == "__main__":
    main(sys.argv)
