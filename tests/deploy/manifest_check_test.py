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
            f.write(text.replace("/out/oe_jobs_server /usr/local/bin/", "/out/oe_jobs_daemon /usr/local/bin/"))
        self.assertReported("oe_jobs_daemon is not an oe_binary target")

    def test_dockerfile_root_user_fails(self):
        with open(self.dockerfile) as f:
            text = f.read()
        head, sep, tail = text.partition("FROM runtime AS gateway")
        with open(self.dockerfile, "w") as f:
            f.write(head + sep + tail.replace("USER 10001:10001", "USER root"))
        self.assertReported("target gateway: runs as root")


if __name__ == "__main__":
    unittest.main(verbosity=2)
