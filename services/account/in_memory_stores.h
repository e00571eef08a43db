// In-memory fakes of the account service's store interfaces (account_store.h,
// session_store.h, meter_store.h, limit_store.h) and of its mail queue, for
// fast unit tests of AccountManager and Metering: no Redis, no gRPC,
// microseconds per call.
//
// The four stores share one state, as the Redis stores share one Redis: the
// meter reads the account's plan, email verification and session epoch that
// the account store writes, and a password change empties the session index
// the session store fills. tests/account/account_store_contract_test.cc runs
// the same cases against these fakes and the Redis stores, so the fakes
// answer with the same status codes, orderings and atomic steps.
//
// Time: expiry (guest accounts, tokens, sessions, limit windows) is measured
// with `clock`, which defaults to absl::Now; a test may pass a clock it moves.
// The Redis stores measure key expiry with Redis's own clock instead.
//
// Thread-safe: one mutex guards the shared state.
#ifndef OPENENCODER_SERVICES_ACCOUNT_IN_MEMORY_STORES_H_
#define OPENENCODER_SERVICES_ACCOUNT_IN_MEMORY_STORES_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/account/account_store.h"
#include "services/account/erasure_outbox.h"
#include "services/account/limit_store.h"
#include "services/account/meter_store.h"
#include "services/account/session_store.h"
#include "services/common/mail/mail_queue.h"

namespace openencoder::account {

class InMemoryAccountStores {
 public:
  using Clock = std::function<absl::Time()>;

  // `touch_granularity` as RedisSessionStore's: Touch moves last-seen only
  // when it is at least this old.
  explicit InMemoryAccountStores(
      absl::Duration touch_granularity = absl::Minutes(1),
      Clock clock = [] { return absl::Now(); });
  ~InMemoryAccountStores();
  InMemoryAccountStores(const InMemoryAccountStores&) = delete;
  InMemoryAccountStores& operator=(const InMemoryAccountStores&) = delete;

  AccountStore* accounts();
  SessionStore* sessions();
  MeterStore* meter();
  LimitStore* limits();

  // While set, every call of every store fails with UNAVAILABLE, as the Redis
  // stores do when Redis is down.
  void set_unavailable(bool unavailable);

  struct State;

 private:
  class Accounts;
  class Sessions;
  class Meter;
  class Limits;

  std::unique_ptr<State> state_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<Sessions> sessions_;
  std::unique_ptr<Meter> meter_;
  std::unique_ptr<Limits> limits_;
};

// Keeps what is queued instead of mailing it. Thread-safe.
class InMemoryMailQueue final : public common::mail::MailQueue {
 public:
  absl::StatusOr<std::string> Enqueue(const common::mail::QueuedMail& mail,
                                      absl::Time deadline) override;
  std::vector<common::mail::QueuedMail> Mails() const;
  void Clear();

 private:
  mutable absl::Mutex mu_;
  std::vector<common::mail::QueuedMail> mails_ ABSL_GUARDED_BY(mu_);
};

// Keeps the erasures queued; Enqueue fails with `fail_with` when set.
class InMemoryErasureQueue final : public ErasureQueue {
 public:
  absl::Status Enqueue(const ErasureRequest& request, absl::Time deadline) override;
  std::vector<ErasureRequest> Queued() const;
  void set_fail_with(absl::Status status);

 private:
  mutable absl::Mutex mu_;
  std::vector<ErasureRequest> queued_ ABSL_GUARDED_BY(mu_);
  absl::Status fail_with_ ABSL_GUARDED_BY(mu_);
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_IN_MEMORY_STORES_H_
