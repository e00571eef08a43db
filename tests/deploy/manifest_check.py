#!/usr/bin/python3
"""Checks the deployment files against the services themselves.

Every image, binary, port, probe, flag and environment variable that
deploy/Dockerfile, deploy/compose.yaml and deploy/k8s/*.yaml name must exist
in the code:
  - an environment variable is read by that service's C++ sources, or by the
    shared code it actually uses (server bootstrap settings only for servers
    started with InitServerProcess, Redis settings only for services that
    call RedisOptions::FromEnvironment, OE_LOG_LEVEL for everyone);
    OE_<SERVICE>_LISTEN is the name InitServerProcess builds, and
    OE_<SERVICE>_ADMIN_LISTEN (metrics) the one AdminListenSetting builds;
  - a flag (--name=value) is an ABSL_FLAG of the service or of the bootstrap;
  - an image openencoder/<service> is a Dockerfile target whose binary is an
    oe_binary target of services/<service>/ and is its ENTRYPOINT;
  - every port (EXPOSE, containerPort, probe port, Service targetPort, compose
    ports) is the service's default port or the port of its configured
    listen setting, or (containerPort "metrics" only) its admin port, which
    the prometheus.io/port annotation must name; client addresses (OE_<X>_ADDR) name a Service/compose
    service that exists and reaches X's port;
  - gRPC probes go to the plaintext health-only port (OE_<SERVICE>_HEALTH_LISTEN;
    the service's own port wants mutual TLS) and name the proto's full
    service name; HTTP probes use a GET
    route the gateway serves;
  - Services, PodDisruptionBudgets and autoscalers select/target workloads
    that exist; configMapRefs name ConfigMaps that exist;
  - secrets: every Secret and key a pod uses (secretKeyRef, secret volumes and
    their items) is declared in deploy/k8s/secrets/ (the Secrets applied
    apart from the manifests), every volumeMount names a volume; a setting
    the code reads with SecretSetting (OE_ACCOUNT_MAIL_KEY,
    OE_INBOUND_MAIL_SECRET, ...) is set, and only from a Secret (k8s) or a
    mounted file NAME_FILE (compose), never as a literal value; a service
    that uses Redis logs in as a user of deploy/redis/acl-users with a
    password file mounted from that user's key; the ConfigMap redis-acl is a
    verbatim copy of deploy/redis;
  - the call graph: every OE_<X>_ADDR a service's code reads is set in its
    Deployment; the NetworkPolicies select pods that exist, deny by default
    in and out, let each gRPC service be reached on its port exactly by the
    workloads whose Deployments name it in OE_<X>_ADDR (and let those reach
    it), Redis only by the services that use it, and nothing but the gateway
    (and Prometheus on the metrics port) from outside the namespace.
Only the standard library and python3-yaml (Debian) are used.

usage: manifest_check.py [--root DIR] [--dockerfile F] [--compose F] [--k8s DIR]
Exit status 0 when nothing is wrong; otherwise every problem is printed.
"""
import argparse
import glob
import os
import re
import sys

import yaml

# Images of ours that carry no OpenEncoder service (Dockerfile targets too).
INFRA_IMAGES = {"redis"}
# Compose's ${NAME:-default} / ${NAME-default} / ${NAME}: checked at the default.
COMPOSE_VAR_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}")
LOOPBACK = {"127.0.0.1", "localhost"}
IMAGE_RE = re.compile(r"^(?:[\w.\-]+/)*openencoder/([a-z]+)(?::[\w.\-]+)?$")


