// What a deleted account still owes the other services: their copies of the
// person's data (job applications, saved jobs and postings in jobs; consult
// tickets and chat conversations in the assistant) are erased by their own
// EraseAccountData RPCs, which only the account identity may call
// (services/common/method_acl.cc).
//
// DeleteAccount queues the erasure (ErasureQueue::Enqueue) BEFORE it deletes
// the account, in one MULTI, durably in Redis (AOF, fsync always): one entry
// per service. A crash or a Redis error after that point cannot lose it.
// The other order (delete, then queue) could: a crash in between would leave
// a deleted account whose applications nobody ever erases.
//
// Delivery is the shared leased outbox loop (common::mail::OutboxWorkerOf,
// services/common/mail/outbox.h) over this outbox's entries: a claim takes a
// lease (a crashed worker's entry becomes due again), the RPC runs with a
// deadline, OK deletes the entry, anything else reschedules it with
// exponential backoff (2 s doubling to 10 min) for ever: an erasure is never
// given up. Every EraseAccountData is idempotent, so a repeat (a lost reply,
// two replicas, a crash after the service acted) is harmless.
//
// Because the entry is written before the deletion, a worker may see it while
// the account still exists: it then waits (reschedules) and delivers only
// once the account record is gone. An entry whose account still exists after
// `abandon_after_attempts` claims belongs to a deletion that failed (the
// caller was told so and may try again, queueing anew) and is dropped.
//
// Keys (own hash tag): sorted set oe:{acct-erase}:outbox of entry ids by due
// time; hash oe:{acct-erase}:e:<id> (account, service, email, rid,
// attempts, lease_ms), no expiry. `email` is the verified address (the
// assistant erases mailed questions from it); it leaves Redis with the entry.
//
// Thread-safe: Enqueue from any thread; RunOnce may run concurrently.
#ifndef OPENENCODER_SERVICES_ACCOUNT_ERASURE_OUTBOX_H_
#define OPENENCODER_SERVICES_ACCOUNT_ERASURE_OUTBOX_H_

#include <atomic>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "openencoder/assistant/v1/assistant_service.grpc.pb.h"
#include "openencoder/jobs/v1/jobs_service.grpc.pb.h"
#include "services/common/mail/outbox.h"
#include "services/common/redis/redis_client.h"

namespace openencoder::account {

// The services that keep personal data of an account and erase it.
inline constexpr char kErasureJobs[] = "jobs";
inline constexpr char kErasureAssistant[] = "assistant";

struct ErasureRequest {
  std::string account_id;
  std::string email;       // the verified address; empty when not verified
  std::string request_id;  // the DeleteAccount call's, carried to the RPCs
};

// Where AccountManager::DeleteAccount queues an erasure.
class ErasureQueue {
 public:
  virtual ~ErasureQueue() = default;
  // Queues the erasure for every service, atomically. UNAVAILABLE (nothing
  // was queued; the deletion must not go ahead).
  virtual absl::Status Enqueue(const ErasureRequest& request, absl::Time deadline) = 0;
};

// Calls one service's EraseAccountData. OK only when it acknowledged.
class AccountDataEraser {
 public:
  virtual ~AccountDataEraser() = default;
  virtual absl::Status Erase(absl::string_view service, const ErasureRequest& request) = 0;
};

// The real one: gRPC to jobs and assistant, as the account identity, each
// call with `timeout` as its deadline and the request id of the deletion.
class GrpcAccountDataEraser final : public AccountDataEraser {
 public:
  // `client_identity` as common::ChannelOptions (empty: the process's own).
  GrpcAccountDataEraser(absl::string_view jobs_targets, absl::string_view assistant_targets,
                        absl::Duration timeout, std::string client_identity = "");
  absl::Status Erase(absl::string_view service, const ErasureRequest& request) override;

 private:
  const absl::Duration timeout_;
  std::unique_ptr<jobs::v1::JobsService::Stub> jobs_;
  std::unique_ptr<assistant::v1::AssistantService::Stub> assistant_;
};

// One outbox entry: what one service must erase.
struct ErasureEntry {
  std::string service;  // kErasureJobs or kErasureAssistant
  ErasureRequest request;
};

struct ErasureOutboxOptions : common::mail::OutboxPolicy {
  ErasureOutboxOptions() {
    // Never given up, whatever the service answers: the erasure is owed.
    max_attempts = std::numeric_limits<int>::max();
    give_up_on_invalid_argument = false;
  }
  absl::Duration redis_timeout = absl::Milliseconds(500);
  int abandon_after_attempts = 6;  // ~1 min of claims with the default backoff
};

class ErasureOutbox final : public ErasureQueue {
 public:
  // Whether the account record still exists (then the deletion has not
  // happened yet, or failed). NOT_FOUND-free: errors mean "do not know".
  using AccountExists = std::function<absl::StatusOr<bool>(const std::string& account_id)>;

  // `redis` is not owned and must outlive the outbox.
  ErasureOutbox(redis::RedisClient* redis, AccountExists exists, ErasureOutboxOptions options = {});
  ~ErasureOutbox() override;

  absl::Status Enqueue(const ErasureRequest& request, absl::Time deadline) override;

  // Delivery: through `eraser` (not owned; must outlive the outbox), from
  // now until Stop() or destruction. Call once.
  void StartDelivery(AccountDataEraser* eraser);
  // One delivery run now (tests); the number acknowledged. Needs
  // StartDelivery or SetEraser first.
  absl::StatusOr<int> RunOnce();
  void SetEraser(AccountDataEraser* eraser);
  void Stop();
  void Wake();

  // Entry ids still owed (tests).
  absl::StatusOr<std::vector<std::string>> Pending();
  // How many are still owed (the oe_outbox_backlog{outbox="account_erasures"}
  // gauge: one that only grows means a service keeps refusing).
  absl::StatusOr<int64_t> Backlog();

  class RedisErasureStore;

 private:
  // Through the eraser wired by StartDelivery/SetEraser.
  absl::Status Deliver(const ErasureEntry& entry);

  redis::RedisClient* redis_;
  const AccountExists exists_;
  const ErasureOutboxOptions options_;
  std::unique_ptr<RedisErasureStore> store_;
  std::atomic<AccountDataEraser*> eraser_{nullptr};
  std::unique_ptr<common::mail::OutboxWorkerOf<ErasureEntry>> worker_;  // last: stops first
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_ERASURE_OUTBOX_H_
