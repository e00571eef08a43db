// oe_catalogue_server: loads the data set a manifest names, then serves
// CatalogueService. Wiring only; see catalogue_service.h.
//
//   --data_manifest / OE_DATA_MANIFEST   default data/demo/manifest.tsv under
//                                        OE_SOURCE_DIR (else the working dir)
//   --account_addr / OE_ACCOUNT_ADDR     account service, default 127.0.0.1:50053
//   --quota_timeout / OE_QUOTA_TIMEOUT   deadline of ConsumeView, default 300ms
//   --unlimited_cache_ttl / OE_UNLIMITED_CACHE_TTL
//                                        remember unlimited sessions, default 5s
//                                        (0 disables; see CachingQuotaClient)
//   OE_SHARED_DATA                       $OE_SHARED_DATA in manifests
//
// SIGHUP reloads the manifest and its files in the background and swaps the
// new snapshot in if it loaded (catalogue_reloader.h); SIGTERM drains.
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
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

ABSL_FLAG(std::string, data_manifest, "", "data-set manifest (OE_DATA_MANIFEST)");
ABSL_FLAG(std::string, account_addr, "", "account service address (OE_ACCOUNT_ADDR)");
ABSL_FLAG(std::string, quota_timeout, "", "ConsumeView deadline (OE_QUOTA_TIMEOUT)");
ABSL_FLAG(std::string, unlimited_cache_ttl, "",
          "how long unlimited sessions are remembered (OE_UNLIMITED_CACHE_TTL)");

namespace oe = openencoder;
namespace cat = openencoder::catalogue;

namespace {

std::string SourceRelative(const std::string& path) {
  const char* root = std::getenv("OE_SOURCE_DIR");
  if (path.empty() || path[0] == '/' || root == nullptr || *root == '\0') return path;
  return absl::StrCat(root, "/", path);
}

[[noreturn]] void Die(const absl::Status& status) {
  oe::common::LogError("catalogue start-up failed", {{"error", status.ToString()}});
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  oe::common::ServerOptions options = oe::common::InitServerProcess(argc, argv, "catalogue", 50051);
  const std::string manifest = SourceRelative(oe::common::Setting(
      absl::GetFlag(FLAGS_data_manifest), "OE_DATA_MANIFEST", "data/demo/manifest.tsv"));
  const std::string account =
      oe::common::Setting(absl::GetFlag(FLAGS_account_addr), "OE_ACCOUNT_ADDR", "127.0.0.1:50053");
  auto timeout = oe::common::DurationSetting(absl::GetFlag(FLAGS_quota_timeout), "OE_QUOTA_TIMEOUT",
                                             absl::Milliseconds(300));
  if (!timeout.ok()) Die(timeout.status());
  auto ttl = oe::common::DurationSetting(absl::GetFlag(FLAGS_unlimited_cache_ttl),
                                         "OE_UNLIMITED_CACHE_TTL", absl::Seconds(5));
  if (!ttl.ok()) Die(ttl.status());

  cat::LoadOptions load;
  load.variables["OE_SHARED_DATA"] =
      oe::common::Setting("", "OE_SHARED_DATA", SourceRelative("../shared/data"));
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
  std::unique_ptr<cat::QuotaClient> quota =
      std::make_unique<cat::GrpcQuotaClient>(oe::common::MakeChannel(account, channel), *timeout);
  if (*ttl > absl::ZeroDuration()) {
    quota = std::make_unique<cat::CachingQuotaClient>(std::move(quota), *ttl);
  }
  cat::CatalogueServiceImpl service(&snapshots, quota.get());
  oe::common::ServeHooks hooks;
  hooks.on_reload = [&reloader] { reloader.Request(); };
  hooks.on_draining = [&reloader] { reloader.Stop(); };
  absl::Status status = oe::common::ServeUntilSignal(
      options, {oe::common::Bind<cat::pb::CatalogueService>(&service)}, std::move(hooks));
  return status.ok() ? 0 : 1;
}