class CodeFacts:
    """What the source tree says: services, settings, flags, ports, protos, routes."""

    def __init__(self, root):
        self.root = root
        self.binaries = {}        # oe_binary name -> folder (relative to root)
        for top in ("services", "tests", "bench"):
            for folder, _, files in os.walk(os.path.join(root, top)):
                if "CMakeLists.txt" in files:
                    rel = os.path.relpath(folder, root)
                    for name in re.findall(r"oe_binary\(\s*([\w]+)", read(os.path.join(folder, "CMakeLists.txt"))):
                        self.binaries[name] = rel
        common = os.path.join(root, "services", "common")
        redis = os.path.join(common, "redis")
        self.bootstrap_env = set(env_literals([os.path.join(common, "server.cc"),
                                               os.path.join(common, "server.h")]))
        self.bootstrap_flags = set(flag_names([os.path.join(common, "server.cc")]))
        self.redis_env = set(env_literals(source_files(redis)))
        self.general_env = set(re.findall(r'getenv\("(OE_[A-Z0-9_]+)"\)',
                                          read(os.path.join(common, "log.cc"))))
        # Mutual TLS (services/common/tls.cc): every server and client reads it.
        self.general_env |= set(env_literals([os.path.join(common, "tls.cc")]))
        self.services = {}
        for main in sorted(glob.glob(os.path.join(root, "services", "*", "main.cc"))):
            folder = os.path.dirname(main)
            name = os.path.basename(folder)
            # main.cc wires what <svc>_config.cc reads (docs/ENGINEERING.md).
            config = os.path.join(folder, f"{name}_config.cc")
            wiring = read(main) + (read(config) if os.path.exists(config) else "")
            self.services[name] = ServiceFacts(name, folder, wiring, root)
        self.protos = {}          # service -> set of full service names
        for proto in glob.glob(os.path.join(root, "protos", "openencoder", "*", "v1", "*.proto")):
            domain = proto.split(os.sep)[-3]
            text = read(proto)
            package = re.search(r"^package\s+([\w.]+)\s*;", text, re.M)
            for svc in re.findall(r"^service\s+(\w+)", text, re.M):
                self.protos.setdefault(domain, set()).add(f"{package.group(1)}.{svc}")
        # Users of deploy/redis/acl-users, and the files the redis-acl ConfigMap copies.
        self.redis_dir = os.path.join(root, "deploy", "redis")
        acl = os.path.join(self.redis_dir, "acl-users")
        self.redis_users = set()
        if os.path.exists(acl):
            for line in read(acl).splitlines():
                if line.strip() and not line.strip().startswith("#"):
                    self.redis_users.add(line.split()[0])
        self.gateway_get_routes = set()
        for f in source_files(os.path.join(root, "services", "gateway")):
            self.gateway_get_routes.update(re.findall(r'(?:RouteSpec\{|Spec\()\s*"GET",\s*"([^"]+)"', read(f)))

    def env_ok(self, service, name):
        s = self.services[service]
        if name.endswith("_FILE") and name[:-len("_FILE")] in s.secrets:
            return True
        return (name in s.env or name == s.listen_env or name in self.general_env
                or (s.bootstrap and name == s.health_env)
                or (s.admin_env is not None and name == s.admin_env)
                or (s.bootstrap and name in self.bootstrap_env)
                or (s.redis and name in self.redis_env))

    def flag_ok(self, service, flag):
        s = self.services[service]
        return flag in s.flags or (s.bootstrap and flag in self.bootstrap_flags)


class ServiceFacts:
    def __init__(self, name, folder, main, root):
        self.name = name
        files = source_files(folder)
        self.env = set(env_literals(files))
        self.flags = set(flag_names(files))
        # Secrets read with common::SecretSetting: NAME or NAME_FILE.
        self.secrets = set()
        self.addrs = set()   # OE_<X>_ADDR the service reads: whom it calls
        for f in files:
            text = read(f)
            self.secrets.update(re.findall(r'SecretSetting\(\s*"(OE_[A-Z0-9_]+)"', text))
            self.addrs.update(re.findall(r'"OE_([A-Z]+)_ADDR"', text))
        self.addrs.discard("REDIS")
        self.addrs = {a.lower() for a in self.addrs}
        self.bootstrap = "InitServerProcess(" in main
        self.redis = "RedisOptions::FromEnvironment" in main
        # The metrics listener: every bootstrapped server, and a server that
        # asks common/metrics for the same setting itself (the gateway).
        self.admin_env = (f"OE_{name.upper()}_ADMIN_LISTEN"
                          if self.bootstrap or "AdminListenSetting(" in main else None)
        # The plaintext health-only port InitServerProcess builds the name of.
        self.health_env = f"OE_{name.upper()}_HEALTH_LISTEN" if self.bootstrap else None
        m = re.search(r'InitServerProcess\([^;]*?"%s",\s*(\d+)\)' % re.escape(name), main, re.S)
        if m:
            self.listen_env = f"OE_{name.upper()}_LISTEN"
            self.default_port = int(m.group(1))
        else:  # a server with its own listen setting (the gateway)
            m = re.search(r'"(OE_\w+_LISTEN)",\s*"[^"]*:(\d+)"', main, re.S)
            self.listen_env = m.group(1) if m else None
            self.default_port = int(m.group(2)) if m else None
        self.binaries = []


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def source_files(folder):
    return [p for ext in ("cc", "h") for p in glob.glob(os.path.join(folder, "**", f"*.{ext}"), recursive=True)]


def env_literals(files):
    for f in files:
        if os.path.exists(f):
            yield from re.findall(r'"(OE_[A-Z0-9_]+)"', read(f))


def flag_names(files):
    for f in files:
        if os.path.exists(f):
            yield from re.findall(r"ABSL_FLAG\(\s*[\w:<>]+\s*,\s*(\w+)", read(f))


def port_of(address):
    m = re.search(r":(\d+)$", address.strip())
    return int(m.group(1)) if m else None


def flags_in(args):
    for a in args or []:
        m = re.match(r"^--?([A-Za-z_][\w]*)", str(a))
        if m:
            yield m.group(1)


