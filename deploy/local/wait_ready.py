#!/usr/bin/python3
"""Waits until every listed server is ready and prints one line per server.

usage: wait_ready.py TIMEOUT_SECONDS NAME=ADDRESS=CHECK ...
  CHECK is a gRPC service name (grpc.health.v1 Check of "" must say SERVING
  and server reflection must list that service) or http:PATH (GET must
  answer 200). Exit status: the number of servers not ready.
The servers are polled together, so ten replicas cost one timeout, not ten.
Mutual TLS with the operator's certificate (scripts/oe_tls.py: OE_TLS_DIR).
Uses Debian's python3-grpcio only: the few protobuf messages involved are
encoded and decoded by hand, so no generated stubs (and no protoc) are needed.
"""
import sys
import time
import urllib.request

import os

import grpc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import oe_tls  # noqa: E402

HEALTH_CHECK = "/grpc.health.v1.Health/Check"
REFLECTION = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"
LIST_SERVICES_REQUEST = b"\x3a\x00"  # ServerReflectionRequest{list_services: ""} (field 7)
SERVING = 1


def fields(data):
    """Yields (field_number, value) of a protobuf message (varint and bytes fields)."""
    i = 0
    while i < len(data):
        key, i = varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(data, i)
        elif wire == 2:
            length, i = varint(data, i)
            value, i = data[i:i + length], i + length
        elif wire == 1:
            value, i = data[i:i + 8], i + 8
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        else:
            raise ValueError("unsupported wire type")
        yield number, value


def varint(data, i):
    shift = result = 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, i


def grpc_ready(channel, service):
    check = channel.unary_unary(HEALTH_CHECK)
    status = dict(fields(check(b"", timeout=2))).get(1, 0)
    if status != SERVING:
        return False
    info = channel.stream_stream(REFLECTION)
    names = set()
    for response in info(iter([LIST_SERVICES_REQUEST]), timeout=2):
        for number, listing in fields(response):
            if number == 6:  # list_services_response
                for n, svc in fields(listing):
                    if n == 1:
                        names.update(v.decode() for m, v in fields(svc) if m == 1)
    return service in names


def main():
    timeout = float(sys.argv[1])
    targets = [a.split("=", 2) for a in sys.argv[2:]]
    ready, channels = set(), {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(ready) < len(targets):
        for name, address, check in targets:
            if name in ready:
                continue
            try:
                if check.startswith("http:"):
                    with urllib.request.urlopen(f"http://{address}{check[5:]}", timeout=2) as r:
                        ok = r.status == 200
                else:
                    if address not in channels:
                        # Reconnect quickly (as MakeChannel does): a server
                        # that listens late must not wait out a backoff grown
                        # to tens of seconds while it was still loading.
                        channels[address] = oe_tls.channel(
                            address, "operator", tool="wait_ready",
                            options=[("grpc.initial_reconnect_backoff_ms", 100),
                                     ("grpc.min_reconnect_backoff_ms", 100),
                                     ("grpc.max_reconnect_backoff_ms", 1000)])
                    ok = grpc_ready(channels[address], check)
            except Exception:  # not up yet
                ok = False
            if not ok and address in channels:
                # A fresh channel next time: one that first met a server
                # still starting was seen to stay failed for minutes.
                channels.pop(address).close()
            if ok:
                ready.add(name)
        if len(ready) < len(targets):
            time.sleep(0.2)
    for name, address, _ in targets:
        print(f"{name} {address} {'SERVING' if name in ready else 'NOT READY'}")
    return len(targets) - len(ready)


if __name__ == "__main__":
    sys.exit(main())
