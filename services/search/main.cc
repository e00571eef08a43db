// Case2Code search server: wiring only (flags -> config -> wiring; settings
// in search_config.h). The index is built from the
// catalogue's StreamCodes in the background; health says NOT_SERVING until
// the first index is in.
#include <atomic>
#include <memory>

#include "services/common/client.h"
#include "services/common/log.h"
#include "services/common/server.h"
#include "services/common/settings.h"
#include "services/search/grpc_code_source.h"
#include "services/search/index_refresher.h"
#include "services/search/search_config.h"
#include "services/search/search_service.h"

namespace oe = ::openencoder;

namespace {

int Fail(const absl::Status& status) {
  oe::common::LogError("search server cannot start", {{"error", status.ToString()}});
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  oe::common::ServerOptions options = oe::common::InitServerProcess(argc, argv, "search", 50052);
  options.initially_serving = false;

  absl::StatusOr<oe::search::SearchConfig> config = oe::search::SearchConfig::FromSettings();
  if (!config.ok()) return Fail(config.status());
  auto synonyms = oe::search::SynonymTable::LoadFile(config->synonyms_path);
  if (!synonyms.ok()) return Fail(synonyms.status());
  auto procedures = oe::search::LoadProcedureTerms(config->procedure_terms_path);
  if (!procedures.ok()) return Fail(procedures.status());
  oe::common::ChannelOptions channel_options;
  channel_options.idempotent_methods = {"openencoder.catalogue.v1.CatalogueService"};
  channel_options.server_identity = "catalogue";
  oe::search::GrpcCodeSource source(
      oe::common::MakeChannel(config->catalogue_addr, channel_options), absl::Minutes(2));

  oe::search::IndexHolder holder;
  // The refresher exists before the server so that the service's snapshot
  // reader never races its construction; it starts polling only once the
  // server is up, because its first index is what makes the server SERVING.
  std::atomic<oe::common::RunningServer*> server{nullptr};
  auto refresher = std::make_unique<oe::search::IndexRefresher>(
      &source, *std::move(synonyms), &holder, config->refresh_interval, [&server] {
        if (oe::common::RunningServer* s = server.load()) s->SetServing(true);
      });
  refresher->SetProcedureTerms(*std::move(procedures));
  oe::search::SearchServiceImpl service(
      &holder, [r = refresher.get()] { return r->snapshot_id(); }, config->answer_cache_bytes);
  absl::Status status = oe::common::ServeUntilSignal(
      options, {oe::common::Bind<oe::search::v1::SearchService>(&service)},
      [&](oe::common::RunningServer* running) {
        server.store(running);
        refresher->Start();
      },
      [&] { refresher->Stop(); });
  if (!status.ok()) {
    oe::common::LogError("search server stopped", {{"error", status.ToString()}});
    return 1;
  }
  return 0;
}
