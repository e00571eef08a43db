// Which service identities (tls.h) may call each internal-only method: the
// one table in the tree. Every other method answers to any caller holding a
// certificate of the deployment's CA (the gateway fronts the public ones).
// RunningServer enforces it for every service through the server
// credentials (MakeServerCredentials), before a handler runs.
#ifndef OPENENCODER_SERVICES_COMMON_METHOD_ACL_H_
#define OPENENCODER_SERVICES_COMMON_METHOD_ACL_H_

#include <grpcpp/security/auth_metadata_processor.h>

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace openencoder::common {

struct InternalMethod {
  const char* method;                // "/openencoder.account.v1.AccountService/ConsumeView"
  std::vector<const char*> callers;  // identities allowed to call it
  const char* why;                   // who calls it and for what (for the refusal message)
};

// The table, for tests and documentation.
const std::vector<InternalMethod>& InternalMethods();

// OK when `identity` may call `path` ("/package.Service/Method");
// PERMISSION_DENIED naming the method, the identities it answers to and the
// caller otherwise; UNAUTHENTICATED when the caller has no identity.
grpc::Status CheckCaller(absl::string_view path, absl::string_view identity);

// Applies CheckCaller to every call on a TLS server, on the transport thread
// (IsBlocking() is false: a table lookup needs no thread of its own).
class MethodAclProcessor final : public grpc::AuthMetadataProcessor {
 public:
  bool IsBlocking() const override { return false; }
  grpc::Status Process(const InputMetadata& auth_metadata, grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override;
};

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_METHOD_ACL_H_
