#!/usr/bin/python3
"""Fault tests of the cluster form of the suite (deploy/local/run --cluster),
on loopback, bounded in time. One scenario per run:

  replica_kill    load through the gateway (searches, metered code pages, job
                  searches), ConsumeView and job applications; SIGKILL one
                  replica of every service mid-load. No read may fail or
                  degrade (idempotent calls are retried on the other replica);
                  stored views equal acknowledged views, and no coder has two
                  applications to one posting: nothing applied twice.
  redis_failover  ConsumeView load straight at the account replicas; SIGKILL
                  the Redis primary holding most keys. Its replica must be
                  promoted, the suite must serve again without any restart,
                  and after failed requests are retried with their request_id
                  the stored counts must equal the acknowledged views; the
                  loss that asynchronous replication allows is measured and
                  bounded (see tests/chaos/README.md).
  redis_pause     SIGSTOP a Redis primary for 3 s, longer than every deadline
                  (cluster-node-timeout raised so that no failover hides it):
                  calls for its keys fail fast with UNAVAILABLE, calls for the
                  other primaries go on, and all recover after SIGCONT.

usage: chaos_test.py BUILD_DIR SCENARIO
Uses Debian's python3-grpcio and python3-grpc-tools (stubs generated from
protos/ at test time). Prints its measurements; exit status 0 when every
assertion holds.
"""
import http.cookiejar
import json
import os
import queue
import random
import shutil
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
import oe_tls  # noqa: E402  (mutual TLS with the runner's certificates)


# ---------------------------------------------------------------- stubs ---
def load_stubs():
    from grpc_tools import protoc
    import grpc_tools
    out = tempfile.mkdtemp(prefix="oe-chaos-stubs-")
    protos = []
    for folder, _, files in os.walk(os.path.join(ROOT, "protos")):
        protos += [os.path.relpath(os.path.join(folder, f), os.path.join(ROOT, "protos"))
                   for f in files if f.endswith(".proto")]
    args = ["protoc", f"-I{os.path.join(ROOT, 'protos')}",
            f"-I{os.path.join(os.path.dirname(grpc_tools.__file__), '_proto')}",
            f"--python_out={out}", f"--grpc_python_out={out}"] + protos
    if protoc.main(args) != 0:
        sys.exit("chaos: cannot compile the protos")
    sys.path.insert(0, out)
    return out


