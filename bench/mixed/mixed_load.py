#!/usr/bin/python3
"""Mixed load through the gateway, single-node versus cluster form.

Starts the suite with deploy/local/run (single node) and then with
deploy/local/run --cluster (six-node Redis Cluster, two replicas of each
server) on free loopback ports, drives the same closed-loop mix of browser
requests for --duration seconds against each, and writes throughput and
p50/p99 per route to bench/mixed/RESULTS.md.

Mix (shares of requests, what a coder's browser does most):
  search 45%  GET /api/v1/search?query=...      (Case2Code)
  code   30%  GET /api/v1/codes/{code}          (metered code page: catalogue + account)
  jobs   15%  GET /api/v1/jobs?...              (CareerCenter search)
  login   5%  POST /api/v1/account/login        (argon2id; CSRF double submit)
  assist  5%  AssistantService.Ask over gRPC    (only if the assistant runs; the gateway
                                                 has no assistant route yet)

usage: mixed_load.py [--build-dir build] [--duration 20] [--threads 8]
                     [--forms single,cluster] [--out bench/mixed/RESULTS.md]
Everything stays on 127.0.0.1; each form runs for a bounded time.
"""
import argparse
import http.cookiejar
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "deploy", "local"))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from ports import pick_ports  # noqa: E402  (the runner's port layout)
QUERIES = ["diabetes", "heart attack", "zoster", "hypothyroidism", "knee replacement", "E11",
           "type 2 diabetes without complications", "chest pain", "wheelchair", "office visit"]
CODES = ["E11.9", "E10.9", "B02.9", "E03.9", "E11.65", "I21.4", "J45.909", "Z00.00"]
JOB_QUERIES = ["", "query=coder", "query=remote", "query=inpatient"]
QUESTIONS = ["What is the ICD-10-CM code for type 2 diabetes without complications?",
             "Can E11.9 be billed with E10.9?", "What does modifier 25 mean?"]
MIX = [("search", 45), ("code", 30), ("jobs", 15), ("login", 5), ("assist", 5)]
PASSWORD = "mixed-load-Password-7"


