#include "services/search/search_metrics.h"

#include <atomic>
#include <chrono>

#include "services/common/metrics.h"

namespace openencoder::search {
namespace {

prometheus::Family<prometheus::Counter>& Refreshes() {
  static auto& f = common::Counters("oe_search_index_refreshes_total",
                                    "Index refreshes that built a new index, or failed");
  return f;
}

// steady_clock ticks of the last swap; 0 before the first.
std::atomic<long long> last_swap{0};

}  // namespace

void RecordIndexSwap(size_t documents, double fetch_seconds, double build_seconds) {
  static auto& docs =
      common::Gauges("oe_search_index_documents", "Documents in the serving search index").Add({});
  static auto& fetch = common::Gauges("oe_search_index_fetch_seconds",
                                      "Seconds the last index refresh spent reading the catalogue")
                           .Add({});
  static auto& build = common::Gauges("oe_search_index_build_seconds",
                                      "Seconds the last index refresh spent building the index")
                           .Add({});
  static const bool age_registered = [] {
    common::AddScrapeGauge(
        "oe_search_snapshot_age_seconds", "Seconds since the serving search index was swapped in",
        [] {
          std::vector<common::ScrapeSample> samples;
          const long long at = last_swap.load();
          if (at == 0) return samples;
          const auto swapped =
              std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(at));
          samples.push_back(
              {{},
               std::chrono::duration<double>(std::chrono::steady_clock::now() - swapped).count()});
          return samples;
        });
    return true;
  }();
  (void)age_registered;
  docs.Set(static_cast<double>(documents));
  fetch.Set(fetch_seconds);
  build.Set(build_seconds);
  last_swap.store(std::chrono::steady_clock::now().time_since_epoch().count());
  Refreshes().Add({{"outcome", "ok"}}).Increment();
}

void RecordIndexRefreshFailed() { Refreshes().Add({{"outcome", "failed"}}).Increment(); }

void RecordAnswerCache(bool hit) {
  static auto& family = common::Counters("oe_search_answer_cache_total",
                                         "Search calls answered from the answer cache or not");
  static auto& hits = family.Add({{"outcome", "hit"}});
  static auto& misses = family.Add({{"outcome", "miss"}});
  (hit ? hits : misses).Increment();
}

}  // namespace openencoder::search