# ---------------------------------------------------------------- suite ---
class Suite:
    """The cluster form started with OE_RUN_HOLD=1; stopped with SIGTERM."""

    def __init__(self, build_dir, extra_env=None, timeout=150):
        # A CI run builds just before: gigabytes of dirty pages make the Redis
        # nodes' AOF writes stall behind writeback, and a stalled replica falls
        # seconds behind (a failover then loses seconds of writes, which tests
        # the disk, not the suite). Flush them first.
        os.sync()
        self.redis_port, self.base, self.http_port = pick_ports()
        self.run_dir = tempfile.mkdtemp(prefix="oe-chaos-")
        env = dict(os.environ, OE_SKIP_BUILD="1", OE_DATA_MANIFEST=os.environ.get("OE_DATA_MANIFEST", os.path.join(ROOT, "data/demo/manifest.tsv")), OE_BUILD_DIR=build_dir, OE_RUN_DIR=self.run_dir,
                   OE_RUN_HOLD="1", OE_REDIS_PORT=str(self.redis_port), OE_BASE_PORT=str(self.base),
                   OE_HTTP_PORT=str(self.http_port), OE_LOG_LEVEL="warning", **(extra_env or {}))
        self.proc = subprocess.Popen([os.path.join(ROOT, "deploy", "local", "run"), "--cluster"], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        self.output, self.addresses = [], {}
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                self.fail_start("the suite did not become ready in time")
            if line is None:
                self.fail_start("the runner exited")
            self.output.append(line)
            parts = line.split()
            if len(parts) >= 3 and parts[2].startswith("SERVING"):
                self.addresses[parts[0]] = parts[1]
            if line.strip() == "READY":
                break
            if line.strip() == "NOT READY":
                self.fail_start("not every server became ready")
        print("".join(self.output), flush=True)
        # The runner made this suite's CA and certificates (mutual TLS).
        os.environ["OE_TLS_DIR"] = os.path.join(self.run_dir, "tls")
        self.gateway = f"http://127.0.0.1:{self.http_port}"
        self.redis_ports = [self.redis_port + i for i in range(6)]

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def fail_start(self, why):
        print("".join(self.output))
        logs = os.path.join(self.run_dir, "logs")
        for f in sorted(os.listdir(logs)) if os.path.isdir(logs) else []:
            if "NOT READY" in "".join(self.output) and f"{f[:-4]} " not in "".join(
                    line for line in self.output if "NOT READY" in line):
                continue  # only the logs of servers that did not become ready
            with open(os.path.join(logs, f), errors="replace") as fh:
                print(f"== {f}\n" + "".join(fh.readlines()[-15:]))
        self.close()
        sys.exit(f"FAIL: {why}")

    def replicas(self, service):
        return [a for n, a in sorted(self.addresses.items()) if n.rsplit("-", 1)[0] == service]

    def pid(self, name):
        with open(os.path.join(self.run_dir, "pids", f"{name}.pid")) as f:
            return int(f.read())

    def alive(self, name):
        try:
            os.kill(self.pid(name), 0)
            return True
        except (OSError, FileNotFoundError):
            return False

    def signal(self, name, sig):
        os.kill(self.pid(name), sig)

    def redis(self, port, *args):
        # The runner's redis-cli logs in as the admin user (the default user is off).
        r = subprocess.run([os.path.join(self.run_dir, "redis-cli"), "-p", str(port), *args],
                           capture_output=True, text=True, timeout=5)
        return r.stdout

    def close(self):
        if self.proc.poll() is None:
            # A paused node would not see the TERM; the runner continues them too.
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        pids_dir = os.path.join(self.run_dir, "pids")
        for f in os.listdir(pids_dir) if os.path.isdir(pids_dir) else []:
            try:
                with open(os.path.join(pids_dir, f)) as fh:
                    os.kill(int(fh.read()), signal.SIGKILL)
            except (OSError, ValueError):
                pass
        if self.proc.poll() is None:
            self.proc.kill()
        shutil.rmtree(self.run_dir, ignore_errors=True)


# ---------------------------------------------------------------- gRPC ----
def account_channel(grpc, addresses, retry_idempotent=False, identity="gateway"):
    config = {"loadBalancingConfig": [{"round_robin": {}}]}
    if retry_idempotent:
        config["methodConfig"] = [{
            "name": [{"service": "openencoder.account.v1.AccountService", "method": "ConsumeView"}],
            "retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.02s", "maxBackoff": "0.2s",
                            "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"]}}]
    return oe_tls.channel("ipv4:" + ",".join(addresses), identity,
                          options=[("grpc.service_config", json.dumps(config))])


class AccountStubs:
    """Account stubs that call each internal-only method with the identity it
    answers to (services/common/method_acl.cc): ConsumeView as the catalogue,
    the operator RPCs as the operator, the rest as the gateway."""

    def __init__(self, grpc, pbg, addresses, retry_idempotent=False):
        self.gateway = pbg.AccountServiceStub(account_channel(grpc, addresses))
        self.catalogue = pbg.AccountServiceStub(
            account_channel(grpc, addresses, retry_idempotent, identity="catalogue"))
        self.operator = pbg.AccountServiceStub(account_channel(grpc, addresses, identity="operator"))

    def __getattr__(self, method):
        if method == "ConsumeView":
            return getattr(self.catalogue, method)
        if method.startswith("Operator"):
            return getattr(self.operator, method)
        return getattr(self.gateway, method)


def guest_sessions(grpc, pb, stub, n):
    tokens = []
    for i in range(n):
        r = stub.CreateGuestSession(pb.CreateGuestSessionRequest(
            client_address=f"10.9.{random.randrange(256)}.{i + 1}", user_agent="chaos"), timeout=5)
        tokens.append(r.session.token)
    return tokens


