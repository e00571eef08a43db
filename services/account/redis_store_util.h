// Small helpers shared by the redis_*_store implementations.
#ifndef OPENENCODER_SERVICES_ACCOUNT_REDIS_STORE_UTIL_H_
#define OPENENCODER_SERVICES_ACCOUNT_REDIS_STORE_UTIL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/mail/outbox.h"
#include "services/common/redis/redis_client.h"
#include "services/common/redis/redis_reply.h"

namespace openencoder::account::internal {

// The client reports a passed deadline as DEADLINE_EXCEEDED; to our callers
// both that and a dead connection mean "the store did not answer", which the
// API promises as UNAVAILABLE.
absl::Status StoreStatus(absl::Status status);

// An integer reply, or a string reply holding a decimal integer.
absl::StatusOr<int64_t> ReplyInt(const redis::RedisReply& reply);

// The reply's array element `i` as an integer (0 when absent or malformed:
// used only on replies our own scripts produce).
int64_t ElementInt(const redis::RedisReply& reply, size_t i);

inline std::string Millis(absl::Time t) { return std::to_string(absl::ToUnixMillis(t)); }
inline std::string Millis(absl::Duration d) { return std::to_string(absl::ToInt64Milliseconds(d)); }

// The leased outboxes (mail_outbox.cc, erasure_outbox.cc): a sorted set of
// entry ids by due time (`outbox`) and one hash per entry (`entry`) with
// `attempts` and `lease_ms`. Each step bounds its Redis call by `timeout`.
//
// Ids due at `now`, at most `limit`.
absl::StatusOr<std::vector<std::string>> OutboxDue(redis::RedisClient* redis,
                                                   const std::string& outbox, absl::Time now,
                                                   int limit, absl::Duration timeout);
// Takes the entry's lease until `lease_end` and counts an attempt; its
// fields, or nullopt when it is gone (then dropped from the set), leased by
// another worker, or Redis did not answer.
std::optional<absl::flat_hash_map<std::string, std::string>> OutboxClaim(
    redis::RedisClient* redis, const std::string& outbox, const std::string& entry,
    const std::string& id, absl::Time now, absl::Time lease_end, absl::Duration timeout);
// The entry and its place in the set are gone.
void OutboxDone(redis::RedisClient* redis, const std::string& outbox, const std::string& entry,
                const std::string& id, absl::Duration timeout);
// The lease is released; the entry is due again at `retry_at`.
void OutboxRetry(redis::RedisClient* redis, const std::string& outbox, const std::string& entry,
                 const std::string& id, absl::Time retry_at, absl::Duration timeout);

// One leased outbox (the functions above) as the delivery loop's store:
// Due, Sent (the entry is done) and Failed (due again) are the same for every
// outbox; a subclass turns a claim's fields into its payload and says what
// giving up means.
template <typename Payload>
class RedisOutboxStore : public common::mail::OutboxStoreOf<Payload> {
 public:
  using EntryKey = std::string (*)(absl::string_view id);

  // `redis` is not owned and must outlive the store.
  RedisOutboxStore(redis::RedisClient* redis, std::string outbox, EntryKey entry,
                   absl::Duration timeout)
      : redis_(redis), outbox_(std::move(outbox)), entry_(entry), timeout_(timeout) {}

  absl::StatusOr<std::vector<std::string>> Due(absl::Time now, int limit) override {
    return OutboxDue(redis_, outbox_, now, limit, timeout_);
  }
  void Sent(const std::string& id) override { Done(id); }
  void Failed(const std::string& id, const absl::Status&, absl::Time retry_at) override {
    OutboxRetry(redis_, outbox_, entry_(id), id, retry_at, timeout_);
  }

 protected:
  std::optional<absl::flat_hash_map<std::string, std::string>> ClaimFields(const std::string& id,
                                                                           absl::Time now,
                                                                           absl::Time lease_end) {
    return OutboxClaim(redis_, outbox_, entry_(id), id, now, lease_end, timeout_);
  }
  void Done(const std::string& id) { OutboxDone(redis_, outbox_, entry_(id), id, timeout_); }

 private:
  redis::RedisClient* const redis_;
  const std::string outbox_;
  const EntryKey entry_;
  const absl::Duration timeout_;
};

}  // namespace openencoder::account::internal

#endif  // OPENENCODER_SERVICES_ACCOUNT_REDIS_STORE_UTIL_H_
