// ReflectedMethod: an RPC of a remote server, described by that server's
// reflection service, and able to turn a protobuf text-format request into
// the bytes to send.
//
//   absl::StatusOr<ReflectedMethod> m = ReflectedMethod::Resolve(
//       channel, "openencoder.catalogue.v1.CatalogueService/GetCode",
//       absl::Seconds(5));
//   absl::StatusOr<std::string> bytes = m->SerializeRequest("code: 'A00'");
//   // send `bytes` to m->path() with grpc::GenericStub
//
// grpc.health.v1.Health is known even when the server's reflection does not
// list it (see builtin_protos.h).
//
// Method names are accepted as "pkg.Service/Method", "/pkg.Service/Method"
// or "pkg.Service.Method".
//
// Errors from Resolve: INVALID_ARGUMENT for a malformed name; NOT_FOUND for
// an unknown service or method; UNIMPLEMENTED for client- or bidi-streaming
// methods (not supported); the server's own code (often UNAVAILABLE or
// UNIMPLEMENTED when reflection is off) when reflection fails.
// SerializeRequest returns INVALID_ARGUMENT with the parser's line:column
// messages for bad text.
//
// Thread safety: const methods may be called concurrently. Movable, not
// copyable; the channel must outlive the object.
#ifndef OPENENCODER_BENCH_LOADGEN_METHOD_RESOLVER_H_
#define OPENENCODER_BENCH_LOADGEN_METHOD_RESOLVER_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor_database.h>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bench/loadgen/reflection_client.h"

namespace openencoder::loadgen {

// "pkg.Service" and "Method" from any accepted spelling of a method name.
struct MethodName {
  std::string service;
  std::string method;
};
absl::StatusOr<MethodName> ParseMethodName(absl::string_view full_name);

class ReflectedMethod {
 public:
  static absl::StatusOr<ReflectedMethod> Resolve(std::shared_ptr<grpc::Channel> channel,
                                                 absl::string_view full_name,
                                                 absl::Duration rpc_deadline);

  ReflectedMethod(ReflectedMethod&&) = default;
  ReflectedMethod& operator=(ReflectedMethod&&) = default;

  // The HTTP/2 path used on the wire: "/pkg.Service/Method".
  const std::string& path() const { return path_; }
  bool server_streaming() const { return method_->server_streaming(); }
  const google::protobuf::MethodDescriptor& descriptor() const { return *method_; }

  // Parses `text` (protobuf text format, e.g. "code: 'A00' page_size: 5")
  // as the method's input type and returns its binary serialization.
  absl::StatusOr<std::string> SerializeRequest(absl::string_view text) const;

 private:
  ReflectedMethod() = default;

  std::unique_ptr<ReflectionDescriptorDatabase> database_;
  // Reflection first, then the built-in health.proto (builtin_protos.h).
  std::unique_ptr<google::protobuf::MergedDescriptorDatabase> merged_;
  std::unique_ptr<google::protobuf::DescriptorPool> pool_;
  const google::protobuf::MethodDescriptor* method_ = nullptr;
  std::string path_;
};

}  // namespace openencoder::loadgen

#endif  // OPENENCODER_BENCH_LOADGEN_METHOD_RESOLVER_H_
