// oe_catalogue_server: loads the data set a manifest names, then serves
// CatalogueService. Wiring only; see catalogue_service.h.
//
// Settings: catalogue_config.h (flags -> config -> wiring).
//
// SIGHUP reloads the manifest and its files in the background and swaps the
// new snapshot in if it loaded (catalogue_reloader.h); SIGTERM drains.
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/catalogue/catalogue_config.h"
#include "services/catalogue/catalogue_metrics.h"
#include "services/catalogue/catalogue_reloader.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/quota_client.h"
#include "services/catalogue/store/catalogue_loader.h"
#include "services/catalogue/store/snapshot_holder.h"
#include "services/common/client.h"
#include "services/common/log.h"
#include "services/common/server.h"
#include "services/common/settings.h"

namespace oe = openencoder;
namespace cat = openencoder::catalogue;

namespace {

[[noreturn]] void Die(const absl::Status& status) {
  oe::common::LogError("catalogue start-up failed", {{"error", status.ToString()}});
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  oe::common::ServerOptions options = oe::common::InitServerProcess(argc, argv, "catalogue", 50051);
  absl::StatusOr<cat::CatalogueConfig> config = cat::CatalogueConfig::FromSettings();
  if (!config.ok()) Die(config.status());
  const std::string& manifest = config->manifest_path;
  cat::LoadOptions load;
  load.variables["OE_SHARED_DATA"] = config->shared_data;
  absl::StatusOr<cat::LoadResult> loaded = cat::LoadCatalogueFromManifest(manifest, load);
  if (!loaded.ok()) Die(loaded.status());
  cat::LogLoadProblems(*loaded);
  oe::common::LogInfo("catalogue loaded",
                      {{"manifest", manifest},
                       {"snapshot_id", loaded->snapshot->id()},
                       {"files", static_cast<int>(loaded->files.size())},
                       {"codes", static_cast<long long>(loaded->snapshot->code_count())},
                       {"rows_read", static_cast<long long>(loaded->rows_read)},
                       {"rows_rejected", static_cast<long long>(loaded->rows_rejected)},
                       {"seconds", loaded->seconds},
                       {"vm_hwm_kb", cat::VmHwmKb()}});
  cat::SnapshotHolder snapshots(loaded->snapshot);
  cat::ExportCatalogueGauges(&snapshots);
  loaded->snapshot.reset();
  loaded = absl::StatusOr<cat::LoadResult>();
  // SIGHUP re-reads the same manifest path (an operator edits it, or the
  // files it names, in place) on the reloader's thread.
  cat::CatalogueReloader reloader(&snapshots, manifest, cat::ManifestLoader(manifest, load));

  oe::common::ChannelOptions channel;
  // A retried ConsumeView carries the same request_id, which the account
  // service counts once.
  channel.idempotent_methods = {"openencoder.account.v1.AccountService/ConsumeView"};
  channel.server_identity = "account";
  std::unique_ptr<cat::QuotaClient> quota = std::make_unique<cat::GrpcQuotaClient>(
      oe::common::MakeChannel(config->account_addr, channel), config->quota_timeout);
  if (config->unlimited_cache_ttl > absl::ZeroDuration()) {
    quota =
        std::make_unique<cat::CachingQuotaClient>(std::move(quota), config->unlimited_cache_ttl);
  }
  cat::CatalogueServiceImpl service(&snapshots, quota.get());
  oe::common::ServeHooks hooks;
  hooks.on_reload = [&reloader] { reloader.Request(); };
  hooks.on_draining = [&reloader] { reloader.Stop(); };
  absl::Status status = oe::common::ServeUntilSignal(
      options, {oe::common::Bind<cat::pb::CatalogueService>(&service)}, std::move(hooks));
  return status.ok() ? 0 : 1;
}