class Suite:
    def __init__(self, form, build_dir):
        self.form = form
        redis_port, base, http_port = pick_ports()
        self.run_dir = tempfile.mkdtemp(prefix=f"oe-mixed-{form}-")
        env = dict(os.environ, OE_SKIP_BUILD="1", OE_BUILD_DIR=build_dir, OE_RUN_DIR=self.run_dir,
                   OE_REDIS_PORT=str(redis_port), OE_BASE_PORT=str(base), OE_HTTP_PORT=str(http_port),
                   OE_LOG_LEVEL="warning", OE_GATEWAY_ACCESS_LOG="0",
                   OE_ACCOUNT_VIEWS_PER_MONTH="-1/-1/-1/-1", OE_ACCOUNT_GUESTS_PER_ADDRESS="1000000",
                   OE_ACCOUNT_REGISTRATIONS_PER_ADDRESS="1000000",
                   OE_ACCOUNT_LOGIN_FAILURES_PER_ADDRESS="1000000",
                   OE_ACCOUNT_FEATURE_LIMITS="assistant.ask=-1/-1/-1/-1",
                   OE_RUN_HOLD="1")
        args = [os.path.join(ROOT, "deploy", "local", "run")] + (["--cluster"] if form == "cluster" else [])
        self.proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True)
        self.gateway = f"http://127.0.0.1:{http_port}"
        # The runner makes this suite's CA and certificates (mutual TLS).
        os.environ["OE_TLS_DIR"] = os.path.join(self.run_dir, "tls")
        self.assistant = []
        self.lines = []
        threading.Thread(target=lambda: [self.lines.append(x) for x in self.proc.stdout], daemon=True).start()
        deadline = time.monotonic() + 300
        # Measure only once the runner has printed its table: its readiness
        # probes (python processes) must not compete with the load.
        while time.monotonic() < deadline and not any("Press Ctrl-C" in x for x in self.lines):
            time.sleep(0.2)
        for line in self.lines:
            parts = line.split()
            if parts and parts[0].startswith("assistant") and len(parts) > 2 and parts[2] == "SERVING":
                self.assistant.append(parts[1])
        # Ready when the gateway answers a search (the index is built).
        while time.monotonic() < deadline:
            status, _, _ = request(None, "GET", self.gateway + "/api/v1/search?query=diabetes")
            if status == 200:
                return
            time.sleep(0.5)
        self.close()
        raise RuntimeError(f"{form}: the suite did not become ready")

    def close(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def request(opener, method, url, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with (opener or urllib.request.build_opener()).open(req, timeout=10) as r:
            return r.status, r.read(), r
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e
    except Exception as e:
        return type(e).__name__, b"", None


def csrf(jar):
    return next((c.value for c in jar if c.name == "oe_csrf"), "")


class Browser:
    def __init__(self, gateway):
        self.gateway = gateway
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.email = f"mixed-{uuid.uuid4().hex[:10]}@example.org"

    def post(self, path, body):
        if not csrf(self.jar):
            request(self.opener, "GET", self.gateway + "/api/v1/session")
        return request(self.opener, "POST", self.gateway + path, body, {"X-CSRF-Token": csrf(self.jar)})

    def register(self):
        status, body, _ = self.post("/api/v1/account/register",
                                    {"email": self.email, "password": PASSWORD, "displayName": "Mixed Load",
                                     "role": "ROLE_CODER"})
        if status != 200:
            raise RuntimeError(f"register: {status} {body[:200]!r}")


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def run_form(suite, duration, threads):
    ask = None
    if suite.assistant:
        ask = assistant_client(suite.assistant)
    mix = [(r, w) for r, w in MIX if r != "assist" or ask]
    routes = [r for r, w in mix for _ in range(w)]
    results = {r: {"lat": [], "err": 0} for r, _ in mix}
    lock = threading.Lock()
    browsers = []
    for _ in range(threads):
        b = Browser(suite.gateway)
        b.register()
        browsers.append(b)
    stop = time.monotonic() + duration

    def worker(b, seed):
        rnd = random.Random(seed)
        while time.monotonic() < stop:
            route = rnd.choice(routes)
            t0 = time.perf_counter()
            if route == "search":
                q = urllib.request.quote(rnd.choice(QUERIES))
                status, _, _ = request(b.opener, "GET", f"{suite.gateway}/api/v1/search?query={q}")
            elif route == "code":
                status, _, _ = request(b.opener, "GET", f"{suite.gateway}/api/v1/codes/{rnd.choice(CODES)}",
                                        headers={"Sec-Fetch-Site": "same-origin"})
                status = 200 if status in (200, 404) else status  # a code absent from the demo set is a 404
            elif route == "jobs":
                status, _, _ = request(b.opener, "GET", f"{suite.gateway}/api/v1/jobs?{rnd.choice(JOB_QUERIES)}")
            elif route == "login":
                status, _, _ = b.post("/api/v1/account/login", {"email": b.email, "password": PASSWORD})
            else:
                status = ask(rnd.choice(QUESTIONS))
            dt = time.perf_counter() - t0
            with lock:
                if status == 200:
                    results[route]["lat"].append(dt)
                else:
                    results[route]["err"] += 1

    ts = [threading.Thread(target=worker, args=(b, i)) for i, b in enumerate(browsers)]
    t_start = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    elapsed = time.monotonic() - t_start
    out = {}
    for r, v in results.items():
        lat = sorted(v["lat"])
        out[r] = dict(n=len(lat), err=v["err"], rps=len(lat) / elapsed,
                      p50=percentile(lat, 0.50) * 1000, p99=percentile(lat, 0.99) * 1000)
    total = sum(v["n"] for v in out.values())
    out["all"] = dict(n=total, err=sum(v["err"] for v in out.values()), rps=total / elapsed,
                      p50=percentile(sorted(x for v in results.values() for x in v["lat"]), 0.5) * 1000,
                      p99=percentile(sorted(x for v in results.values() for x in v["lat"]), 0.99) * 1000)
    return out


def assistant_client(addresses):
    import grpc
    from grpc_tools import protoc
    import grpc_tools
    out = tempfile.mkdtemp(prefix="oe-mixed-stubs-")
    protos = []
    for folder, _, files in os.walk(os.path.join(ROOT, "protos")):
        protos += [os.path.relpath(os.path.join(folder, f), os.path.join(ROOT, "protos"))
                   for f in files if f.endswith(".proto")]
    protoc.main(["protoc", f"-I{ROOT}/protos", f"-I{os.path.dirname(grpc_tools.__file__)}/_proto",
                 f"--python_out={out}", f"--grpc_python_out={out}"] + protos)
    sys.path.insert(0, out)
    from openencoder.assistant.v1 import assistant_service_pb2 as pb, assistant_service_pb2_grpc as pbg
    from openencoder.account.v1 import account_service_pb2 as apb
    import oe_tls
    channel = oe_tls.channel("ipv4:" + ",".join(addresses), "gateway", options=[
        ("grpc.service_config", json.dumps({"loadBalancingConfig": [{"round_robin": {}}]}))])
    stub = pbg.AssistantServiceStub(channel)
    fields = {f.name for f in pb.AskRequest.DESCRIPTOR.fields}

    def ask(question):
        req = pb.AskRequest()
        if "question" in fields:
            req.question = question
        try:
            for _ in stub.Ask(req, timeout=10):
                pass
            return 200
        except grpc.RpcError as e:
            # Without a session the assistant answers UNAUTHENTICATED quickly; count only full answers.
            return e.code().name
    del apb
    return ask


def table(results, forms, duration, threads, load):
    lines = [f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `bench/mixed/mixed_load.py "
             f"--duration {duration} --threads {threads}` on loopback (2 cores shared with other work; load "
             f"average at start {load}). Closed loop: {threads} browsers, each with its own registered account "
             "and cookies, one request at a time. Throughput is requests answered 200 per second; p50/p99 in ms; "
             "errors are non-200 answers. The single-node Redis runs with `appendfsync always` (deploy/local/run); the "
             "cluster's six nodes with `appendfsync everysec`, relying on their replicas (deploy/local/cluster).", "",
             "| route | share | " + " | ".join(f"{f} req/s | {f} p50 | {f} p99 | {f} errors" for f in forms) + " |",
             "|---|---|" + "---|---|---|---|" * len(forms)]
    shares = dict(MIX)
    for route in [r for r, _ in MIX] + ["all"]:
        if not any(route in results[f] for f in forms):
            continue
        cells = []
        for f in forms:
            v = results[f].get(route)
            cells.append("n/a | n/a | n/a | n/a" if not v else
                         f"{v['rps']:.1f} | {v['p50']:.1f} | {v['p99']:.1f} | {v['err']}")
        share = f"{shares[route]}%" if route in shares else "100%"
        lines.append(f"| {route} | {share} | " + " | ".join(cells) + " |")
    if all("assist" not in results[f] for f in forms):
        lines += ["", "The assistant share was left out: no oe_assistant_server was built, and the gateway has "
                      "no assistant route yet; the other shares were scaled up to 100%."]
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    p.add_argument("--duration", type=float, default=20)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--forms", default="single,cluster")
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "mixed", "RESULTS.md"))
    a = p.parse_args()
    forms = a.forms.split(",")
    load = os.getloadavg()[0]
    results = {}
    for form in forms:
        suite = Suite(form, os.path.abspath(a.build_dir))
        try:
            print(f"{form}: running {a.duration:.0f} s with {a.threads} browsers", flush=True)
            results[form] = run_form(suite, a.duration, a.threads)
        finally:
            suite.close()
    text = "# Mixed load through the gateway: single node vs cluster\n\n" + \
        table(results, forms, a.duration, a.threads, f"{load:.1f}")
    print(text)
    with open(a.out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