class ViewLoad:
    """Threads calling ConsumeView with a fresh code and request_id each time.
    A failed request is kept and retried later with the same request_id, so a
    view is acknowledged exactly once whatever happened to earlier attempts."""

    def __init__(self, grpc, pb, stub, tokens, threads=4, deadline=2.0):
        self.grpc, self.pb, self.stub, self.tokens, self.deadline = grpc, pb, stub, tokens, deadline
        self.lock = threading.Lock()
        self.acked = {t: 0 for t in tokens}
        self.replayed = 0
        self.pending = []           # (token, code, request_id) not acknowledged yet
        self.events = []            # (time, token, ok, code_name, latency)
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(k,), daemon=True) for k in range(threads)]

    def start(self):
        for t in self.threads:
            t.start()

    def call(self, token, code, request_id):
        t0 = time.monotonic()
        try:
            r = self.stub.ConsumeView(self.pb.ConsumeViewRequest(session_token=token, code=code,
                                                                 request_id=request_id), timeout=self.deadline)
            ok, name = r.allowed, "OK" if r.allowed else "NOT_ALLOWED"
            with self.lock:
                if r.allowed:
                    self.acked[token] += 1
                if r.replayed:
                    self.replayed += 1
        except self.grpc.RpcError as e:
            ok, name = False, e.code().name
        with self.lock:
            self.events.append((t0, token, ok, name, time.monotonic() - t0))
        return ok

    def _run(self, k):
        n = 0
        while not self.stop.is_set():
            token = self.tokens[(k + n) % len(self.tokens)]
            n += 1
            code, rid = f"CHAOS:{uuid.uuid4().hex[:12]}", uuid.uuid4().hex
            if not self.call(token, code, rid):
                with self.lock:
                    self.pending.append((token, code, rid))
                time.sleep(0.05)

    def finish(self, retry_for=20.0):
        self.stop.set()
        for t in self.threads:
            t.join()
        deadline = time.monotonic() + retry_for
        while self.pending and time.monotonic() < deadline:
            token, code, rid = self.pending[0]
            if self.call(token, code, rid):
                self.pending.pop(0)
            else:
                time.sleep(0.2)
        return not self.pending


def replica_caught_up(suite, primary, replica, timeout=15.0):
    """Waits until `replica` has applied everything `primary` had written when
    the wait began: the failover scenario is a primary dying with a healthy
    replica, whose loss is the last moments' writes. A replica seconds behind
    (a stalled disk) would make the test measure the machine."""
    def field(info, name):
        for line in info.splitlines():
            if line.startswith(name + ":"):
                return line.split(":", 1)[1].strip()
        return None
    target = field(suite.redis(primary, "info", "replication"), "master_repl_offset")
    if target is None or replica is None:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        applied = field(suite.redis(replica, "info", "replication"), "slave_repl_offset")
        if applied is not None and int(applied) >= int(target):
            return True
        time.sleep(0.05)
    return False


def stored_views(pb, stub, token):
    return stub.GetQuota(pb.GetQuotaRequest(session_token=token), timeout=5).quota.views_used


def register(pb, stub, email, role):
    r = stub.Register(pb.RegisterRequest(email=email, password="Chaos-test-password-9", display_name="Chaos",
                                         role=role, client_address="10.8.0.1"), timeout=10)
    return r.session.token


