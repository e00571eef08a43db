// The Redis client's metrics (one set per process, summed over its pools):
//
//   oe_redis_commands_total{outcome}      ok | unavailable | deadline_exceeded | error
//       commands sent (a pipeline counts each), by how their exchange ended
//   oe_redis_exchange_duration_seconds    one round trip (a command, a pipeline,
//       an EVALSHA with its redirects), histogram
//   oe_redis_pool_waits_total             calls that found no idle connection
//   oe_redis_pool_wait_timeouts_total     calls whose deadline passed while waiting
//   oe_redis_connects_total{outcome}      ok | failed: (re)connections of pooled sockets
//   oe_redis_redirects_total{kind}        moved | ask (Redis Cluster)
//
// Internal to the client: the functions are called at its decision points.
#ifndef OPENENCODER_SERVICES_COMMON_REDIS_REDIS_METRICS_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_REDIS_METRICS_H_

#include <cstddef>

#include "absl/status/status.h"

namespace openencoder::redis::internal {

void RecordExchange(size_t commands, const absl::Status& status, double seconds);
void RecordPoolWait();
void RecordPoolWaitTimeout();
void RecordConnect(bool ok);
void RecordRedirect(bool moved);

}  // namespace openencoder::redis::internal

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_REDIS_METRICS_H_