class Checker:
    def __init__(self, facts):
        self.facts = facts
        self.problems = []

    def fail(self, where, what):
        self.problems.append(f"{where}: {what}")

    # ---- shared rules ----
    def check_env(self, where, service, env):
        for name in env:
            if not self.facts.env_ok(service, name):
                self.fail(where, f"environment variable {name} is not read by the {service} service")

    def listen_port(self, service, env):
        s = self.facts.services[service]
        if s.listen_env and s.listen_env in env:
            return port_of(str(env[s.listen_env]))
        return s.default_port

    def check_flags(self, where, service, args):
        for flag in flags_in(args):
            if not self.facts.flag_ok(service, flag):
                self.fail(where, f"flag --{flag} is not defined by the {service} service")

    def service_of_image(self, where, image, targets):
        m = IMAGE_RE.match(str(image))
        if not m:
            return None
        name = m.group(1)
        if name in INFRA_IMAGES:
            return None
        if name not in self.facts.services:
            self.fail(where, f"image {image} names no service (services/{name}/main.cc does not exist)")
            return None
        if targets is not None and name not in targets:
            self.fail(where, f"image {image}: deploy/Dockerfile has no target {name}")
        return name

    # ---- Dockerfile ----
    def check_dockerfile(self, path):
        stages, current = {}, None
        for raw in logical_lines(read(path)):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            word, _, rest = line.partition(" ")
            word = word.upper()
            if word == "FROM":
                m = re.search(r"\bAS\s+(\S+)", rest, re.I)
                current = {"name": m.group(1) if m else None, "env": {}, "copies": [], "installs": [],
                           "expose": [], "entrypoint": None, "user": None}
                if current["name"]:
                    stages[current["name"]] = current
            elif current is None:
                continue
            elif word == "ENV":
                for k, v in re.findall(r"(\w+)=(\S+)", rest):
                    current["env"][k] = v
            elif word == "COPY":
                current["copies"].append(rest.rstrip("\\").split())
            elif word == "RUN":
                # deploy/docker/install-server BINARIES NAME: the stage's binary.
                current["installs"] += re.findall(r"install-server\s+\S+\s+(\S+)", rest)
            elif word == "EXPOSE":
                current["expose"] += [int(p.split("/")[0]) for p in rest.split()]
            elif word == "ENTRYPOINT":
                current["entrypoint"] = yaml.safe_load(rest)
            elif word == "USER":
                current["user"] = rest.split(":")[0]
        targets = {n for n in stages if n in self.facts.services}
        for name in targets:
            st, where = stages[name], f"{os.path.basename(path)} target {name}"
            binaries = [os.path.basename(c[-2]) for c in st["copies"] if c and c[0].startswith("--from=")]
            binaries += st["installs"]
            mine = [b for b in binaries if self.facts.binaries.get(b) == f"services/{name}"]
            if not mine:
                self.fail(where, f"copies no oe_binary target of services/{name} (copies {binaries})")
            for b in binaries:
                if b not in self.facts.binaries:
                    self.fail(where, f"binary {b} is not an oe_binary target")
            entry = st["entrypoint"][0] if isinstance(st["entrypoint"], list) and st["entrypoint"] else None
            if not entry or os.path.basename(entry) not in mine:
                self.fail(where, f"ENTRYPOINT {st['entrypoint']} is not the service's binary")
            if st["user"] in (None, "root", "0"):
                self.fail(where, "runs as root (no USER or USER root)")
            env = {**self.inherited_env(stages, path), **st["env"]}
            self.check_env(where, name, st["env"])
            port = self.listen_port(name, env)
            if port != self.facts.services[name].default_port:
                self.fail(where, f"listens on {port}, the service's default port is "
                                 f"{self.facts.services[name].default_port}")
            for p in st["expose"]:
                if p != port:
                    self.fail(where, f"EXPOSE {p} is not the port the service listens on ({port})")
            for c in st["copies"]:
                if c and not c[0].startswith("--"):
                    for src in c[:-1]:
                        if src != "." and not os.path.exists(os.path.join(self.facts.root, src)):
                            self.fail(where, f"COPY source {src} does not exist")
        return targets

    @staticmethod
    def inherited_env(stages, path):
        return stages.get("runtime", {}).get("env", {})

    # ---- compose ----
    def check_compose(self, path, targets):
        doc = yaml.safe_load(COMPOSE_VAR_RE.sub(lambda m: m.group(2) or "", read(path))) or {}
        services = doc.get("services", {})
        ports = {}
        for cname, c in services.items():
            svc = self.compose_service(cname, c, targets, path)
            if svc:
                ports[cname] = (svc, self.listen_port(svc, env_dict(c.get("environment"))))
        for cname, c in services.items():
            svc = self.compose_service(cname, c, targets, None)
            if not svc:
                continue
            where = f"{os.path.basename(path)} service {cname}"
            env = env_dict(c.get("environment"))
            self.check_env(where, svc, env)
            self.check_flags(where, svc, as_list(c.get("command")) + as_list(c.get("entrypoint")))
            port = self.listen_port(svc, env)
            if port != self.facts.services[svc].default_port and self.facts.services[svc].listen_env not in env:
                self.fail(where, f"port {port} is not the service's")
            for mapping in c.get("ports", []) or []:
                inner = int(str(mapping).split(":")[-1].split("/")[0])
                if inner != port:
                    self.fail(where, f"publishes container port {inner}, the service listens on {port}")
            self.check_client_addresses(where, env, lambda host, p: self.compose_target(host, p, ports, services))
            self.check_compose_secrets(where, svc, env, c)
            for dep in (c.get("depends_on") or []):
                if dep not in services:
                    self.fail(where, f"depends on {dep}, which is not a compose service")

    def compose_service(self, cname, c, targets, path):
        where = f"{os.path.basename(path or 'compose')} service {cname}"
        build = c.get("build") or {}
        target = build.get("target") if isinstance(build, dict) else None
        svc = self.service_of_image(where, c.get("image", ""), targets if path else None) if c.get("image") else None
        if target is not None:
            if path and targets is not None and target not in targets and target not in INFRA_IMAGES:
                self.fail(where, f"build target {target} is not a service target of deploy/Dockerfile")
            if path and svc and svc != target:
                self.fail(where, f"image {c.get('image')} and build target {target} disagree")
            svc = svc or (target if target in self.facts.services else None)
        return svc

    def check_compose_secrets(self, where, svc, env, c):
        mounts = {}
        for v in c.get("volumes", []) or []:
            parts = str(v).split(":")
            if len(parts) >= 2:
                mounts[parts[1]] = parts[0]
        facts = self.facts.services[svc]
        for name in sorted(facts.secrets):
            if name in env:
                self.fail(where, f"{name} is a secret: mount it and set {name}_FILE, not a literal value")
            elif f"{name}_FILE" not in env:
                self.fail(where, f"the secret {name} is not set ({name}_FILE); every start must get the same one")
            elif env[f"{name}_FILE"] not in mounts:
                self.fail(where, f"{name}_FILE={env[f'{name}_FILE']} is not a mounted file")
        if facts.redis:
            user = env.get("OE_REDIS_USER")
            if user not in self.facts.redis_users:
                self.fail(where, f"OE_REDIS_USER {user} is not a user of deploy/redis/acl-users")
            source = mounts.get(env.get("OE_REDIS_PASSWORD_FILE"))
            if source is None or not source.endswith(f"redis/{user}"):
                self.fail(where, f"OE_REDIS_PASSWORD_FILE is not mounted from the password file of "
                                 f"Redis user {user} (got {source})")

    @staticmethod
    def compose_target(host, port, ports, services):
        if host in LOOPBACK:
            # Host networking: a loopback address reaches whichever service of
            # this file listens on that port.
            for cname, (svc, listen) in ports.items():
                if listen == port and services[cname].get("network_mode") == "host":
                    return svc, listen, port
            return f"no host-network service of this file listens on {host}:{port}"
        if host not in ports:
            return f"{host} is not a compose service"
        svc, p = ports[host]
        return svc, p, port

    def check_client_addresses(self, where, env, resolve):
        for name, value in env.items():
            m = re.match(r"^OE_([A-Z]+)_ADDR$", name)
            if not m or m.group(1) == "REDIS":
                continue
            wanted = m.group(1).lower()
            for target in str(value).split(","):
                target = re.sub(r"^dns:(//[^/]*)?/", "", target.strip())
                host, _, port = target.rpartition(":")
                name_part = host if host in LOOPBACK else host.split(".")[0]
                result = resolve(name_part, int(port) if port.isdigit() else None)
                if isinstance(result, str):
                    self.fail(where, f"{name}={value}: {result}")
                    continue
                svc, listen, port_used = result
                if svc != wanted:
                    self.fail(where, f"{name} points at {host}, which runs {svc}, not {wanted}")
                elif listen != port_used and port_used is not None:
                    self.fail(where, f"{name} uses port {port_used}, {svc} listens on {listen}")

    # ---- Kubernetes ----
    def check_k8s(self, folder, targets):
        docs = []
        for f in sorted(glob.glob(os.path.join(folder, "*.yaml"))):
            for d in yaml.safe_load_all(read(f)):
                if d:
                    docs.append((os.path.basename(f), d))
        by_kind = {}
        for f, d in docs:
            by_kind.setdefault(d.get("kind"), []).append((f, d))
        configmaps = {d["metadata"]["name"]: d.get("data", {}) for _, d in by_kind.get("ConfigMap", [])}
        # Secrets live in a subfolder that `kubectl apply -f deploy/k8s/` skips.
        secrets = {}
        for f in sorted(glob.glob(os.path.join(folder, "secrets", "*.yaml"))):
            for d in yaml.safe_load_all(read(f)):
                if d and d.get("kind") == "Secret":
                    secrets[d["metadata"]["name"]] = set((d.get("data") or {}).keys()) | set(
                        (d.get("stringData") or {}).keys())
        # cert-manager writes each Certificate's Secret (tls.yaml) with its keys.
        for _, d in by_kind.get("Certificate", []):
            secrets[d["spec"]["secretName"]] = {"tls.crt", "tls.key", "ca.crt"}
        self.check_redis_acl_copy(configmaps)
        workloads = {}   # name -> (file, doc, labels, {container port name/number: port}, service or None)
        for kind in ("Deployment", "StatefulSet"):
            for f, d in by_kind.get(kind, []):
                tpl = d["spec"]["template"]
                labels = tpl["metadata"].get("labels", {})
                sel = d["spec"]["selector"].get("matchLabels", {})
                if any(labels.get(k) != v for k, v in sel.items()):
                    self.fail(f"{f} {kind} {d['metadata']['name']}", "selector does not match the pod labels")
                cports, svc_of = {}, None
                for c in tpl["spec"]["containers"]:
                    svc = self.check_container(f, d, c, configmaps, targets)
                    svc_of = svc_of or svc
                    for p in c.get("ports", []) or []:
                        cports[p["containerPort"]] = p["containerPort"]
                        if "name" in p:
                            cports[p["name"]] = p["containerPort"]
                workloads[d["metadata"]["name"]] = (f, d, labels, cports, svc_of)
        services = {}
        for f, d in by_kind.get("Service", []):
            name = d["metadata"]["name"]
            sel = d["spec"].get("selector", {})
            matches = [w for w in workloads.values() if all(w[2].get(k) == v for k, v in sel.items())]
            if not matches:
                self.fail(f"{f} Service {name}", f"selector {sel} matches no Deployment or StatefulSet")
                continue
            w = matches[0]
            pmap = {}
            for p in d["spec"]["ports"]:
                tp = p.get("targetPort", p["port"])
                if tp not in w[3]:
                    self.fail(f"{f} Service {name}", f"targetPort {tp} is not a container port of {w[1]['metadata']['name']}")
                else:
                    pmap[p["port"]] = w[3][tp]
            services[name] = (w[4], pmap, d["spec"].get("clusterIP") == "None")
            if w[4] and w[4] != "gateway" and not services[name][2]:
                self.fail(f"{f} Service {name}", "gRPC callers balance replicas themselves: make it headless (clusterIP: None)")
        for f, d in by_kind.get("PodDisruptionBudget", []):
            sel = d["spec"]["selector"].get("matchLabels", {})
            if not any(all(w[2].get(k) == v for k, v in sel.items()) for w in workloads.values()):
                self.fail(f"{f} PodDisruptionBudget {d['metadata']['name']}", "selects no workload")
        for f, d in by_kind.get("HorizontalPodAutoscaler", []):
            ref = d["spec"]["scaleTargetRef"]
            if ref["name"] not in workloads or workloads[ref["name"]][1]["kind"] != ref["kind"]:
                self.fail(f"{f} HorizontalPodAutoscaler {d['metadata']['name']}", f"targets no {ref['kind']} {ref['name']}")
        # Client addresses, now that Services are known.
        for name, (f, d, _, _, svc) in workloads.items():
            for c in d["spec"]["template"]["spec"]["containers"]:
                if not svc:
                    continue
                env = self.container_env(c, configmaps)
                self.check_client_addresses(f"{f} {d['kind']} {name}", env,
                                            lambda host, p: self.k8s_target(host, p, services, workloads))
        # Pods of every kind, for secrets and NetworkPolicies.
        pods = []   # (where, name, labels, pod spec, service or None)
        for kind in ("Deployment", "StatefulSet", "Job"):
            for f, d in by_kind.get(kind, []):
                tpl = d["spec"]["template"]
                name = d["metadata"]["name"]
                svc = workloads[name][4] if kind != "Job" and name in workloads else None
                spec = dict(tpl["spec"])
                # A StatefulSet's volumeClaimTemplates are volumes of its pods too.
                spec["volumes"] = (spec.get("volumes") or []) + [
                    {"name": t["metadata"]["name"], "persistentVolumeClaim": {}}
                    for t in d["spec"].get("volumeClaimTemplates", []) or []]
                pods.append((f"{f} {kind} {name}", name, (tpl.get("metadata") or {}).get("labels", {}),
                             spec, svc))
        for where, name, labels, spec, svc in pods:
            self.check_pod_secrets(where, spec, svc, configmaps, secrets)
        self.check_network_policies(by_kind.get("NetworkPolicy", []), pods, configmaps)
        self.k8s_services = services
        self.k8s_workloads = workloads

    def check_redis_acl_copy(self, configmaps):
        if "redis-acl" not in configmaps:
            return
        for name, text in configmaps["redis-acl"].items():
            path = os.path.join(self.facts.redis_dir, name)
            if not os.path.exists(path):
                self.fail("ConfigMap redis-acl", f"{name} is not a file of deploy/redis")
            elif read(path) != text:
                self.fail("ConfigMap redis-acl", f"{name} differs from deploy/redis/{name}: copy it again")

    def check_pod_secrets(self, where, spec, svc, configmaps, secrets):
        volumes = {v["name"]: v for v in spec.get("volumes", []) or []}
        for name, v in volumes.items():
            if "secret" in v:
                sname = v["secret"].get("secretName")
                if sname not in secrets:
                    self.fail(where, f"volume {name}: Secret {sname} is not declared in deploy/k8s/secrets/")
                    continue
                for item in v["secret"].get("items", []) or []:
                    if item["key"] not in secrets[sname]:
                        self.fail(where, f"volume {name}: Secret {sname} has no key {item['key']}")
            if "configMap" in v and v["configMap"].get("name") not in configmaps:
                self.fail(where, f"volume {name}: ConfigMap {v['configMap'].get('name')} is not in deploy/k8s")
        for c in spec.get("containers", []) or []:
            mounts = {}
            for m in c.get("volumeMounts", []) or []:
                if m["name"] not in volumes:
                    self.fail(where, f"volumeMount {m['name']} names no volume of the pod")
                else:
                    mounts[m["mountPath"]] = volumes[m["name"]]
            env = {}
            for e in c.get("env", []) or []:
                env[e["name"]] = e
                ref = (e.get("valueFrom") or {}).get("secretKeyRef")
                if ref:
                    if ref.get("name") not in secrets:
                        self.fail(where, f"{e['name']}: Secret {ref.get('name')} is not declared in deploy/k8s/secrets/")
                    elif ref.get("key") not in secrets[ref["name"]]:
                        self.fail(where, f"{e['name']}: Secret {ref['name']} has no key {ref.get('key')}")
            for ref in c.get("envFrom", []) or []:
                sname = (ref.get("secretRef") or {}).get("name")
                if sname and sname not in secrets:
                    self.fail(where, f"secretRef {sname} is not declared in deploy/k8s/secrets/")
            if not svc:
                continue
            facts = self.facts.services[svc]
            for name in sorted(facts.secrets):
                if name in env and "value" in env[name]:
                    self.fail(where, f"{name} is a secret: take it from a Secret (secretKeyRef), not a literal value")
                elif name not in env and f"{name}_FILE" not in env:
                    self.fail(where, f"the secret {name} is not set; every replica must get the same one from a Secret")
            for callee in sorted(facts.addrs):
                if f"OE_{callee.upper()}_ADDR" not in env and not self.from_configmap(c, configmaps, f"OE_{callee.upper()}_ADDR"):
                    self.fail(where, f"the {svc} service calls {callee} but OE_{callee.upper()}_ADDR is not set")
            if facts.redis:
                user = (env.get("OE_REDIS_USER") or {}).get("value")
                if user not in self.facts.redis_users:
                    self.fail(where, f"OE_REDIS_USER {user} is not a user of deploy/redis/acl-users")
                path = (env.get("OE_REDIS_PASSWORD_FILE") or {}).get("value", "")
                vol = mounts.get(os.path.dirname(path))
                items = ((vol or {}).get("secret") or {}).get("items", []) or []
                if not any(i.get("key") == user and i.get("path") == os.path.basename(path) for i in items):
                    self.fail(where, f"OE_REDIS_PASSWORD_FILE {path or '(unset)'} is not the key {user} of a "
                                     "mounted Secret (mount only that key)")

    @staticmethod
    def from_configmap(c, configmaps, name):
        return any(name in configmaps.get((r.get("configMapRef") or {}).get("name"), {})
                   for r in c.get("envFrom", []) or [])

    # ---- NetworkPolicies ----
    def check_network_policies(self, policies, pods, configmaps):
        if not policies:
            self.fail("deploy/k8s", "no NetworkPolicy: every pod is reachable from everywhere")
            return
        if not any(p["spec"].get("podSelector") in ({}, None) and not p["spec"].get("ingress")
                   and not p["spec"].get("egress")
                   and set(p["spec"].get("policyTypes", [])) >= {"Ingress", "Egress"} for _, p in policies):
            self.fail("deploy/k8s", "no default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rules)")
        names = {name: labels for _, name, labels, _, _ in pods}
        ports_of = {}
        for _, name, _, spec, _ in pods:
            ports_of[name] = {p["containerPort"] for c in spec.get("containers", []) for p in c.get("ports", []) or []}
            if name == "redis-cluster":
                ports_of[name] |= {16379}

        def selected(selector):
            return {n for n, labels in names.items() if matches(selector or {}, labels)}

        for f, p in policies:
            where = f"{f} NetworkPolicy {p['metadata']['name']}"
            targets = selected(p["spec"].get("podSelector"))
            if not targets:
                self.fail(where, f"podSelector {p['spec'].get('podSelector')} selects no pod")
            for direction, peer_key in (("ingress", "from"), ("egress", "to")):
                for rule in p["spec"].get(direction, []) or []:
                    for peer in rule.get(peer_key, []) or []:
                        if "podSelector" in peer and "namespaceSelector" not in peer and not selected(peer["podSelector"]):
                            self.fail(where, f"{direction} peer {peer['podSelector']} selects no pod")
                    if direction == "ingress":
                        for port in rule.get("ports", []) or []:
                            if isinstance(port.get("port"), int) and not any(
                                    port["port"] in ports_of[t] for t in targets):
                                self.fail(where, f"ingress port {port['port']} is no container port of {sorted(targets)}")

        def allowed(direction, workload, port):
            # Peers allowed to reach `workload` on `port` (ingress), or the
            # peers `workload` may reach on `port` (egress): pod names, or
            # "outside" for anything beyond this namespace's pods.
            peer_key = "from" if direction == "ingress" else "to"
            out = set()
            for _, p in policies:
                if workload not in selected(p["spec"].get("podSelector")):
                    continue
                for rule in p["spec"].get(direction, []) or []:
                    rports = rule.get("ports")
                    if rports and not any(r.get("port") == port for r in rports):
                        continue
                    peers = rule.get(peer_key)
                    if not peers:
                        out |= set(names) | {"outside"}
                    for peer in peers or []:
                        if "namespaceSelector" in peer or "ipBlock" in peer:
                            out.add("outside")
                        else:
                            out |= selected(peer.get("podSelector"))
            return out

        # The call graph from the Deployments' OE_<X>_ADDR settings.
        callers, redis_users = {}, set()
        for _, name, _, spec, svc in pods:
            for c in spec.get("containers", []):
                env = self.container_env(c, configmaps)
                for key in env:
                    m = re.match(r"^OE_([A-Z]+)_ADDR$", key)
                    if m and m.group(1) != "REDIS":
                        callers.setdefault(m.group(1).lower(), set()).add(name)
                if svc and self.facts.services[svc].redis and "OE_REDIS_ADDR" in env:
                    redis_users.add(name)
        for _, name, _, spec, svc in pods:
            if not svc or svc == "gateway":
                continue
            port = self.listen_port(svc, self.container_env(spec["containers"][0], configmaps))
            where = f"NetworkPolicies for {name}"
            got = allowed("ingress", name, port)
            want = callers.get(svc, set())
            if got != want:
                self.fail(where, f"port {port} is open to {sorted(got)}; its callers (OE_{svc.upper()}_ADDR) "
                                 f"are {sorted(want)}")
            for caller in sorted(want):
                if name not in allowed("egress", caller, port):
                    self.fail(where, f"{caller} calls {name} but may not send to it on port {port}")
        if "redis-cluster" in names:
            got = allowed("ingress", "redis-cluster", 6379) - {"redis-cluster", "redis-cluster-create"}
            if got != redis_users:
                self.fail("NetworkPolicies for redis-cluster", f"port 6379 is open to {sorted(got)}; the "
                                                               f"services that use Redis are {sorted(redis_users)}")
            for user in sorted(redis_users):
                if "redis-cluster" not in allowed("egress", user, 6379):
                    self.fail("NetworkPolicies for redis-cluster", f"{user} may not send to Redis on 6379")
        # From outside the namespace: the gateway's port and metrics only.
        for _, name, _, spec, svc in pods:
            for port in sorted(ports_of[name]):
                if "outside" in allowed("ingress", name, port) and not (
                        (svc == "gateway" and port == self.listen_port(svc, self.container_env(spec["containers"][0], configmaps)))
                        or port == 9464):
                    self.fail(f"NetworkPolicies for {name}", f"port {port} is reachable from outside the namespace")

    def k8s_target(self, host, port, services, workloads):
        if host not in services:
            return f"{host} is not a Service in deploy/k8s"
        svc, pmap, _ = services[host]
        if port not in pmap:
            return f"Service {host} has no port {port}"
        return svc, self.listen_port_of_workload(svc, workloads), pmap[port]

    def listen_port_of_workload(self, svc, workloads):
        for w in workloads.values():
            if w[4] == svc:
                ports = [p for k, p in w[3].items() if isinstance(k, int)]
                return ports[0] if ports else None
        return None

    @staticmethod
    def container_env(c, configmaps):
        env = {}
        for ref in c.get("envFrom", []) or []:
            cm = (ref.get("configMapRef") or {}).get("name")
            env.update(configmaps.get(cm, {}))
        for e in c.get("env", []) or []:
            env[e["name"]] = e.get("value", "")
        return env

    def check_container(self, f, d, c, configmaps, targets):
        where = f"{f} {d['kind']} {d['metadata']['name']} container {c['name']}"
        svc = self.service_of_image(where, c.get("image", ""), targets)
        for ref in c.get("envFrom", []) or []:
            cm = (ref.get("configMapRef") or {}).get("name")
            if cm and cm not in configmaps:
                self.fail(where, f"configMapRef {cm} is not a ConfigMap in deploy/k8s")
        if not svc:
            return None
        env = self.container_env(c, configmaps)
        self.check_env(where, svc, env)
        self.check_flags(where, svc, as_list(c.get("command")) + as_list(c.get("args")))
        port = self.listen_port(svc, env)
        facts = self.facts.services[svc]
        cports = {p.get("name", p["containerPort"]): p["containerPort"] for p in c.get("ports", []) or []}
        if port not in cports.values():
            self.fail(where, f"the service listens on {port}, which is not a containerPort {sorted(cports.values())}")
        admin = port_of(str(env[facts.admin_env])) if facts.admin_env and facts.admin_env in env else None
        if "metrics" in cports and cports["metrics"] != admin:
            self.fail(where, f"containerPort metrics ({cports['metrics']}) is not the admin port "
                             f"{facts.admin_env} sets ({admin})")
        health = (port_of(str(env[facts.health_env]))
                  if facts.health_env and facts.health_env in env else None)
        if "health" in cports and cports["health"] != health:
            self.fail(where, f"containerPort health ({cports['health']}) is not the port "
                             f"{facts.health_env} sets ({health})")
        for p in cports.values():
            if p != port and not (p == admin and cports.get("metrics") == admin) and not (
                    p == health and cports.get("health") == health):
                self.fail(where, f"containerPort {p} is not the port the service listens on ({port})")
        notes = (d["spec"]["template"]["metadata"].get("annotations") or {})
        if str(notes.get("prometheus.io/scrape")) == "true" and (
                admin is None or str(notes.get("prometheus.io/port")) != str(admin)):
            self.fail(where, f"prometheus.io/port {notes.get('prometheus.io/port')} is not the admin "
                             f"port ({facts.admin_env}: {admin})")
        if port != facts.default_port and facts.listen_env not in env:
            self.fail(where, f"port {port} is not the service's")
        if not c.get("resources", {}).get("requests") or not c.get("resources", {}).get("limits"):
            self.fail(where, "needs resource requests and limits")
        for kind in ("readinessProbe", "livenessProbe"):
            if kind not in c:
                self.fail(where, f"has no {kind}")
        for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
            probe = c.get(kind)
            if not probe:
                continue
            if "grpc" in probe:
                g = probe["grpc"]
                # The kubelet cannot present a client certificate: gRPC
                # probes go to the plaintext health-only port.
                if health is None:
                    self.fail(where, f"{kind} is a gRPC probe, but the service's port wants mutual "
                                     f"TLS: set {facts.health_env} and probe that port")
                elif cports.get(g.get("port"), g.get("port")) != health:
                    self.fail(where, f"{kind} gRPC port {g.get('port')} is not the health port {health}")
                name = g.get("service")
                if name and name not in self.facts.protos.get(svc, set()):
                    self.fail(where, f"{kind} names gRPC service {name}; the {svc} protos define "
                                     f"{sorted(self.facts.protos.get(svc, set()))}")
            elif "httpGet" in probe:
                h = probe["httpGet"]
                if cports.get(h.get("port"), h.get("port")) != port:
                    self.fail(where, f"{kind} HTTP port {h.get('port')} is not the service's port {port}")
                if svc != "gateway":
                    self.fail(where, f"{kind} uses HTTP, but {svc} serves gRPC only")
                elif h.get("path") not in self.facts.gateway_get_routes:
                    self.fail(where, f"{kind} path {h.get('path')} is not a GET route of the gateway")
            else:
                self.fail(where, f"{kind} is neither a gRPC nor an HTTP probe")
        return svc