def open_posting(grpc, apb, astub, addresses):
    """An employer's published posting (approved by an admin when pending)."""
    from openencoder.jobs.v1 import jobs_service_pb2 as jpb, jobs_service_pb2_grpc as jpbg
    jobs = jpbg.JobsServiceStub(oe_tls.channel("ipv4:" + ",".join(addresses), "gateway", options=[
        ("grpc.service_config", json.dumps({"loadBalancingConfig": [{"round_robin": {}}]}))]))
    admin = register(apb, astub, "chaos-admin@example.org", apb.ROLE_CODER)
    # Admin powers need a verified address; nothing here reads mail, so an
    # operator confirms it (scripts/oe-admin verify-email does the same).
    astub.OperatorVerifyEmail(apb.OperatorGetAccountRequest(
        operator_token=HIGH_LIMITS["OE_ACCOUNT_OPERATOR_TOKEN"], email="chaos-admin@example.org"), timeout=10)
    employer = register(apb, astub, f"employer-{uuid.uuid4().hex[:8]}@example.org", apb.ROLE_EMPLOYER)
    f = jpb.PostingFields(title="Outpatient coder", organization="Mercy Health",
                          description="Code outpatient encounters with ICD-10-CM and CPT.",
                          location=jpb.Location(city="Austin", state="TX", zip="78701"),
                          arrangement=jpb.WORK_ARRANGEMENT_ON_SITE, employment_type=jpb.EMPLOYMENT_TYPE_FULL_TIME,
                          credentials_required=["CPC"], settings=[jpb.CODING_SETTING_OUTPATIENT],
                          specialties=["cardiology"],
                          pay=jpb.PayRange(model=jpb.PAY_MODEL_HOURLY, min_cents=2500, max_cents=3000))
    posting = jobs.CreatePosting(jpb.CreatePostingRequest(session_token=employer, fields=f), timeout=10).posting
    posting = jobs.PublishPosting(jpb.PublishPostingRequest(session_token=employer,
                                                            posting_id=posting.posting_id), timeout=10).posting
    if posting.status == jpb.POSTING_STATUS_PENDING_APPROVAL:
        posting = jobs.ReviewPosting(jpb.ReviewPostingRequest(session_token=admin, posting_id=posting.posting_id,
                                                              approve=True, expected_version=posting.version),
                                   timeout=10).posting
    return jobs, jpb, employer, posting


HIGH_LIMITS = {"OE_ADMIN_EMAILS": "chaos-admin@example.org", "OE_ACCOUNT_OPERATOR_TOKEN": "chaos-operator",
               "OE_ACCOUNT_REGISTRATIONS_PER_ADDRESS": "1000000","OE_ACCOUNT_VIEWS_PER_MONTH": "1000000/1000000/-1/-1",
               "OE_ACCOUNT_GUESTS_PER_ADDRESS": "1000000"}


