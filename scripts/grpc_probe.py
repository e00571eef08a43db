#!/usr/bin/python3
"""Checks a gRPC server from outside our C++ code: grpc.health.v1 Check and
server reflection (grpc.reflection.v1alpha), using Debian's python3-grpcio.

usage: grpc_probe.py HOST:PORT [EXPECTED_SERVICE ...]
Mutual TLS with the operator's certificate (scripts/oe_tls.py: OE_TLS_DIR).
Exits 0 when the server is SERVING and reflection lists every expected
service; prints what it found either way.

Only the message modules (*_pb2) are generated, at run time from Debian's
grpc-proto files; calls go through the channel's generic methods, so no
generated package named "grpc" shadows grpcio itself.
"""
import importlib.util
import os
import sys
import tempfile

import grpc
from grpc_tools import protoc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oe_tls  # noqa: E402

PROTO_ROOT = "/usr/share/grpc-proto"
HEALTH = "grpc/health/v1/health.proto"
REFLECTION = "grpc/reflection/v1alpha/reflection.proto"


def load_messages(proto):
    out = tempfile.mkdtemp(prefix="oe-probe-")
    if protoc.main(["protoc", f"-I{PROTO_ROOT}", f"--python_out={out}", proto]) != 0:
        sys.exit(f"probe: cannot compile {proto}")
    path = os.path.join(out, proto.replace(".proto", "_pb2.py"))
    name = "oe_probe_" + os.path.basename(path)[:-3]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    address, expected = sys.argv[1], sys.argv[2:]
    health = load_messages(HEALTH)
    reflection = load_messages(REFLECTION)
    channel = oe_tls.channel(address, "operator", tool="grpc_probe")
    check = channel.unary_unary(
        "/grpc.health.v1.Health/Check",
        request_serializer=health.HealthCheckRequest.SerializeToString,
        response_deserializer=health.HealthCheckResponse.FromString)
    info = channel.stream_stream(
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        request_serializer=reflection.ServerReflectionRequest.SerializeToString,
        response_deserializer=reflection.ServerReflectionResponse.FromString)
    try:
        status = check(health.HealthCheckRequest(service=""), timeout=5)
        serving = status.status == health.HealthCheckResponse.SERVING
        print(f"{address} health: {health.HealthCheckResponse.ServingStatus.Name(status.status)}")
        responses = info(iter([reflection.ServerReflectionRequest(list_services="")]), timeout=5)
        services = sorted(s.name for r in responses for s in r.list_services_response.service)
    except grpc.RpcError as e:
        print(f"{address} unreachable: {e.code().name} {e.details()}")
        return 1
    print(f"{address} reflection: {', '.join(services)}")
    missing = [s for s in expected if s not in services]
    if missing:
        print(f"{address} missing services: {', '.join(missing)}")
    return 0 if serving and not missing else 1


if __name__ == "__main__":
    sys.exit(main())
