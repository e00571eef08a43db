#include "services/catalogue/catalogue_metrics.h"

#include <chrono>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "libs/code_sets/model/code_system.h"
#include "services/common/metrics.h"

namespace openencoder::catalogue {
namespace pb = ::openencoder::catalogue::v1;

void RecordCodePage(const absl::Status& status, const pb::GetCodePageResponse& response) {
  static auto& pages = common::Counters("oe_catalogue_code_pages_total",
                                        "Code pages answered, as a page or as a teaser (why)");
  const char* outcome = "error";
  if (status.ok() && response.has_page()) {
    outcome = "page";
  } else if (status.ok() && response.has_teaser()) {
    switch (response.teaser().reason()) {
      case pb::TEASER_REASON_QUOTA_EXHAUSTED:
        outcome = "teaser_quota_exhausted";
        break;
      case pb::TEASER_REASON_QUOTA_UNAVAILABLE:
        outcome = "teaser_meter_unavailable";
        break;
      case pb::TEASER_REASON_NO_SESSION:
        outcome = "teaser_no_session";
        break;
      default:
        outcome = "teaser_other";
    }
  }
  pages.Add({{"outcome", outcome}}).Increment();
}

void RecordReload(bool ok) {
  static auto& reloads =
      common::Counters("oe_catalogue_reloads_total", "Catalogue reloads (SIGHUP) by outcome");
  reloads.Add({{"outcome", ok ? "ok" : "failed"}}).Increment();
}

void ExportCatalogueGauges(const SnapshotHolder* snapshots) {
  common::AddScrapeGauge(
      "oe_catalogue_codes", "Codes in the serving catalogue snapshot, by code system", [snapshots] {
        std::vector<common::ScrapeSample> samples;
        std::shared_ptr<const CatalogueSnapshot> s = snapshots->Current();
        if (s == nullptr) return samples;
        for (CodeSystem system :
             {CodeSystem::kIcd10Cm, CodeSystem::kIcd10Pcs, CodeSystem::kHcpcs, CodeSystem::kCpt,
              CodeSystem::kIcd9Cm, CodeSystem::kIcd9CmProcedure}) {
          samples.push_back({{{"system", std::string(CodeSystemName(system))}},
                             static_cast<double>(s->SortedCodes(system).size())});
        }
        return samples;
      });
  // The age of the snapshot in service: the time since a new snapshot id was
  // first seen at a scrape (start-up, or a reload that changed the data).
  struct Seen {
    absl::Mutex mu;
    std::string id ABSL_GUARDED_BY(mu);
    std::chrono::steady_clock::time_point since ABSL_GUARDED_BY(mu);
  };
  auto seen = std::make_shared<Seen>();
  common::AddScrapeGauge(
      "oe_catalogue_snapshot_age_seconds",
      "Seconds since the serving catalogue snapshot was first seen", [snapshots, seen] {
        std::vector<common::ScrapeSample> samples;
        std::shared_ptr<const CatalogueSnapshot> s = snapshots->Current();
        if (s == nullptr) return samples;
        const auto now = std::chrono::steady_clock::now();
        absl::MutexLock lock(&seen->mu);
        if (seen->id != s->id()) {
          seen->id = s->id();
          seen->since = now;
        }
        samples.push_back({{}, std::chrono::duration<double>(now - seen->since).count()});
        return samples;
      });
}

}  // namespace openencoder::catalogue
