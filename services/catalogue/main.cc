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
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
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

// Peak resident set size in kB, from /proc (0 where unavailable).
long long VmHwmKb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmHWM:") {
      long long kb = 0;
      status >> kb;
      return kb;
    }
    status.ignore(4096, '\n');
  }
  return 0;
}

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
  oe::common::ServerOptions options =
      oe::common::InitServerProcess(argc, argv, "catalogue", 50051);
  const std::string manifest = SourceRelative(oe::common::Setting(
      absl::GetFlag(FLAGS_data_manifest), "OE_DATA_MANIFEST", "data/demo/manifest.tsv"));
  const std::string account = oe::common::Setting(
      absl::GetFlag(FLAGS_account_addr), "OE_ACCOUNT_ADDR", "127.0.0.1:50053");
  auto timeout = oe::common::DurationSetting(absl::GetFlag(FLAGS_quota_timeout),
                                             "OE_QUOTA_TIMEOUT", absl::Milliseconds(300));
  if (!timeout.ok()) Die(timeout.status());
  auto ttl = oe::common::DurationSetting(absl::GetFlag(FLAGS_unlimited_cache_ttl),
                                         "OE_UNLIMITED_CACHE_TTL", absl::Seconds(5));
  if (!ttl.ok()) Die(ttl.status());

  cat::LoadOptions load;
  load.variables["OE_SHARED_DATA"] = oe::common::Setting(
      "", "OE_SHARED_DATA", SourceRelative("../shared/data"));
  absl::StatusOr<cat::LoadResult> loaded = cat::LoadCatalogueFromManifest(manifest, load);
  if (!loaded.ok()) Die(loaded.status());
  int logged = 0;
  for (const cat::FileLoadReport& f : loaded->files) {
    for (const cat::RejectedRow& r : f.report.rejected) {
      if (logged++ >= 5) break;
      oe::common::LogWarning("rejected row", {{"file", f.entry.path},
                                              {"line", static_cast<long long>(r.line)},
                                              {"reason", r.reason}});
    }
  }
  for (const std::string& w : loaded->warnings) oe::common::LogWarning(w);
  oe::common::LogInfo(
      "catalogue loaded",
      {{"manifest", manifest},
       {"snapshot_id", loaded->snapshot->id()},
       {"files", static_cast<int>(loaded->files.size())},
       {"codes", static_cast<long long>(loaded->snapshot->code_count())},
       {"rows_read", static_cast<long long>(loaded->rows_read)},
       {"rows_rejected", static_cast<long long>(loaded->rows_rejected)},
       {"seconds", loaded->seconds},
       {"vm_hwm_kb", VmHwmKb()}});
  cat::SnapshotHolder snapshots(loaded->snapshot);
  loaded->snapshot.reset();

  oe::common::ChannelOptions channel;
  // A retried ConsumeView carries the same request_id, which the account
  // service counts once.
  channel.idempotent_methods = {"openencoder.account.v1.AccountService/ConsumeView"};
  std::unique_ptr<cat::QuotaClient> quota = std::make_unique<cat::GrpcQuotaClient>(
      oe::common::MakeChannel(account, channel), *timeout);
  if (*ttl > absl::ZeroDuration()) {
    quota = std::make_unique<cat::CachingQuotaClient>(std::move(quota), *ttl);
  }
  cat::CatalogueServiceImpl service(&snapshots, quota.get());
  absl::Status status = oe::common::ServeUntilSignal(
      options, {oe::common::Bind<cat::pb::CatalogueService>(&service)});
  return status.ok() ? 0 : 1;
}
