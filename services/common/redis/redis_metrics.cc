#include "services/common/redis/redis_metrics.h"

#include "services/common/metrics.h"

namespace openencoder::redis::internal {
namespace {

prometheus::Family<prometheus::Counter>& Commands() {
  static auto& f = common::Counters("oe_redis_commands_total",
                                    "Redis commands sent, by how their exchange ended");
  return f;
}

}  // namespace

void RecordExchange(size_t commands, const absl::Status& status, double seconds) {
  // The four children, created once: this runs on every Redis call.
  static auto& ok = Commands().Add({{"outcome", "ok"}});
  static auto& unavailable = Commands().Add({{"outcome", "unavailable"}});
  static auto& deadline = Commands().Add({{"outcome", "deadline_exceeded"}});
  static auto& error = Commands().Add({{"outcome", "error"}});
  static auto& latency = common::LatencyHistogram(common::Histograms(
      "oe_redis_exchange_duration_seconds", "One Redis round trip (command or pipeline)"));
  prometheus::Counter& counter = status.ok()                        ? ok
                                 : absl::IsUnavailable(status)      ? unavailable
                                 : absl::IsDeadlineExceeded(status) ? deadline
                                                                    : error;
  counter.Increment(static_cast<double>(commands));
  latency.Observe(seconds);
}

void RecordPoolWait() {
  static auto& waits = common::Counters("oe_redis_pool_waits_total",
                                        "Redis calls that found no idle pooled connection")
                           .Add({});
  waits.Increment();
}

void RecordPoolWaitTimeout() {
  static auto& timeouts =
      common::Counters("oe_redis_pool_wait_timeouts_total",
                       "Redis calls whose deadline passed waiting for a pooled connection")
          .Add({});
  timeouts.Increment();
}

void RecordConnect(bool ok) {
  static auto& family = common::Counters("oe_redis_connects_total",
                                         "Connections (and reconnections) to Redis, by outcome");
  family.Add({{"outcome", ok ? "ok" : "failed"}}).Increment();
}

void RecordRedirect(bool moved) {
  static auto& family =
      common::Counters("oe_redis_redirects_total", "Redis Cluster MOVED/ASK redirects followed");
  family.Add({{"kind", moved ? "moved" : "ask"}}).Increment();
}

}  // namespace openencoder::redis::internal
