// Prometheus metrics: one registry per process, exposed as text on a
// separate admin HTTP port (`/metrics`), never on a service's public port.
//
// Naming follows Prometheus conventions: base units (`_seconds`, `_bytes`),
// counters end in `_total`, and label values come from small fixed sets
// (method names, status codes, outcomes, plans) — never codes, emails,
// request ids or anything a caller chooses.
//
// Domain code registers a family once and keeps the reference; the family
// hands out one child per label set (thread-safe, lock-free to increment):
//
//   static auto& views = common::Counters("oe_account_views_total",
//                                         "Code-page views by plan and outcome");
//   views.Add({{"plan", "free"}, {"outcome", "allowed"}}).Increment();
//
// The same name registered twice returns the same family.
#ifndef OPENENCODER_SERVICES_COMMON_METRICS_H_
#define OPENENCODER_SERVICES_COMMON_METRICS_H_

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace prometheus {
class Exposer;
}

namespace openencoder::common {

// The process's registry (created on first use, never destroyed).
const std::shared_ptr<prometheus::Registry>& MetricsRegistry();

// False when OE_METRICS=0: servers and channels then install no metrics
// interceptors and no admin port is opened (the bench compares both).
// Domain counters still count (an atomic add), nobody reads them.
bool MetricsEnabled();

prometheus::Family<prometheus::Counter>& Counters(const std::string& name, const std::string& help);
prometheus::Family<prometheus::Gauge>& Gauges(const std::string& name, const std::string& help);
prometheus::Family<prometheus::Histogram>& Histograms(const std::string& name,
                                                      const std::string& help);

// Buckets in seconds from 50 µs to 10 s: most of our RPCs answer in well
// under a millisecond, and the slow tail (argon2id, an assistant answer)
// in seconds.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

// Buckets in seconds for slow jobs (index builds, reloads): 10 ms to 10 min.
const prometheus::Histogram::BucketBoundaries& DurationBuckets();

// The child of `family` for `labels` with LatencyBuckets().
prometheus::Histogram& LatencyHistogram(prometheus::Family<prometheus::Histogram>& family,
                                        const prometheus::Labels& labels = {});

// A gauge computed when Prometheus scrapes, from state a service already
// keeps (the size of the loaded catalogue, the age of a search index, the
// length of an outbox), so that the service's own code needs no counting:
//
//   common::AddScrapeGauge("oe_catalogue_codes", "Loaded codes by code system",
//       [&snapshots] { return std::vector<common::ScrapeSample>{...}; });
//
// `samples` runs on the admin server's thread, so it must be thread-safe and
// quick, and what it reads must outlive the admin server (register it in
// main() before ServeUntilSignal). An empty result omits the gauge.
struct ScrapeSample {
  prometheus::Labels labels;
  double value = 0;
};
void AddScrapeGauge(const std::string& name, const std::string& help,
                    std::function<std::vector<ScrapeSample>()> samples);

// The admin HTTP listener: GET /metrics in Prometheus' text format.
class AdminServer {
 public:
  // Binds `address` ("host:port"; port 0 picks a free one) and serves the
  // process registry. UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<AdminServer>> Start(const std::string& address);
  ~AdminServer();

  int port() const { return port_; }
  // "host:port" as bound, e.g. "127.0.0.1:9464".
  std::string address() const;

 private:
  AdminServer() = default;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::string host_;
  int port_ = 0;
};

// The admin address from --admin_listen or OE_<SERVICE>_ADMIN_LISTEN, by
// default "127.0.0.1:0": loopback like the gRPC port, on a free port that
// the "serving" log line names (the runner, compose and Kubernetes set a
// fixed one for Prometheus to scrape). "off" disables the listener.
std::string AdminListenSetting(absl::string_view flag_value, absl::string_view service_name);

// Starts the admin server unless metrics are off or the address is "off";
// logs where it listens. Null when not started; a bind error is returned.
absl::StatusOr<std::unique_ptr<AdminServer>> StartAdminServerFor(absl::string_view service_name,
                                                                 const std::string& address);

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_METRICS_H_
