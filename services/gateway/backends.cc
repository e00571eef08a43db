#include "services/gateway/backends.h"

#include "services/common/client.h"

namespace openencoder::gateway {

Backends ConnectBackends(const BackendAddresses& addresses, absl::Duration timeout) {
  // Each channel checks that the server holds its service's certificate.
  auto options = [](const char* server, std::vector<std::string> idempotent) {
    common::ChannelOptions o;
    o.server_identity = server;
    o.idempotent_methods = std::move(idempotent);
    return o;
  };
  Backends b;
  b.timeout = timeout;
  // Code pages are metered, but a retried request_id is counted once
  // (catalogue contract), so the whole catalogue is safe to retry.
  b.catalogue_channel = common::MakeChannel(
      addresses.catalogue,
      options("catalogue", {catalogue::v1::CatalogueService::service_full_name()}));
  b.search_channel = common::MakeChannel(
      addresses.search, options("search", {search::v1::SearchService::service_full_name()}));
  common::ChannelOptions wire = options("search", {search::v1::SearchService::service_full_name()});
  wire.interceptors = false;
  b.search_wire_channel = common::MakeChannel(addresses.search, wire);
  b.search_completions = std::make_unique<CompletionThread>();
  b.account_channel = common::MakeChannel(
      addresses.account,
      options("account", {"openencoder.account.v1.AccountService/GetAccount",
                          "openencoder.account.v1.AccountService/GetQuota",
                          "openencoder.account.v1.AccountService/ValidateSession",
                          "openencoder.account.v1.AccountService/ListSessions",
                          "openencoder.account.v1.AccountService/Logout"}));
  b.jobs_channel = common::MakeChannel(
      addresses.jobs, options("jobs", {"openencoder.jobs.v1.JobsService/SearchJobs",
                                       "openencoder.jobs.v1.JobsService/GetPosting",
                                       "openencoder.jobs.v1.JobsService/ListMyPostings",
                                       "openencoder.jobs.v1.JobsService/ListMyApplications",
                                       "openencoder.jobs.v1.JobsService/ListApplicants",
                                       "openencoder.jobs.v1.JobsService/ListSavedJobs"}));
  // Ask spends the plan's question quota, so it is never resent; SubmitEmail
  // is idempotent on the message id (assistant contract).
  b.assistant_channel = common::MakeChannel(
      addresses.assistant,
      options("assistant", {"openencoder.assistant.v1.AssistantService/SubmitEmail"}));
  b.catalogue = catalogue::v1::CatalogueService::NewStub(b.catalogue_channel);
  b.search = search::v1::SearchService::NewStub(b.search_channel);
  b.account = account::v1::AccountService::NewStub(b.account_channel);
  b.jobs = jobs::v1::JobsService::NewStub(b.jobs_channel);
  b.assistant = assistant::v1::AssistantService::NewStub(b.assistant_channel);
  return b;
}

}  // namespace openencoder::gateway
