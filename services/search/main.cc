// Case2Code search server: wiring only. The index is built from the
// catalogue's StreamCodes in the background; health says NOT_SERVING until
// the first index is in.
#include <atomic>
#include <cstdio>
#include <memory>

#include "absl/flags/flag.h"
#include "services/common/client.h"
#include "services/common/log.h"
#include "services/common/server.h"
#include "services/common/settings.h"
#include "services/search/grpc_code_source.h"
#include "services/search/index_refresher.h"
#include "services/search/search_service.h"

ABSL_FLAG(std::string, catalogue_addr, "", "catalogue address(es) (env OE_CATALOGUE_ADDR)");
ABSL_FLAG(std::string, synonyms, "", "synonym table (env OE_SYNONYMS)");
ABSL_FLAG(
    std::string, procedure_terms, "",
    "procedure words table (env OE_PROCEDURE_TERMS), default data/search/procedure_terms.tsv");
ABSL_FLAG(std::string, refresh_interval, "",
          "how often to ask the catalogue for a new edition (env OE_SEARCH_REFRESH), e.g. 30s");

namespace oe = ::openencoder;

int main(int argc, char** argv) {
  oe::common::ServerOptions options = oe::common::InitServerProcess(argc, argv, "search", 50052);
  options.initially_serving = false;

  std::string source_dir = oe::common::Setting("", "OE_SOURCE_DIR", ".");
  std::string synonyms_path = oe::common::Setting(absl::GetFlag(FLAGS_synonyms), "OE_SYNONYMS",
                                                  source_dir + "/data/search/synonyms.tsv");
  auto synonyms = oe::search::SynonymTable::LoadFile(synonyms_path);
  if (!synonyms.ok()) {
    std::fprintf(stderr, "search: %s\n", synonyms.status().ToString().c_str());
    return 2;
  }
  std::string procedures_path =
      oe::common::Setting(absl::GetFlag(FLAGS_procedure_terms), "OE_PROCEDURE_TERMS",
                          source_dir + "/data/search/procedure_terms.tsv");
  auto procedures = oe::search::LoadProcedureTerms(procedures_path);
  if (!procedures.ok()) {
    std::fprintf(stderr, "search: %s\n", procedures.status().ToString().c_str());
    return 2;
  }
  auto interval = oe::common::DurationSetting(absl::GetFlag(FLAGS_refresh_interval),
                                              "OE_SEARCH_REFRESH", absl::Seconds(30));
  if (!interval.ok()) {
    std::fprintf(stderr, "search: %s\n", interval.status().ToString().c_str());
    return 2;
  }
  std::string catalogue = oe::common::Setting(absl::GetFlag(FLAGS_catalogue_addr),
                                              "OE_CATALOGUE_ADDR", "127.0.0.1:50051");
  oe::common::ChannelOptions channel_options;
  channel_options.idempotent_methods = {"openencoder.catalogue.v1.CatalogueService"};
  channel_options.server_identity = "catalogue";
  oe::search::GrpcCodeSource source(oe::common::MakeChannel(catalogue, channel_options),
                                    absl::Minutes(2));

  oe::search::IndexHolder holder;
  // The refresher exists before the server so that the service's snapshot
  // reader never races its construction; it starts polling only once the
  // server is up, because its first index is what makes the server SERVING.
  std::atomic<oe::common::RunningServer*> server{nullptr};
  auto refresher = std::make_unique<oe::search::IndexRefresher>(
      &source, *std::move(synonyms), &holder, *interval, [&server] {
        if (oe::common::RunningServer* s = server.load()) s->SetServing(true);
      });
  refresher->SetProcedureTerms(*std::move(procedures));
  oe::search::SearchServiceImpl service(&holder,
                                        [r = refresher.get()] { return r->snapshot_id(); });
  absl::Status status = oe::common::ServeUntilSignal(
      options, {oe::common::Bind<oe::search::v1::SearchService>(&service)},
      [&](oe::common::RunningServer* running) {
        server.store(running);
        refresher->Start();
      },
      [&] { refresher->Stop(); });
  if (!status.ok()) {
    std::fprintf(stderr, "search: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
