// Descriptors the load generator knows without asking the server.
//
// Why: gRPC C++'s default health service (grpc::EnableDefaultHealthCheckService)
// is not built from generated code, so server reflection does not list
// grpc.health.v1.Health even though the server answers it. To let
// `--method=grpc.health.v1.Health/Check` work on every server, method lookup
// falls back to this database when reflection does not know a symbol.
//
// The content mirrors grpc/health/v1/health.proto (grpc-proto package).
// Thread safety: the returned database is immutable and may be shared.
#ifndef OPENENCODER_BENCH_LOADGEN_BUILTIN_PROTOS_H_
#define OPENENCODER_BENCH_LOADGEN_BUILTIN_PROTOS_H_

#include <google/protobuf/descriptor_database.h>

namespace openencoder::loadgen {

// A database holding grpc/health/v1/health.proto. Never null; lives forever.
google::protobuf::DescriptorDatabase* BuiltinDescriptorDatabase();

}  // namespace openencoder::loadgen

#endif  // OPENENCODER_BENCH_LOADGEN_BUILTIN_PROTOS_H_