# ------------------------------------------------------------ scenarios ---
def check(cond, what, failures):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def replica_kill(build_dir):
    import grpc
    from openencoder.account.v1 import account_service_pb2 as pb, account_service_pb2_grpc as pbg
    suite = Suite(build_dir, HIGH_LIMITS)
    failures = []
    try:
        # Metering straight at the account replicas with a fresh code per call
        # (so every acknowledged call is one more view), through a channel
        # that retries ConsumeView as the catalogue's does.
        stub = AccountStubs(grpc, pbg, suite.replicas("account"), retry_idempotent=True)
        tokens = guest_sessions(grpc, pb, stub, 6)
        views = ViewLoad(grpc, pb, stub, tokens, threads=2)
        # Job applications (not idempotent as calls; the service keeps one per
        # coder and posting) through a channel that never retries them, as
        # the gateway's.
        jobs, jpb, employer, posting = open_posting(grpc, pb, stub, suite.replicas("jobs"))
        coders = [register(pb, stub, f"coder-{uuid.uuid4().hex[:8]}@example.org", pb.ROLE_CODER) for _ in range(24)]
        applies = {"ok": 0, "existing": 0, "failed": {}}
        applied = set()
        jobs_stop = threading.Event()

        counter = iter(range(1 << 30))

        def apply_loop(k):
            # Each coder applies twice in a row (a new application, then a
            # repeat), one coder after another, so new applications are made
            # before, during and after the kill.
            while not jobs_stop.is_set():
                with views.lock:
                    n = next(counter)
                coder = coders[(n // 2) % len(coders)]
                try:
                    r = jobs.Apply(jpb.ApplyRequest(session_token=coder, posting_id=posting.posting_id,
                                                    note="chaos", resume_url="https://example.org/cv.pdf"),
                                  timeout=3)
                    with views.lock:
                        applies["existing" if r.existing else "ok"] += 1
                        applied.add(coder)
                except grpc.RpcError as e:
                    with views.lock:
                        applies["failed"][e.code().name] = applies["failed"].get(e.code().name, 0) + 1
                time.sleep(0.3)

        apply_threads = [threading.Thread(target=apply_loop, args=(k,), daemon=True) for k in range(2)]
        for t in apply_threads:
            t.start()
        views.start()
        codes = ["E11.9", "E10.9", "B02.9", "E03.9"]
        routes = {"search": "/api/v1/search?query=diabetes", "jobs": "/api/v1/jobs",
                  "code": None}
        stats = {r: {"ok": 0, "fail": 0, "statuses": {}} for r in routes}
        shown = {}                 # worker -> set of codes shown in full
        lock = threading.Lock()
        stop = threading.Event()
        openers = {}

        def worker(k):
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            openers[k] = opener
            shown[k] = set()
            i = 0
            while not stop.is_set():
                route = ["search", "code", "jobs", "code"][i % 4]
                code = codes[(i // 4 + k) % len(codes)]
                i += 1
                path = routes[route] or f"/api/v1/codes/{code}"
                status, body = http_get(opener, suite.gateway + path)
                ok = status == 200
                if ok and route == "code":
                    try:
                        doc = json.loads(body)
                    except ValueError:
                        doc = {}
                    if "teaser" in doc:
                        ok, status = False, doc["teaser"].get("reason", "teaser")
                    else:
                        with lock:
                            shown[k].add(code)
                with lock:
                    s = stats[route]
                    s["ok" if ok else "fail"] += 1
                    s["statuses"][str(status)] = s["statuses"].get(str(status), 0) + 1

        threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(4)]
        for t in threads:
            t.start()
        time.sleep(6)
        killed = []
        for service in ("catalogue", "search", "account", "jobs", "assistant"):
            name = f"{service}-1"
            if name in suite.addresses:
                suite.signal(name, signal.SIGKILL)
                killed.append(name)
        print(f"SIGKILLed {', '.join(killed)} under load", flush=True)
        time.sleep(12)
        stop.set()
        for t in threads:
            t.join()
        views.finish()
        jobs_stop.set()
        for t in apply_threads:
            t.join()
        per_coder = []
        for c in coders:
            apps = jobs.ListMyApplications(jpb.ListMyApplicationsRequest(session_token=c, page_size=50),
                                           timeout=10).applications
            per_coder.append(sum(1 for a in apps if a.posting_id == posting.posting_id))
        applicants = jobs.ListApplicants(jpb.ListApplicantsRequest(session_token=employer,
                                                                   posting_id=posting.posting_id, page_size=100),
                                         timeout=10).applications
        print(f"  Apply: {applies['ok']} new, {applies['existing']} answered 'existing', failed {applies['failed']}; "
              f"applications per coder {per_coder}; applicants {len(applicants)}")
        check(applies["ok"] > 0 and applies["existing"] > 0, "applications were made and repeated", failures)
        check(all(n <= 1 for n in per_coder), "no coder has two applications to one posting", failures)
        # A call that failed in flight may still have been applied once; never twice.
        check(len(applied) <= len(applicants) == sum(per_coder),
              f"applicants ({len(applicants)}) cover the coders whose Apply was acknowledged ({len(applied)})",
              failures)
        failed_views = sum(1 for e in views.events if not e[2])
        stored = {t: stored_views(pb, stub, t) for t in tokens}
        extra = sum(max(0, stored[t] - views.acked[t]) for t in tokens)
        lost = sum(max(0, views.acked[t] - stored[t]) for t in tokens)
        print(f"  ConsumeView: {sum(views.acked.values())} acknowledged, {failed_views} failed attempts, "
              f"{views.replayed} answered as replays; stored - acknowledged: +{extra} -{lost}")
        check(failed_views == 0, "no ConsumeView failed (the retry on the other replica absorbed the kill)",
              failures)
        check(extra == 0 and lost == 0, "stored views equal acknowledged views: none applied twice", failures)
        for route, s in stats.items():
            print(f"  {route:7s} ok {s['ok']:6d} failed {s['fail']:4d}  {s['statuses']}")
        check(all(not suite.alive(n) for n in killed), "the killed replicas are gone", failures)
        check(all(suite.alive(n.replace("-1", "-2")) for n in killed), "their twins still run", failures)
        for route, s in stats.items():
            check(s["ok"] > 0 and s["fail"] == 0,
                  f"{route}: no client-visible failure or degraded page ({s['fail']} of {s['ok'] + s['fail']})",
                  failures)
        for k, opener in openers.items():
            status, body = http_get(opener, suite.gateway + "/api/v1/quota")
            used = None
            if status == 200:
                q = json.loads(body).get("quota", json.loads(body))
                used = int(q.get("viewsUsed", q.get("views_used", -1)))
            check(used == len(shown[k]),
                  f"worker {k}: stored views {used} == distinct pages shown {len(shown[k])} (none counted twice)",
                  failures)
    finally:
        suite.close()
    return failures


def http_get(opener, url):
    # As the web client's fetch: a metered code page needs a same-origin signal.
    req = urllib.request.Request(url, headers={"Sec-Fetch-Site": "same-origin"})
    try:
        with opener.open(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
    except Exception as e:  # connection refused, timeout
        return type(e).__name__, ""


def primary_ports(suite):
    out = {}
    for p in suite.redis_ports:
        try:
            role = suite.redis(p, "role").split()
        except subprocess.TimeoutExpired:
            continue
        if role and role[0] == "master":
            out[p] = int(suite.redis(p, "dbsize").strip() or 0)
    return out


def redis_failover(build_dir):
    import grpc
    from openencoder.account.v1 import account_service_pb2 as pb, account_service_pb2_grpc as pbg
    suite = Suite(build_dir, HIGH_LIMITS)
    failures = []
    try:
        stub = AccountStubs(grpc, pbg, suite.replicas("account"))
        tokens = guest_sessions(grpc, pb, stub, 12)
        load = ViewLoad(grpc, pb, stub, tokens)
        load.start()
        time.sleep(4)
        primaries = primary_ports(suite)
        victim = max(primaries, key=primaries.get)
        replica = None
        for p in suite.redis_ports:
            info = suite.redis(p, "role").split()
            if info and info[0] == "slave" and info[2] == str(victim):
                replica = p
        caught_up = replica_caught_up(suite, victim, replica)
        check(caught_up, f"replica {replica} caught up with its primary before the kill", failures)
        acked_before = sum(load.acked.values())
        t_kill = time.monotonic()
        suite.signal(f"redis-{victim}", signal.SIGKILL)
        print(f"SIGKILLed Redis primary {victim} ({primaries[victim]} keys) after {acked_before} "
              f"acknowledged views; its replica is {replica}", flush=True)
        promoted = None
        while time.monotonic() - t_kill < 30:
            if replica and suite.redis(replica, "role").split()[:1] == ["master"]:
                promoted = time.monotonic() - t_kill
                break
            time.sleep(0.1)
        check(promoted is not None, f"replica {replica} promoted ({promoted and round(promoted, 2)} s after the kill)",
              failures)
        # Writes to the failed-over slots work again: every session answers.
        recovered = None
        while time.monotonic() - t_kill < 40:
            with load.lock:
                recent = [e for e in load.events if e[0] > time.monotonic() - 1.0]
            if recent and all(e[2] for e in recent) and len({e[1] for e in recent}) == len(tokens):
                recovered = time.monotonic() - t_kill
                break
            time.sleep(0.2)
        check(recovered is not None, f"every session's calls succeed again ({recovered and round(recovered, 2)} s "
                                     "after the kill), with no service restarted", failures)
        time.sleep(3)
        drained = load.finish()
        services = [n for n in suite.addresses if not n.startswith("gateway")]
        check(all(suite.alive(n) for n in services), "no service restarted or died", failures)
        check(drained, f"every failed request acknowledged on retry with its request_id "
                       f"({len(load.pending)} left)", failures)
        errors = {}
        for e in load.events:
            if not e[2]:
                errors[e[3]] = errors.get(e[3], 0) + 1
        acked = sum(load.acked.values())
        lost = extra = 0
        for t in tokens:
            stored = stored_views(pb, stub, t)
            lost += max(0, load.acked[t] - stored)
            extra += max(0, stored - load.acked[t])
        print(f"  acknowledged views {acked}, failed attempts {errors}, replayed on retry {load.replayed}")
        print(f"  MEASURED: lost by the failover {lost} of {acked} acknowledged views; counted twice {extra}")
        check(extra == 0, "no view counted twice (retries carry the request_id)", failures)
        # Redis replicates asynchronously, so the views acknowledged within the
        # replication lag before the kill may be lost. On loopback the lag is
        # microseconds when the machine is idle, but a CI run on two busy cores
        # once lost 562 of 19,028 (about 0.25 s of writes). Allowed: 1 % of the
        # acknowledged views or those acknowledged in the last second before
        # the kill, whichever is more; a client that drops or double-counts
        # views misses more than that, or fails the check above.
        last_second = sum(1 for (t0, _, ok, _, latency) in load.events
                          if ok and t_kill - 1.0 <= t0 + latency <= t_kill)
        bound = max(1, acked // 100, last_second)
        check(lost <= bound, f"views lost to asynchronous replication {lost} <= bound {bound} "
                             f"(1% of acked, or acked in the last second before the kill: {last_second})",
              failures)
    finally:
        suite.close()
    return failures


def redis_pause(build_dir):
    import grpc
    from openencoder.account.v1 import account_service_pb2 as pb, account_service_pb2_grpc as pbg
    # A node timeout longer than the pause: no failover, the pause itself is tested.
    suite = Suite(build_dir, dict(HIGH_LIMITS, OE_REDIS_NODE_TIMEOUT="15000"))
    failures = []
    try:
        stub = AccountStubs(grpc, pbg, suite.replicas("account"))
        tokens = guest_sessions(grpc, pb, stub, 12)
        # Client deadline 5 s: a fast failure is the server's doing.
        load = ViewLoad(grpc, pb, stub, tokens, deadline=5.0)
        load.start()
        time.sleep(3)
        primaries = primary_ports(suite)
        victim = max(primaries, key=primaries.get)
        pause = 3.0
        t0 = time.monotonic()
        suite.signal(f"redis-{victim}", signal.SIGSTOP)
        time.sleep(pause)
        suite.signal(f"redis-{victim}", signal.SIGCONT)
        t1 = time.monotonic()
        print(f"Redis primary {victim} paused (SIGSTOP) for {pause} s", flush=True)
        time.sleep(4)
        drained = load.finish()
        with load.lock:
            during = [e for e in load.events if t0 + 0.3 < e[0] < t1 - 0.3]
            after = [e for e in load.events if e[0] > t1 + 2.0]
        failed = [e for e in during if not e[2]]
        codes = {}
        for e in failed:
            codes[e[3]] = codes.get(e[3], 0) + 1
        slow = max((e[4] for e in failed), default=0)
        hit = {e[1] for e in failed}
        others_ok = [e for e in during if e[2] and e[1] not in hit]
        print(f"  during the pause: {len(during)} calls, {len(failed)} failed {codes}, slowest failure "
              f"{slow * 1000:.0f} ms; {len(others_ok)} calls for other primaries succeeded")
        check(len(failed) > 0, "calls for the paused primary's keys fail", failures)
        check(set(codes) <= {"UNAVAILABLE"}, f"they fail with UNAVAILABLE ({codes})", failures)
        check(slow < 1.5, f"they fail fast: slowest {slow * 1000:.0f} ms, well under the {pause:.0f} s pause and "
                          "the 5 s client deadline", failures)
        check(len(others_ok) > 0, "calls for the other primaries go on during the pause", failures)
        check(len(after) > 0 and all(e[2] for e in after), f"all {len(after)} calls from 2 s after SIGCONT succeed",
              failures)
        check(drained, "every failed request succeeds when retried with its request_id", failures)
        extra = lost = 0
        for t in tokens:
            stored = stored_views(pb, stub, t)
            extra += max(0, stored - load.acked[t])
            lost += max(0, load.acked[t] - stored)
        check(extra == 0 and lost == 0, f"stored views equal acknowledged views (extra {extra}, lost {lost})",
              failures)
    finally:
        suite.close()
    return failures


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    build_dir, scenario = sys.argv[1], sys.argv[2]
    stubs = load_stubs()
    started = time.monotonic()
    try:
        failures = {"replica_kill": replica_kill, "redis_failover": redis_failover,
                    "redis_pause": redis_pause}[scenario](build_dir)
    finally:
        shutil.rmtree(stubs, ignore_errors=True)
    print(f"{scenario}: {'PASS' if not failures else 'FAIL'} in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
