#include "services/common/metrics.h"

#include <prometheus/collectable.h>
#include <prometheus/exposer.h>
#include <prometheus/metric_family.h>

#include <cstdlib>
#include <exception>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/log.h"
#include "services/common/settings.h"

namespace openencoder::common {
namespace {

// The scrape-time gauges of the process, collected beside the registry.
class ScrapeGauges : public prometheus::Collectable {
 public:
  void Add(std::string name, std::string help, std::function<std::vector<ScrapeSample>()> fn) {
    absl::MutexLock lock(&mu_);
    gauges_.push_back({std::move(name), std::move(help), std::move(fn)});
  }

  std::vector<prometheus::MetricFamily> Collect() const override {
    absl::MutexLock lock(&mu_);
    std::vector<prometheus::MetricFamily> families;
    for (const Gauge& g : gauges_) {
      std::vector<ScrapeSample> samples = g.samples();
      if (samples.empty()) continue;
      prometheus::MetricFamily family;
      family.name = g.name;
      family.help = g.help;
      family.type = prometheus::MetricType::Gauge;
      for (const ScrapeSample& s : samples) {
        prometheus::ClientMetric metric;
        for (const auto& [k, v] : s.labels) metric.label.push_back({k, v});
        metric.gauge.value = s.value;
        family.metric.push_back(std::move(metric));
      }
      families.push_back(std::move(family));
    }
    return families;
  }

 private:
  struct Gauge {
    std::string name;
    std::string help;
    std::function<std::vector<ScrapeSample>()> samples;
  };
  mutable absl::Mutex mu_;
  std::vector<Gauge> gauges_ ABSL_GUARDED_BY(mu_);
};

const std::shared_ptr<ScrapeGauges>& TheScrapeGauges() {
  static auto* gauges = new std::shared_ptr<ScrapeGauges>(std::make_shared<ScrapeGauges>());
  return *gauges;
}

}  // namespace

void AddScrapeGauge(const std::string& name, const std::string& help,
                    std::function<std::vector<ScrapeSample>()> samples) {
  TheScrapeGauges()->Add(name, help, std::move(samples));
}

const std::shared_ptr<prometheus::Registry>& MetricsRegistry() {
  static auto* registry =
      new std::shared_ptr<prometheus::Registry>(std::make_shared<prometheus::Registry>());
  return *registry;
}

bool MetricsEnabled() {
  static const bool enabled = [] {
    const char* env = std::getenv("OE_METRICS");
    return env == nullptr || std::string_view(env) != "0";
  }();
  return enabled;
}

prometheus::Family<prometheus::Counter>& Counters(const std::string& name,
                                                  const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(*MetricsRegistry());
}

prometheus::Family<prometheus::Gauge>& Gauges(const std::string& name, const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(*MetricsRegistry());
}

prometheus::Family<prometheus::Histogram>& Histograms(const std::string& name,
                                                      const std::string& help) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(*MetricsRegistry());
}

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05,    0.1,    0.25,    0.5,    1,     2.5,    5,     10};
  return *buckets;
}

const prometheus::Histogram::BucketBoundaries& DurationBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};
  return *buckets;
}

prometheus::Histogram& LatencyHistogram(prometheus::Family<prometheus::Histogram>& family,
                                        const prometheus::Labels& labels) {
  return family.Add(labels, LatencyBuckets());
}

absl::StatusOr<std::unique_ptr<AdminServer>> AdminServer::Start(const std::string& address) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("admin address must be host:port, got \"", address, "\""));
  }
  std::unique_ptr<AdminServer> server(new AdminServer());
  server->host_ = address.substr(0, colon);
  try {
    // Two threads: Prometheus scrapes one at a time; a second lets an
    // operator's curl in while a scrape is running.
    server->exposer_ = std::make_unique<prometheus::Exposer>(address, 2);
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", address,
                                               " (address in use or not local?): ", e.what()));
  }
  server->exposer_->RegisterCollectable(MetricsRegistry());
  server->exposer_->RegisterCollectable(TheScrapeGauges());
  std::vector<int> ports = server->exposer_->GetListeningPorts();
  server->port_ = ports.empty() ? 0 : ports.front();
  return server;
}

AdminServer::~AdminServer() = default;

std::string AdminServer::address() const { return absl::StrCat(host_, ":", port_); }

std::string AdminListenSetting(absl::string_view flag_value, absl::string_view service_name) {
  std::string env_name = absl::StrCat("OE_", absl::AsciiStrToUpper(service_name), "_ADMIN_LISTEN");
  return Setting(flag_value, env_name.c_str(), "127.0.0.1:0");
}

absl::StatusOr<std::unique_ptr<AdminServer>> StartAdminServerFor(absl::string_view service_name,
                                                                 const std::string& address) {
  if (!MetricsEnabled() || address == "off") {
    LogInfo("metrics not exposed",
            {{"service", service_name},
             {"reason", MetricsEnabled() ? "admin address is off" : "OE_METRICS=0"}});
    return std::unique_ptr<AdminServer>();
  }
  auto server = AdminServer::Start(address);
  if (!server.ok()) return server.status();
  LogInfo("metrics serving",
          {{"service", service_name},
           {"address", absl::StrCat("http://", (*server)->address(), "/metrics")}});
  return server;
}

}  // namespace openencoder::common
