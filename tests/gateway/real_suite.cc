#include "tests/gateway/real_suite.h"

#include <cstdlib>
#include <utility>

#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "services/account/account_backend.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/quota_client.h"
#include "services/catalogue/store/catalogue_loader.h"
#include "services/catalogue/store/snapshot_holder.h"
#include "services/common/client.h"
#include "services/common/server.h"
#include "services/search/grpc_code_source.h"
#include "services/search/index_refresher.h"
#include "tests/support/redis_server.h"

namespace openencoder::gateway::testing {

std::string SourceDir() {
  const char* dir = std::getenv("OE_SOURCE_DIR");
  return dir != nullptr && *dir != '\0' ? dir : ".";
}

struct RealSuite::Parts {
  std::unique_ptr<test_support::RedisServer> redis;
  std::unique_ptr<account::AccountBackend> account;
  std::unique_ptr<common::RunningServer> account_server;
  std::unique_ptr<catalogue::SnapshotHolder> snapshots;
  std::unique_ptr<catalogue::QuotaClient> quota;
  std::unique_ptr<catalogue::CatalogueServiceImpl> catalogue_service;
  std::unique_ptr<common::RunningServer> catalogue_server;
  std::unique_ptr<search::GrpcCodeSource> code_source;
  search::IndexHolder index;
  std::unique_ptr<search::IndexRefresher> refresher;
  std::unique_ptr<search::SearchServiceImpl> search_service;
};

RealSuite::~RealSuite() {
  if (parts_ == nullptr) return;
  if (parts_->refresher) parts_->refresher->Stop();
  if (parts_->catalogue_server) parts_->catalogue_server->Shutdown();
  if (parts_->account_server) parts_->account_server->Shutdown();
}

absl::StatusOr<std::unique_ptr<RealSuite>> RealSuite::Start(account::AccountConfig config) {
  const std::string root = SourceDir();
  auto suite = std::unique_ptr<RealSuite>(new RealSuite());
  suite->parts_ = std::make_unique<Parts>();
  Parts& p = *suite->parts_;
  common::ServerOptions server_options;
  server_options.log_calls = false;

  absl::StatusOr<std::unique_ptr<test_support::RedisServer>> redis =
      test_support::RedisServer::Start();
  if (!redis.ok()) return redis.status();
  p.redis = *std::move(redis);

  absl::StatusOr<account::PasswordPolicy> policy =
      account::PasswordPolicy::FromFile(root + "/data/account/common_passwords.txt");
  if (!policy.ok()) return policy.status();
  // The account tests check the production cost; a cheap one keeps this fast.
  absl::StatusOr<account::PasswordHasher> hasher = account::PasswordHasher::Create(
      account::HashCost{1, size_t{1} << 20}, /*allow_weak_for_tests=*/true);
  if (!hasher.ok()) return hasher.status();
  redis::RedisOptions redis_options;
  redis_options.port = p.redis->port();
  absl::StatusOr<std::unique_ptr<account::AccountBackend>> backend =
      account::AccountBackend::Create(std::move(config), *std::move(policy), *std::move(hasher),
                                      redis_options);
  if (!backend.ok()) return backend.status();
  p.account = *std::move(backend);
  server_options.service_name = "account";
  absl::StatusOr<std::unique_ptr<common::RunningServer>> as = common::RunningServer::Start(
      server_options, {common::Bind<account::v1::AccountService>(p.account->service())});
  if (!as.ok()) return as.status();
  p.account_server = *std::move(as);

  absl::StatusOr<catalogue::LoadResult> loaded = catalogue::LoadCatalogueFromManifest(
      root + "/data/demo/manifest.tsv", catalogue::LoadOptions{});
  if (!loaded.ok()) return loaded.status();
  p.snapshots = std::make_unique<catalogue::SnapshotHolder>(loaded->snapshot);
  common::ChannelOptions quota_channel;
  quota_channel.idempotent_methods = {"openencoder.account.v1.AccountService/ConsumeView"};
  p.quota = std::make_unique<catalogue::GrpcQuotaClient>(
      common::MakeChannel(p.account_server->address(), quota_channel), absl::Seconds(2));
  p.catalogue_service =
      std::make_unique<catalogue::CatalogueServiceImpl>(p.snapshots.get(), p.quota.get());
  server_options.service_name = "catalogue";
  absl::StatusOr<std::unique_ptr<common::RunningServer>> cs = common::RunningServer::Start(
      server_options,
      {common::Bind<catalogue::v1::CatalogueService>(p.catalogue_service.get())});
  if (!cs.ok()) return cs.status();
  p.catalogue_server = *std::move(cs);

  p.code_source = std::make_unique<search::GrpcCodeSource>(
      common::MakeChannel(p.catalogue_server->address()), absl::Minutes(5));
  absl::StatusOr<search::SynonymTable> synonyms =
      search::SynonymTable::LoadFile(root + "/data/search/synonyms.tsv");
  if (!synonyms.ok()) return synonyms.status();
  p.refresher = std::make_unique<search::IndexRefresher>(p.code_source.get(), *std::move(synonyms),
                                                         &p.index, absl::Hours(24));
  if (absl::Status s = p.refresher->RefreshNow(); !s.ok()) return s;
  search::IndexRefresher* refresher = p.refresher.get();
  p.search_service = std::make_unique<search::SearchServiceImpl>(
      &p.index, [refresher] { return refresher->snapshot_id(); });
  return suite;
}

std::string RealSuite::account_address() const { return parts_->account_server->address(); }
std::string RealSuite::catalogue_address() const { return parts_->catalogue_server->address(); }
search::v1::SearchService::CallbackService* RealSuite::search_service() {
  return parts_->search_service.get();
}

}  // namespace openencoder::gateway::testing
