#!/usr/bin/python3
"""A stranger's first minute through the gateway, over plain HTTP on
loopback: the session, a search, one metered code page, a registration, and
the meter after it. Used against the compose deployment
(tests/deploy/container_test.sh); exits non-zero with what went wrong.

usage: gateway_smoke.py http://127.0.0.1:PORT
"""
import http.cookiejar
import json
import sys
import time
import urllib.error
import urllib.request
import uuid

BASE = sys.argv[1].rstrip("/")
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def call(method, path, body=None):
    headers = {"Accept": "application/json", "Sec-Fetch-Site": "same-origin"}
    csrf = next((c.value for c in jar if c.name == "oe_csrf"), None)
    if csrf:
        headers["X-CSRF-Token"] = csrf
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with opener.open(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        sys.exit(1)


def main():
    deadline = time.time() + 90
    while True:  # the gateway starts, then search builds its index from the catalogue
        try:
            status, body = call("GET", "/api/v1/search?query=diabetes")
        except OSError as e:  # not listening yet
            status, body = None, str(e)
        if status == 200 and isinstance(body, dict) and body.get("hits"):
            break
        if time.time() > deadline:
            check(False, f"search answers with hits within 90 s (last: {status} {body})")
        time.sleep(1)
    check(True, f"search 'diabetes': {len(body['hits'])} hits, first {body['hits'][0].get('code')}")

    status, session = call("GET", "/api/v1/session")
    check(status == 200, f"guest session ({status})")

    status, page = call("GET", "/api/v1/codes/E11.9")
    text = json.dumps(page)
    check(status == 200 and "E11.9" in text, f"metered code page E11.9 ({status})")

    email = f"smoke-{uuid.uuid4().hex[:12]}@example.org"
    status, reg = call("POST", "/api/v1/account/register",
                       {"email": email, "displayName": "Smoke Test", "role": "ROLE_CODER",
                        "password": "a long smoke-test passphrase 42"})
    check(status == 200, f"register a new account ({status} {reg if status != 200 else ''})")

    status, quota = call("GET", "/api/v1/quota")
    check(status == 200, f"the meter after registering ({status} {quota})")
    print("gateway smoke test: passed")


if __name__ == "__main__":
    main()