def matches(selector, labels):
    """A Kubernetes label selector (matchLabels, matchExpressions) against labels."""
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        op, key, values = e["operator"], e["key"], e.get("values", [])
        if ((op == "In" and labels.get(key) not in values) or (op == "NotIn" and labels.get(key) in values)
                or (op == "Exists" and key not in labels) or (op == "DoesNotExist" and key in labels)):
            return False
    return True


def logical_lines(text):
    """Dockerfile lines with backslash continuations joined (comments inside
    a continued instruction dropped, as Docker does)."""
    pending = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if pending and stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        yield pending + raw
        pending = ""
    if pending:
        yield pending


def env_dict(env):
    if env is None:
        return {}
    if isinstance(env, list):
        return dict(e.split("=", 1) if "=" in e else (e, "") for e in env)
    return {k: ("" if v is None else v) for k, v in env.items()}


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else str(v).split()


_FACTS = {}


def run(root, dockerfile, compose, k8s):
    facts = _FACTS.get(root) or _FACTS.setdefault(root, CodeFacts(root))
    checker = Checker(facts)
    targets = checker.check_dockerfile(dockerfile) if dockerfile else None
    if compose:
        checker.check_compose(compose, targets)
    if k8s:
        checker.check_k8s(k8s, targets)
    return checker.problems


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--root", default=os.path.normpath(os.path.join(here, "..", "..")))
    p.add_argument("--dockerfile")
    p.add_argument("--compose")
    p.add_argument("--k8s")
    a = p.parse_args(argv)
    dockerfile = a.dockerfile or os.path.join(a.root, "deploy", "Dockerfile")
    compose = a.compose or os.path.join(a.root, "deploy", "compose.yaml")
    k8s = a.k8s or os.path.join(a.root, "deploy", "k8s")
    problems = run(a.root, dockerfile, compose, k8s)
    for problem in problems:
        print("FAIL", problem)
    facts = _FACTS[a.root]
    print(f"manifest check: {len(problems)} problem(s); services known: {', '.join(sorted(facts.services))}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
