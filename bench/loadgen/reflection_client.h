// ReflectionDescriptorDatabase: a protobuf DescriptorDatabase that fetches
// .proto file descriptors from a server's gRPC reflection service
// (grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo).
//
// Wrap it in a google::protobuf::DescriptorPool; the pool asks the database
// for the file defining a symbol and then, one by one, for its imports:
//
//   ReflectionDescriptorDatabase db(channel, absl::Seconds(5));
//   google::protobuf::DescriptorPool pool(&db);
//   const auto* method = pool.FindMethodByName("pkg.Service.Method");
//   if (method == nullptr) ... db.last_error() says why ...
//
// Every file the server sends (it sends the requested file together with its
// imports) is cached, so each file costs at most one round trip. Each lookup
// opens a short stream with the given deadline.
//
// Thread safety: not thread-safe (the pool serialises its own calls).
// The channel must outlive the database; the database must outlive the pool.
#ifndef OPENENCODER_BENCH_LOADGEN_REFLECTION_CLIENT_H_
#define OPENENCODER_BENCH_LOADGEN_REFLECTION_CLIENT_H_

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/descriptor_database.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace openencoder::loadgen {

namespace reflection_wire {
class ServerReflectionResponse;  // oe_loadgen_reflection.proto
}  // namespace reflection_wire

class ReflectionDescriptorDatabase final : public google::protobuf::DescriptorDatabase {
 public:
  ReflectionDescriptorDatabase(std::shared_ptr<grpc::Channel> channel, absl::Duration rpc_deadline);

  // DescriptorDatabase. Return false when the server does not know the name
  // or cannot be reached; last_error() then holds the reason.
  bool FindFileByName(const std::string& filename,
                      google::protobuf::FileDescriptorProto* output) override;
  bool FindFileContainingSymbol(const std::string& symbol_name,
                                google::protobuf::FileDescriptorProto* output) override;
  // Extensions are not needed to build requests; always false.
  bool FindFileContainingExtension(const std::string& containing_type, int field_number,
                                   google::protobuf::FileDescriptorProto* output) override;

  // Lists the fully-qualified service names the server exposes.
  absl::StatusOr<std::vector<std::string>> ListServices();

  // Why the most recent lookup failed (OK when it did not).
  const absl::Status& last_error() const { return last_error_; }

 private:
  // How a ServerReflectionRequest asks for something.
  enum class Query { kFileByName, kFileContainingSymbol, kListServices };

  // Sends one request on a fresh stream and parses the single response into
  // `response`; an error_response becomes a status with its code.
  absl::Status Ask(Query query, const std::string& argument,
                   reflection_wire::ServerReflectionResponse* response);

  // Asks for a file, caches every file of the answer, and copies the
  // wanted one (the first in the answer, per the reflection protocol).
  bool FetchFile(Query query, const std::string& argument,
                 google::protobuf::FileDescriptorProto* output);

  std::shared_ptr<grpc::Channel> channel_;
  grpc::GenericStub stub_;
  absl::Duration rpc_deadline_;
  absl::flat_hash_map<std::string, google::protobuf::FileDescriptorProto> files_by_name_;
  absl::Status last_error_;
};

}  // namespace openencoder::loadgen

#endif  // OPENENCODER_BENCH_LOADGEN_REFLECTION_CLIENT_H_
