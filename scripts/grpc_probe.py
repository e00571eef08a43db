#!/usr/bin/python3
"""Checks a gRPC server from outside our C++ code: grpc.health.v1 Check and
server reflection (grpc.reflection.v1alpha), using Debian's python3-grpcio.

usage: grpc_probe.py HOST:PORT [EXPECTED_SERVICE ...]
Exits 0 when the server is SERVING and reflection lists every expected
service; prints what it found either way.
"""
import importlib
import os
import sys
import tempfile

import grpc
from grpc_tools import protoc

PROTO_ROOT = "/usr/share/grpc-proto"
PROTOS = ["grpc/health/v1/health.proto", "grpc/reflection/v1alpha/reflection.proto"]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    address, expected = sys.argv[1], sys.argv[2:]
    # The generated modules live under a package named "grpc", which would
    # shadow grpcio; import grpcio first and graft the generated packages.
    health_pb2, health_grpc, refl_pb2, refl_grpc = load_stubs_grafted()
    channel = grpc.insecure_channel(address)
    try:
        status = health_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
        serving = status.status == health_pb2.HealthCheckResponse.SERVING
        print(f"{address} health: {health_pb2.HealthCheckResponse.ServingStatus.Name(status.status)}")
        stub = refl_grpc.ServerReflectionStub(channel)
        responses = stub.ServerReflectionInfo(iter([refl_pb2.ServerReflectionRequest(list_services="")]), timeout=5)
        services = sorted(s.name for r in responses for s in r.list_services_response.service)
    except grpc.RpcError as e:
        print(f"{address} unreachable: {e.code().name} {e.details()}")
        return 1
    print(f"{address} reflection: {', '.join(services)}")
    missing = [s for s in expected if s not in services]
    if missing:
        print(f"{address} missing services: {', '.join(missing)}")
    return 0 if serving and not missing else 1


def load_stubs_grafted():
    out = tempfile.mkdtemp(prefix="oe-probe-")
    for proto in PROTOS:
        args = ["protoc", f"-I{PROTO_ROOT}", f"--python_out={out}", f"--grpc_python_out={out}", proto]
        if protoc.main(args) != 0:
            sys.exit(f"probe: cannot compile {proto}")
    import importlib.util

    def load(rel, name):
        spec = importlib.util.spec_from_file_location(name, os.path.join(out, rel))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module

    # Register under their import names so the _grpc modules find the _pb2 ones.
    health_pb2 = load("grpc/health/v1/health_pb2.py", "grpc.health.v1.health_pb2")
    health_grpc = load("grpc/health/v1/health_pb2_grpc.py", "grpc.health.v1.health_pb2_grpc")
    refl_pb2 = load("grpc/reflection/v1alpha/reflection_pb2.py", "grpc.reflection.v1alpha.reflection_pb2")
    refl_grpc = load("grpc/reflection/v1alpha/reflection_pb2_grpc.py",
                     "grpc.reflection.v1alpha.reflection_pb2_grpc")
    return health_pb2, health_grpc, refl_pb2, refl_grpc


if __name__ == "__main__":
    sys.exit(main())
