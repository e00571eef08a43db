#include "tests/assistant/support/inprocess_suite.h"

#include <cstdlib>
#include <utility>

#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/quota_client.h"
#include "services/catalogue/store/catalogue_loader.h"
#include "services/catalogue/store/snapshot_holder.h"
#include "services/common/client.h"
#include "services/common/server.h"
#include "services/search/grpc_code_source.h"
#include "services/search/index_refresher.h"
#include "services/search/search_service.h"

namespace openencoder::assistant::testing {

std::string SourceDir() {
  const char* dir = std::getenv("OE_SOURCE_DIR");
  return dir != nullptr && *dir != '\0' ? dir : ".";
}

struct InProcessSuite::Parts {
  std::unique_ptr<catalogue::SnapshotHolder> snapshots;
  std::unique_ptr<catalogue::QuotaClient> quota;
  std::unique_ptr<catalogue::CatalogueServiceImpl> catalogue_service;
  std::unique_ptr<common::RunningServer> catalogue_server;
  std::unique_ptr<search::GrpcCodeSource> code_source;
  search::IndexHolder index;
  std::unique_ptr<search::IndexRefresher> refresher;
  std::unique_ptr<search::SearchServiceImpl> search_service;
  std::unique_ptr<common::RunningServer> search_server;
  std::unique_ptr<GrpcCatalogueTools> catalogue_tools;
  std::unique_ptr<GrpcSearchTools> search_tools;
  std::unique_ptr<KnowledgeBase> knowledge;
  LocalityTable localities;
  std::unique_ptr<AnswerEngine> engine;
};

InProcessSuite::~InProcessSuite() {
  if (parts_ == nullptr) return;
  if (parts_->search_server) parts_->search_server->Shutdown();
  if (parts_->refresher) parts_->refresher->Stop();
  if (parts_->catalogue_server) parts_->catalogue_server->Shutdown();
}

absl::StatusOr<std::unique_ptr<InProcessSuite>> InProcessSuite::Start(SuiteOptions options) {
  const std::string root = SourceDir();
  if (options.manifest.empty()) options.manifest = root + "/data/demo/manifest.tsv";
  if (options.shared_data.empty()) options.shared_data = root + "/../shared/data";
  if (options.gpci_csv.empty()) options.gpci_csv = root + "/data/demo/mpfs/GPCI2024_demo.csv";

  auto suite = std::unique_ptr<InProcessSuite>(new InProcessSuite());
  suite->parts_ = std::make_unique<Parts>();
  Parts& p = *suite->parts_;

  catalogue::LoadOptions load;
  load.variables["OE_SHARED_DATA"] = options.shared_data;
  absl::StatusOr<catalogue::LoadResult> loaded =
      catalogue::LoadCatalogueFromManifest(options.manifest, load);
  if (!loaded.ok()) return loaded.status();
  p.snapshots = std::make_unique<catalogue::SnapshotHolder>(loaded->snapshot);
  // Nothing the assistant calls is metered; port 1 refuses at once.
  p.quota = std::make_unique<catalogue::GrpcQuotaClient>(common::MakeChannel("127.0.0.1:1"),
                                                         absl::Milliseconds(100));
  p.catalogue_service =
      std::make_unique<catalogue::CatalogueServiceImpl>(p.snapshots.get(), p.quota.get());
  common::ServerOptions server_options;
  server_options.service_name = "catalogue";
  server_options.log_calls = false;
  absl::StatusOr<std::unique_ptr<common::RunningServer>> cs = common::RunningServer::Start(
      server_options,
      {common::Bind<catalogue::v1::CatalogueService>(p.catalogue_service.get())});
  if (!cs.ok()) return cs.status();
  p.catalogue_server = *std::move(cs);

  common::ChannelOptions channel_options;
  channel_options.health_check = false;
  p.code_source = std::make_unique<search::GrpcCodeSource>(
      common::MakeChannel(p.catalogue_server->address(), channel_options), absl::Minutes(5));
  absl::StatusOr<search::SynonymTable> synonyms =
      search::SynonymTable::LoadFile(root + "/data/search/synonyms.tsv");
  if (!synonyms.ok()) return synonyms.status();
  p.refresher = std::make_unique<search::IndexRefresher>(p.code_source.get(), *std::move(synonyms),
                                                         &p.index, absl::Hours(24));
  if (absl::Status s = p.refresher->RefreshNow(); !s.ok()) return s;
  search::IndexRefresher* refresher = p.refresher.get();
  p.search_service = std::make_unique<search::SearchServiceImpl>(
      &p.index, [refresher] { return refresher->snapshot_id(); });
  server_options.service_name = "search";
  absl::StatusOr<std::unique_ptr<common::RunningServer>> ss = common::RunningServer::Start(
      server_options, {common::Bind<search::v1::SearchService>(p.search_service.get())});
  if (!ss.ok()) return ss.status();
  p.search_server = *std::move(ss);

  const absl::Duration timeout = absl::Seconds(5);
  p.catalogue_tools = std::make_unique<GrpcCatalogueTools>(
      common::MakeChannel(p.catalogue_server->address(), channel_options), timeout);
  p.search_tools = std::make_unique<GrpcSearchTools>(
      common::MakeChannel(p.search_server->address(), channel_options), timeout);
  absl::StatusOr<std::unique_ptr<KnowledgeBase>> kb =
      KnowledgeBase::Load(root + "/data/assistant/knowledge");
  if (!kb.ok()) return kb.status();
  p.knowledge = *std::move(kb);
  absl::StatusOr<LocalityTable> localities = LocalityTable::Load(options.gpci_csv);
  if (!localities.ok()) return localities.status();
  p.localities = *std::move(localities);
  p.engine = std::make_unique<AnswerEngine>(EngineDeps{
      p.catalogue_tools.get(), p.search_tools.get(), p.knowledge.get(), &p.localities, nullptr});
  return suite;
}

CatalogueTools* InProcessSuite::catalogue() { return parts_->catalogue_tools.get(); }
SearchTools* InProcessSuite::search() { return parts_->search_tools.get(); }
const KnowledgeBase* InProcessSuite::knowledge() { return parts_->knowledge.get(); }
const LocalityTable* InProcessSuite::localities() { return &parts_->localities; }
AnswerEngine* InProcessSuite::engine() { return parts_->engine.get(); }
std::string InProcessSuite::catalogue_address() const {
  return parts_->catalogue_server->address();
}
std::string InProcessSuite::search_address() const { return parts_->search_server->address(); }

}  // namespace openencoder::assistant::testing
