// oe_bench_account_sessions: makes the sessions bench/catalogue/run.sh sends
// to the catalogue, on a real account service. Registers a pro account (plan
// set through the operator RPC, so the account server needs
// OE_ACCOUNT_OPERATOR_TOKEN = --operator_token) and a free account, and prints
//   PAID=<token>
//   FREE=<token>
// With --check_catalogue it instead opens E11.9 on that catalogue with each
// --sessions token and fails unless every answer is a full page, so that
// the bench measures pages, not teasers. Exits 1 with the failure on stderr.
//
//   oe_bench_account_sessions --account=127.0.0.1:50053 --operator_token=secret
//   oe_bench_account_sessions --check_catalogue=127.0.0.1:50051 --sessions=T1,T2
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "openencoder/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/common/tls.h"

ABSL_FLAG(std::string, account, "127.0.0.1:50053", "account service address");
ABSL_FLAG(std::string, operator_token, "", "the account server's OE_ACCOUNT_OPERATOR_TOKEN");
ABSL_FLAG(std::string, check_catalogue, "", "catalogue address: check pages instead");
ABSL_FLAG(std::string, sessions, "", "with --check_catalogue: comma-separated tokens");

namespace apb = ::openencoder::account::v1;

namespace {

constexpr char kPassword[] = "purple-otter-tuesday-42";

void Check(const grpc::Status& status, const char* what) {
  if (status.ok()) return;
  std::fprintf(stderr, "%s: %s\n", what, status.error_message().c_str());
  std::exit(1);
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  return context;
}

apb::RegisterResponse Register(apb::AccountService::Stub& stub, const std::string& email) {
  apb::RegisterRequest request;
  request.set_email(email);
  request.set_password(kPassword);
  request.set_display_name("Bench");
  request.set_role(apb::ROLE_CODER);
  request.set_client_address("127.0.0.1");
  apb::RegisterResponse response;
  Check(stub.Register(Context().get(), request, &response), "Register");
  return response;
}

// The operator's certificate (OE_TLS_DIR): OperatorSetPlan answers only to it.
std::shared_ptr<grpc::ChannelCredentials> OperatorCredentials() {
  auto credentials = ::openencoder::common::MakeChannelCredentials("operator");
  if (!credentials.ok()) {
    std::fprintf(stderr, "%s\n", credentials.status().ToString().c_str());
    std::exit(1);
  }
  return *credentials;
}

int CheckPages(const std::string& catalogue, const std::string& sessions) {
  namespace cpb = ::openencoder::catalogue::v1;
  auto stub = cpb::CatalogueService::NewStub(grpc::CreateChannel(catalogue, OperatorCredentials()));
  for (absl::string_view token : absl::StrSplit(sessions, ',', absl::SkipEmpty())) {
    cpb::GetCodePageRequest request;
    request.set_code("E11.9");
    request.set_session_token(std::string(token));
    cpb::GetCodePageResponse response;
    Check(stub->GetCodePage(Context().get(), request, &response), "GetCodePage");
    if (!response.has_page()) {
      std::fprintf(stderr, "a teaser, not a page: %s\n", response.teaser().action().c_str());
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (!absl::GetFlag(FLAGS_check_catalogue).empty()) {
    return CheckPages(absl::GetFlag(FLAGS_check_catalogue), absl::GetFlag(FLAGS_sessions));
  }
  auto stub = apb::AccountService::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_account), OperatorCredentials()));
  // Unique e-mails, so the tool can run again against the same Redis.
  const std::string run = absl::StrCat(absl::ToUnixMicros(absl::Now()));
  const apb::RegisterResponse paid = Register(*stub, absl::StrCat("pro-", run, "@example.com"));
  const apb::RegisterResponse free = Register(*stub, absl::StrCat("free-", run, "@example.com"));
  apb::OperatorSetPlanRequest plan;
  plan.set_operator_token(absl::GetFlag(FLAGS_operator_token));
  plan.set_email(paid.account().email());
  plan.set_plan(apb::PLAN_PRO);
  apb::OperatorAccountResponse planned;
  Check(stub->OperatorSetPlan(Context().get(), plan, &planned), "OperatorSetPlan");
  std::printf("PAID=%s\nFREE=%s\n", paid.session().token().c_str(), free.session().token().c_str());
  return 0;
}
