#!/usr/bin/python3
"""Tests of manifest_check.py itself: the real deploy files pass, and each
deliberately wrong manifest (a copy of the real one with one fault) fails
with a message naming the fault. Standard library + python3-yaml only."""
import copy
import os
import shutil
import sys
import tempfile
import unittest

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import manifest_check  # noqa: E402

DOCKERFILE = os.path.join(ROOT, "deploy", "Dockerfile")
COMPOSE = os.path.join(ROOT, "deploy", "compose.yaml")
K8S = os.path.join(ROOT, "deploy", "k8s")


def load_all(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


class ManifestCheckTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="oe-manifest-")
        self.k8s = os.path.join(self.tmp, "k8s")
        shutil.copytree(K8S, self.k8s)
        self.compose = os.path.join(self.tmp, "compose.yaml")
        shutil.copy(COMPOSE, self.compose)
        self.dockerfile = os.path.join(self.tmp, "Dockerfile")
        shutil.copy(DOCKERFILE, self.dockerfile)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def problems(self):
        return manifest_check.run(ROOT, self.dockerfile, self.compose, self.k8s)

    def edit_k8s(self, name, edit):
        path = os.path.join(self.k8s, f"{name}.yaml")
        docs = load_all(path)
        edit({d["kind"]: d for d in docs})
        with open(path, "w") as f:
            yaml.safe_dump_all(docs, f)

    def container(self, docs):
        return docs["Deployment"]["spec"]["template"]["spec"]["containers"][0]

    def edit_k8s_docs(self, name, edit):
        """Like edit_k8s, for files with several documents of one kind:
        edit gets {metadata.name: document}."""
        path = os.path.join(self.k8s, f"{name}.yaml")
        docs = load_all(path)
        edit({d["metadata"]["name"]: d for d in docs})
        with open(path, "w") as f:
            yaml.safe_dump_all(docs, f)

    def env(self, docs, name):
        return next(e for e in self.container(docs)["env"] if e["name"] == name)

    def policy_peers(self, policies, name):
        return policies[name]["spec"]["ingress"][0]["from"]

    def edit_compose(self, edit):
        with open(self.compose) as f:
            doc = yaml.safe_load(f)
        edit(doc["services"])
        with open(self.compose, "w") as f:
            yaml.safe_dump(doc, f)

    def assertReported(self, *words):
        problems = self.problems()
        joined = "\n".join(problems)
        self.assertTrue(problems, "the checker found nothing wrong")
        for w in words:
            self.assertIn(w, joined)

    def test_real_deploy_files_pass(self):
        self.assertEqual([], manifest_check.run(ROOT, DOCKERFILE, COMPOSE, K8S))

    def test_unknown_environment_variable_fails(self):
        self.edit_k8s("catalogue", lambda d: self.container(d)["env"].append(
            {"name": "OE_CATALOGUE_CACHE_SIZE", "value": "1"}))
        self.assertReported("OE_CATALOGUE_CACHE_SIZE", "not read by the catalogue")

    def test_variable_of_another_service_fails(self):
        # OE_SYNONYMS exists, but only the search service reads it.
        self.edit_k8s("catalogue", lambda d: self.container(d)["env"].append(
            {"name": "OE_SYNONYMS", "value": "x"}))
        self.assertReported("OE_SYNONYMS")

    def test_redis_setting_for_a_service_without_redis_fails(self):
        self.edit_k8s("search", lambda d: self.container(d)["envFrom"].append(
            {"configMapRef": {"name": "openencoder-redis"}}))
        self.assertReported("OE_REDIS_ADDR", "search")

    def test_unknown_flag_fails(self):
        self.edit_k8s("search", lambda d: self.container(d).__setitem__("args", ["--index_shards=4"]))
        self.assertReported("--index_shards")

    def test_unknown_image_fails(self):
        self.edit_k8s("jobs", lambda d: self.container(d).__setitem__("image", "openencoder/billing:1.0.0"))
        self.assertReported("openencoder/billing")

    def test_wrong_container_port_fails(self):
        def edit(d):
            self.container(d)["ports"][0]["containerPort"] = 50099
        self.edit_k8s("account", edit)
        self.assertReported("50099")

    def test_metrics_port_must_be_the_admin_port(self):
        def edit(d):
            for p in self.container(d)["ports"]:
                if p["name"] == "metrics":
                    p["containerPort"] = 9465
        self.edit_k8s("catalogue", edit)
        self.assertReported("containerPort metrics (9465)")

    def test_scrape_annotation_must_name_the_admin_port(self):
        def edit(d):
            d["Deployment"]["spec"]["template"]["metadata"]["annotations"]["prometheus.io/port"] = "50051"
        self.edit_k8s("catalogue", edit)
        self.assertReported("prometheus.io/port 50051")

    def test_wrong_probe_port_fails(self):
        self.edit_k8s("account", lambda d: self.container(d)["livenessProbe"]["grpc"].__setitem__("port", 50054))
        self.assertReported("livenessProbe gRPC port 50054")

    def test_wrong_probe_service_name_fails(self):
        self.edit_k8s("search", lambda d: self.container(d)["readinessProbe"]["grpc"].__setitem__(
            "service", "openencoder.search.v1.Search"))
        self.assertReported("openencoder.search.v1.Search;")

    def test_gateway_health_path_must_be_served(self):
        self.edit_k8s("gateway", lambda d: self.container(d)["readinessProbe"]["httpGet"].__setitem__(
            "path", "/readyz"))
        self.assertReported("/readyz", "not a GET route")

    def test_client_address_must_reach_the_service(self):
        def edit(d):
            for e in self.container(d)["env"]:
                if e["name"] == "OE_SEARCH_ADDR":
                    e["value"] = "dns:///catalogue.openencoder.svc.cluster.local:50051"
        self.edit_k8s("gateway", edit)
        self.assertReported("OE_SEARCH_ADDR points at catalogue")

    def test_service_target_port_must_exist(self):
        self.edit_k8s("jobs", lambda d: d["Service"]["spec"]["ports"][0].__setitem__("targetPort", "http"))
        self.assertReported("targetPort http")

    def test_hpa_must_target_a_deployment(self):
        self.edit_k8s("jobs", lambda d: d["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"].__setitem__(
            "name", "job"))
        self.assertReported("targets no Deployment job")

    def test_compose_unknown_variable_and_wrong_port_fail(self):
        def edit(s):
            s["gateway"]["environment"]["OE_GATEWAY_WORKERS"] = "4"
            s["gateway"]["ports"] = ["127.0.0.1:8080:8081"]
            s["jobs"]["environment"]["OE_ACCOUNT_ADDR"] = "dns:///account:50099"
        self.edit_compose(edit)
        self.assertReported("OE_GATEWAY_WORKERS", "container port 8081", "port 50099")

    def test_compose_unknown_build_target_fails(self):
        self.edit_compose(lambda s: s["search"]["build"].__setitem__("target", "searcher"))
        self.assertReported("build target searcher")

    def test_dockerfile_binary_must_be_a_cmake_target(self):
        with open(self.dockerfile) as f:
            text = f.read()
        with open(self.dockerfile, "w") as f:
            f.write(text.replace("install-server /out oe_jobs_server", "install-server /out oe_jobs_daemon"))
        self.assertReported("oe_jobs_daemon is not an oe_binary target")

    def test_dockerfile_root_user_fails(self):
        with open(self.dockerfile) as f:
            text = f.read()
        head, sep, tail = text.partition("FROM runtime AS gateway")
        with open(self.dockerfile, "w") as f:
            f.write(head + sep + tail.replace("USER 10001:10001", "USER root"))
        self.assertReported("target gateway: runs as root")

    # ---- secrets ----
    def test_secret_key_ref_must_name_a_declared_secret_and_key(self):
        def edit(d):
            self.env(d, "OE_INBOUND_MAIL_SECRET")["valueFrom"]["secretKeyRef"]["name"] = "gateway-secrets"
            self.env(d, "OE_GATEWAY_DEVICE_KEY")["valueFrom"]["secretKeyRef"]["key"] = "cookie-key"
        self.edit_k8s("gateway", edit)
        self.assertReported("Secret gateway-secrets is not declared", "has no key cookie-key")

    def test_secret_setting_must_come_from_a_secret_and_be_set(self):
        def literal(d):
            e = self.env(d, "OE_ACCOUNT_MAIL_KEY")
            del e["valueFrom"]
            e["value"] = "00" * 32
        self.edit_k8s("account", literal)
        self.edit_k8s("gateway", lambda d: self.container(d)["env"].remove(
            self.env(d, "OE_INBOUND_MAIL_SECRET")))
        self.assertReported("OE_ACCOUNT_MAIL_KEY is a secret", "the secret OE_INBOUND_MAIL_SECRET is not set")

    def test_redis_password_must_be_the_users_own_key(self):
        # The assistant logging in as jobs with the assistant's password file.
        self.edit_k8s("assistant", lambda d: self.env(d, "OE_REDIS_USER").__setitem__("value", "jobs"))
        self.edit_k8s("jobs", lambda d: self.env(d, "OE_REDIS_USER").__setitem__("value", "root"))
        self.assertReported("is not the key jobs of a mounted Secret",
                            "OE_REDIS_USER root is not a user of deploy/redis/acl-users")

    def test_redis_acl_configmap_must_be_a_copy(self):
        self.edit_k8s("redis-acl", lambda d: d["ConfigMap"]["data"].__setitem__(
            "acl-users", "jobs ~* +@all\n"))
        self.assertReported("acl-users differs from deploy/redis/acl-users")

    def test_compose_secret_as_literal_and_redis_user_without_password_fail(self):
        def edit(s):
            env = s["account"]["environment"]
            del env["OE_ACCOUNT_MAIL_KEY_FILE"]
            env["OE_ACCOUNT_MAIL_KEY"] = "00" * 32
            s["jobs"]["volumes"] = []
        self.edit_compose(edit)
        self.assertReported("OE_ACCOUNT_MAIL_KEY is a secret", "not mounted from the password file of Redis user jobs")

    # ---- call graph and NetworkPolicies ----
    def test_a_callee_address_the_code_reads_must_be_set(self):
        self.edit_k8s("gateway", lambda d: self.container(d)["env"].remove(self.env(d, "OE_ASSISTANT_ADDR")))
        self.assertReported("the gateway service calls assistant but OE_ASSISTANT_ADDR is not set")

    def test_network_policy_must_select_existing_pods(self):
        self.edit_k8s_docs("network-policies", lambda p: p["jobs-ingress"]["spec"]["podSelector"][
            "matchLabels"].__setitem__("app.kubernetes.io/name", "job-board"))
        self.assertReported("NetworkPolicy jobs-ingress: podSelector", "selects no pod")

    def test_service_open_to_a_non_caller_fails(self):
        self.edit_k8s_docs("network-policies", lambda p: self.policy_peers(p, "jobs-ingress").append(
            {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "search"}}}))
        self.assertReported("NetworkPolicies for jobs", "open to ['account', 'gateway', 'search']")

    def test_caller_left_out_of_a_policy_fails(self):
        def edit(p):
            peers = self.policy_peers(p, "account-ingress")
            peers[:] = [x for x in peers if x["podSelector"]["matchLabels"]["app.kubernetes.io/name"] != "jobs"]
            p["jobs-egress"]["spec"]["egress"] = p["jobs-egress"]["spec"]["egress"][1:]
        self.edit_k8s_docs("network-policies", edit)
        self.assertReported("its callers (OE_ACCOUNT_ADDR) are ['assistant', 'catalogue', 'gateway', 'jobs']",
                            "jobs calls account but may not send to it on port 50053")

    def test_redis_open_to_a_service_without_redis_fails(self):
        self.edit_k8s_docs("network-policies", lambda p: p["redis-cluster"]["spec"]["ingress"][0]["from"].append(
            {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "gateway"}}}))
        self.assertReported("NetworkPolicies for redis-cluster", "'gateway'")

    def test_default_deny_and_outside_access_are_checked(self):
        def edit(p):
            p["default-deny"]["spec"]["policyTypes"] = ["Ingress"]
            # Search from anywhere: no `from` at all.
            del p["search-ingress"]["spec"]["ingress"][0]["from"]
        self.edit_k8s_docs("network-policies", edit)
        self.assertReported("no default-deny NetworkPolicy", "port 50052 is reachable from outside the namespace")


if __name__ == "__main__":
    unittest.main(verbosity=2)
