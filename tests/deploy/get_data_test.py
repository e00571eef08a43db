#!/usr/bin/python3
"""scripts/get-data against a local mirror of the publishers (no network).

The mirror is built from $OE_SHARED_DATA the way CDC and CMS publish: each
listed archive is a zip at <mirror>/<publisher host>/<path>, holding its
members (in a sub-folder, as real releases often do). A small HTTP server on
a free loopback port serves it with Range support, and cuts one transfer
short the first time, so the test sees get-data fail, name the file and the
URL, and resume with a Range request on the next run. Then: every file is
verified, a third run downloads nothing, a wrong checksum and a missing file
are refused with the file and the URL named, and the catalogue server loads
the written manifest and answers SERVING.

usage: get_data_test.py BUILD_DIR
"""
import http.server
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import zipfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SHARED = os.environ.get("OE_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
BUILD = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(ROOT, "build")
GET_DATA = os.path.join(ROOT, "scripts", "get-data")
SOURCES = os.path.join(ROOT, "data", "official-sources.tsv")


def read_sources():
    rows = []
    with open(SOURCES, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                rows.append(line.rstrip("\n").split("\t"))
    return rows


def mirror_path(mirror_dir, url):
    parts = urllib.parse.urlsplit(url)
    return os.path.join(mirror_dir, parts.netloc, urllib.parse.unquote(parts.path).lstrip("/"))


def build_mirror(mirror_dir):
    archives = {}
    for dest, _size, _sha, url, member in read_sources():
        src = os.path.join(SHARED, dest)
        target = mirror_path(mirror_dir, url)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if member == "-":
            os.symlink(os.path.abspath(src), target)
        else:
            archives.setdefault(target, []).append((src, member))
    for target, members in archives.items():
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for src, member in members:
                z.write(src, arcname=f"release/{member}")


class MirrorHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with single-range support; cuts the first transfer of
    `cut_path` after half its bytes."""
    cut_path = None
    requests = []  # (path, Range header)

    def log_message(self, *args):
        pass

    def do_GET(self):
        MirrorHandler.requests.append((self.path, self.headers.get("Range")))
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            self.send_error(404)
            return
        size = os.path.getsize(path)
        start = 0
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0])
            if start >= size:
                self.send_error(416)
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(size - start))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        cut = self.path == MirrorHandler.cut_path and start == 0
        MirrorHandler.cut_path = None if cut else MirrorHandler.cut_path
        with open(path, "rb") as f:
            f.seek(start)
            remaining = (size - start) // 2 if cut else size - start
            while remaining > 0:
                chunk = f.read(min(remaining, 1 << 16))
                self.wfile.write(chunk)
                remaining -= len(chunk)
        if cut:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)


class GetDataTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.isdir(SHARED):
            raise unittest.SkipTest(f"no shared data at {SHARED}")
        cls.tmp = tempfile.TemporaryDirectory(prefix="oe-get-data-")
        cls.mirror = os.path.join(cls.tmp.name, "mirror")
        build_mirror(cls.mirror)
        handler = lambda *a, **kw: MirrorHandler(*a, directory=cls.mirror, **kw)  # noqa: E731
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.mirror_url = f"http://127.0.0.1:{cls.server.server_address[1]}"
        cls.dest = os.path.join(cls.tmp.name, "official")

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.tmp.cleanup()

    def run_get_data(self, *args, sources=SOURCES, dest=None):
        env = dict(os.environ, OE_DATA_MIRROR=self.mirror_url)
        return subprocess.run(
            [GET_DATA, "--dest", dest or self.dest, "--sources", sources, *args],
            env=env, capture_output=True, text=True, timeout=600)

    def test_1_cut_download_names_file_then_resumes(self):
        rows = read_sources()
        pcs_url = [r[3] for r in rows if r[0].startswith("icd10pcs/")][0]
        parts = urllib.parse.urlsplit(pcs_url)
        MirrorHandler.cut_path = f"/{parts.netloc}{parts.path}"
        first = self.run_get_data()
        self.assertEqual(first.returncode, 1, first.stdout + first.stderr)
        self.assertIn("icd10pcs/icd10pcs_order_2026.txt", first.stderr)
        self.assertIn(self.mirror_url + publisher_path(pcs_url), first.stderr)
        self.assertIn("run again to resume", first.stderr)

        MirrorHandler.requests.clear()
        second = self.run_get_data()
        self.assertEqual(second.returncode, 0, second.stdout + second.stderr)
        ranged = [r for r in MirrorHandler.requests if r[1]]
        self.assertTrue(ranged, "the second run did not resume with a Range request")
        self.assertIn("resuming at", second.stdout)
        for dest, size, sha, _url, _member in rows:
            path = os.path.join(self.dest, dest)
            self.assertTrue(os.path.isfile(path), dest)
            self.assertEqual(os.path.getsize(path), int(size), dest)
        self.assertFalse(os.path.exists(os.path.join(self.dest, ".downloads")))

        with open(os.path.join(self.dest, "manifest.tsv"), encoding="utf-8") as f:
            manifest = f.read()
        self.assertIn("icd10cm-order\ticd10cm/icd10cm-order-2026.txt", manifest)
        self.assertIn("hcpcs-fixed\thcpcs/2019-annual/HCPC2019_CONTR_ANWEB.txt", manifest)
        self.assertIn("code-notes\t../demo/code_notes.tsv", manifest)

    def test_2_second_run_downloads_nothing(self):
        MirrorHandler.requests.clear()
        again = self.run_get_data()
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(MirrorHandler.requests, [])
        self.assertEqual(again.stdout.count("(already there)"), len(read_sources()))

    def test_3_wrong_checksum_and_missing_file_are_refused(self):
        rows = read_sources()
        bad = os.path.join(self.tmp.name, "bad-sources.tsv")
        with open(bad, "w", encoding="utf-8") as f:
            gem = [r for r in rows if r[0] == "gems/2018_I9gem.txt"][0]
            f.write("\t".join([gem[0], gem[1], "0" * 64, gem[3], gem[4]]) + "\n")
        out = self.run_get_data(sources=bad, dest=os.path.join(self.tmp.name, "bad"))
        self.assertEqual(out.returncode, 1)
        self.assertIn("gems/2018_I9gem.txt", out.stderr)
        self.assertIn("checksum mismatch", out.stderr)
        self.assertIn("Dxgem_2018.zip", out.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp.name, "bad", "gems", "2018_I9gem.txt")))

        missing = os.path.join(self.tmp.name, "missing-sources.tsv")
        with open(missing, "w", encoding="utf-8") as f:
            f.write("x/none.txt\t1\t" + "0" * 64 + "\thttps://www.cms.gov/files/zip/none.zip\tnone.txt\n")
        out = self.run_get_data(sources=missing, dest=os.path.join(self.tmp.name, "missing"))
        self.assertEqual(out.returncode, 1)
        self.assertIn("HTTP 404", out.stderr)
        self.assertIn(f"{self.mirror_url}/www.cms.gov/files/zip/none.zip", out.stderr)

    def test_4_catalogue_serves_the_written_manifest(self):
        server = os.path.join(BUILD, "services", "catalogue", "oe_catalogue_server")
        if not os.path.exists(server):
            self.fail(f"{server} not built")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        # Mutual TLS as deployed: a throw-away CA for the server and the probe.
        certs = os.path.join(self.tmp.name, "tls")
        subprocess.run([os.path.join(ROOT, "scripts", "make-certs"), certs], check=True)
        env = dict(os.environ, OE_CATALOGUE_LISTEN=f"127.0.0.1:{port}", OE_SOURCE_DIR=ROOT,
                   OE_DATA_MANIFEST=os.path.join(self.dest, "manifest.tsv"), OE_TLS_DIR=certs)
        log = open(os.path.join(self.tmp.name, "catalogue.log"), "w")  # closed in finally
        proc = subprocess.Popen([server], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.time() + 120
            ok = False
            while time.time() < deadline and proc.poll() is None:
                probe = subprocess.run(
                    ["/usr/bin/python3", os.path.join(ROOT, "scripts", "grpc_probe.py"),
                     f"127.0.0.1:{port}", "openencoder.catalogue.v1.CatalogueService"],
                    capture_output=True, text=True, env=env)
                if probe.returncode == 0:
                    ok = True
                    break
                time.sleep(0.5)
            log.flush()
            with open(log.name, encoding="utf-8") as f:
                text = f.read()
            self.assertTrue(ok, "catalogue never SERVING on the official manifest:\n" + text[-3000:])
            # The load's log line counts the codes: the official sets have about
            # 190,000 (the demo set 186).
            loaded = re.search(r'"msg":"catalogue loaded".*?"codes":(\d+)', text)
            self.assertIsNotNone(loaded, text[-3000:])
            self.assertGreater(int(loaded.group(1)), 150000, loaded.group(0))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log.close()


def publisher_path(url):
    parts = urllib.parse.urlsplit(url)
    return f"/{parts.netloc}{parts.path}"


if __name__ == "__main__":
    unittest.main(verbosity=2)
