// oe_account_server: wiring only. Settings are listed in account_config.h;
// Redis comes from OE_REDIS_ADDR (see redis_options.h).
#include <cstdio>

#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "services/account/account_backend.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/server.h"

namespace oe = openencoder;

namespace {

int Fail(const absl::Status& status) {
  oe::common::LogError("account server cannot start", {{"error", std::string(status.message())}});
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const oe::common::ServerOptions options =
      oe::common::InitServerProcess(argc, argv, "account", 50053);
  absl::StatusOr<oe::account::AccountConfig> config = oe::account::AccountConfig::FromSettings();
  if (!config.ok()) return Fail(config.status());
  absl::StatusOr<oe::account::PasswordPolicy> policy =
      oe::account::PasswordPolicy::FromFile(config->common_passwords_path);
  if (!policy.ok()) return Fail(policy.status());
  absl::StatusOr<oe::account::PasswordHasher> hasher =
      oe::account::PasswordHasher::Create(config->hash_cost);
  if (!hasher.ok()) return Fail(hasher.status());
  absl::StatusOr<oe::redis::RedisOptions> redis = oe::redis::RedisOptions::FromEnvironment();
  if (!redis.ok()) return Fail(redis.status());
  redis->pool_size = 8;
  absl::StatusOr<std::unique_ptr<oe::account::AccountBackend>> backend =
      oe::account::AccountBackend::Create(*std::move(config), *std::move(policy),
                                          *std::move(hasher), *std::move(redis));
  if (!backend.ok()) return Fail(backend.status());
  // Erasures queued by DeleteAccount go to jobs and the assistant from here.
  const oe::account::AccountConfig& c = (*backend)->config();
  (*backend)->StartErasureDelivery(c.jobs_address, c.assistant_address);
  oe::account::ErasureOutbox* erasures = (*backend)->erasure_outbox();
  oe::common::AddScrapeGauge("oe_outbox_backlog", "Entries in the outbox not yet delivered",
                             [erasures] {
                               absl::StatusOr<int64_t> n = erasures->Backlog();
                               if (!n.ok()) return std::vector<oe::common::ScrapeSample>();
                               return std::vector<oe::common::ScrapeSample>{
                                   {{{"outbox", "account_erasures"}}, static_cast<double>(*n)}};
                             });
  const absl::Status served = oe::common::ServeUntilSignal(
      options, {oe::common::Bind<oe::account::v1::AccountService>((*backend)->service())});
  return served.ok() ? 0 : Fail(served);
}
