#include "services/common/method_acl.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/tls.h"

namespace openencoder::common {

const std::vector<InternalMethod>& InternalMethods() {
  // The whole table. A method missing here answers to every identity of the
  // CA; a new internal-only method needs its line (tests/common/tls checks
  // each one refuses a wrong caller).
  static const auto* table = new std::vector<InternalMethod>{
      {"/openencoder.account.v1.AccountService/ConsumeView",
       {"catalogue"},
       "the catalogue meters code views"},
      {"/openencoder.account.v1.AccountService/ValidateSession",
       {"gateway", "jobs", "assistant"},
       "the gateway, jobs and the assistant resolve session tokens"},
      {"/openencoder.account.v1.AccountService/CreateGuestSession",
       {"gateway"},
       "only the gateway knows the real client address it caps guests by"},
      {"/openencoder.account.v1.AccountService/CheckRate",
       {"assistant"},
       "the assistant rate-limits questions"},
      {"/openencoder.account.v1.AccountService/SetPlan",
       {"gateway", "operator"},
       "an administrator's session through the gateway (the account service checks the role), "
       "or an operator command (scripts/oe-admin)"},
      {"/openencoder.account.v1.AccountService/HandleBillingWebhook",
       {"gateway"},
       "the payment provider's webhook enters through the gateway"},
      {"/openencoder.account.v1.AccountService/OperatorGetAccount",
       {"operator"},
       "operator command (scripts/oe-admin)"},
      {"/openencoder.account.v1.AccountService/OperatorGrantRole",
       {"operator"},
       "operator command (scripts/oe-admin)"},
      {"/openencoder.account.v1.AccountService/OperatorRevokeRole",
       {"operator"},
       "operator command (scripts/oe-admin)"},
      {"/openencoder.account.v1.AccountService/OperatorSetPlan",
       {"operator"},
       "operator command (scripts/oe-admin)"},
      {"/openencoder.account.v1.AccountService/OperatorVerifyEmail",
       {"operator"},
       "operator command (scripts/oe-admin)"},
      {"/openencoder.catalogue.v1.CatalogueService/StreamCodes",
       {"search"},
       "search indexes the whole catalogue"},
      {"/openencoder.jobs.v1.JobsService/EraseAccountData",
       {"account"},
       "the account service erases a deleted account's job-board data"},
      {"/openencoder.assistant.v1.AssistantService/EraseAccountData",
       {"account"},
       "the account service erases a deleted account's questions and conversations"},
      {"/openencoder.assistant.v1.AssistantService/SubmitEmail",
       {"gateway"},
       "the gateway checks the inbound-mail webhook's HMAC first"},
  };
  return *table;
}

grpc::Status CheckCaller(absl::string_view path, absl::string_view identity) {
  for (const InternalMethod& m : InternalMethods()) {
    if (path != m.method) continue;
    if (identity.empty()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          absl::StrCat(path, " needs a client certificate of the deployment's CA"));
    }
    for (const char* caller : m.callers) {
      if (identity == caller) return grpc::Status::OK;
    }
    return grpc::Status(
        grpc::StatusCode::PERMISSION_DENIED,
        absl::StrCat(path, " answers only to ", absl::StrJoin(m.callers, ", "), " (", m.why,
                     "); this caller's certificate says \"", identity,
                     "\". Call it with that identity's certificate, or change the table in "
                     "services/common/method_acl.cc"));
  }
  return grpc::Status::OK;
}

grpc::Status MethodAclProcessor::Process(const InputMetadata& auth_metadata,
                                         grpc::AuthContext* context, OutputMetadata*,
                                         OutputMetadata*) {
  auto path = auth_metadata.find(":path");
  if (path == auth_metadata.end()) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "call without a :path");
  }
  return CheckCaller(absl::string_view(path->second.data(), path->second.size()),
                     context == nullptr ? "" : PeerIdentity(*context));
}

}  // namespace openencoder::common
