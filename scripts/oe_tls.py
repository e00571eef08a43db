"""Mutual TLS for our Python tools (oe-admin, grpc_probe.py, the runner's
wait_ready.py, the chaos tests, bench/mixed), as services/common/tls.h does it
for the C++ services:

  OE_TLS_DIR   a folder with ca.crt, tls.crt, tls.key, or one sub-folder of
               them per identity (scripts/make-certs; the runner leaves them
               in $OE_RUN_DIR/tls)
  OE_TLS_CA, OE_TLS_CERT, OE_TLS_KEY   single files overriding the folder's
  OE_INSECURE=1   plaintext, for local debugging only (warned about loudly)

channel(target, identity) presents that identity's certificate (tools are
"operator"); the server's certificate must carry server_name, by default
"localhost" for IP targets (every certificate carries it) and the target's
host name otherwise.
"""
import ipaddress
import os
import sys

import grpc

_warned = False


def insecure_requested(flag=False):
    return flag or os.environ.get("OE_INSECURE", "") == "1"


def warn_insecure(tool):
    global _warned
    if not _warned:
        print(f"{tool}: WARNING: --insecure / OE_INSECURE=1: PLAINTEXT, no client certificate. "
              "Servers of a normal deployment refuse it; for local debugging only.",
              file=sys.stderr)
        _warned = True


def files(identity):
    """(ca, cert, key) paths for identity; raises SystemExit with the fix."""
    folder = os.environ.get("OE_TLS_DIR", "")
    if folder and os.path.exists(os.path.join(folder, identity, "tls.crt")):
        folder = os.path.join(folder, identity)
    found = []
    for env, name in (("OE_TLS_CA", "ca.crt"), ("OE_TLS_CERT", "tls.crt"), ("OE_TLS_KEY", "tls.key")):
        path = os.environ.get(env) or (os.path.join(folder, name) if folder else "")
        if not path or not os.path.exists(path):
            sys.exit(f"no TLS {name} for identity {identity!r}: set OE_TLS_DIR (the runner's is "
                     "$OE_RUN_DIR/tls; scripts/make-certs DIR makes one) or OE_INSECURE=1 for "
                     "plaintext while debugging")
        found.append(path)
    return found


def expected_server_name(target):
    first = target.split(",")[0].strip()
    for scheme in ("ipv4:", "ipv6:"):
        if first.startswith(scheme):
            return "localhost"
    if first.startswith("dns:///"):
        first = first[len("dns:///"):]
    host = first.rsplit(":", 1)[0].strip("[]")
    if host == "localhost":
        return "localhost"
    try:
        ipaddress.ip_address(host)
        return "localhost"
    except ValueError:
        return None


def credentials(identity="operator"):
    ca, cert, key = files(identity)
    with open(ca, "rb") as a, open(cert, "rb") as c, open(key, "rb") as k:
        return grpc.ssl_channel_credentials(root_certificates=a.read(), private_key=k.read(),
                                            certificate_chain=c.read())


def channel(target, identity="operator", server_name=None, options=(), insecure=False,
            tool="oe"):
    options = list(options)
    if insecure_requested(insecure):
        warn_insecure(tool)
        return grpc.insecure_channel(target, options=options)
    name = server_name or expected_server_name(target)
    if name:
        options.append(("grpc.ssl_target_name_override", name))
    return grpc.secure_channel(target, credentials(identity), options=options)
