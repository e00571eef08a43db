// The delivery loop every outbox shares (the account service's verification
// mails, the assistant's CaseConsultant replies): take what is due, claim
// each entry under a lease, send it, then mark it sent, reschedule it with
// exponential backoff, or give up after `max_attempts` (or at once when the
// sender says the mail can never go: INVALID_ARGUMENT).
//
// Where entries live is the OutboxStore's business (a Redis sorted set of
// its own for account mail, the ticket store for replies). The lease is what
// makes delivery at most once per attempt across replicas: a claim moves the
// entry's due time to the lease's end, so a sender that crashes mid-send
// leaves an entry that becomes due again; a crash after the relay took the
// mail but before Sent() resends it once, with the same Message-ID.
//
// Thread safety: RunOnce may run concurrently (the lease decides); Start()
// runs it on a background thread every poll_interval until Stop(); Wake()
// asks for a run now.
#ifndef OPENENCODER_SERVICES_COMMON_MAIL_OUTBOX_H_
#define OPENENCODER_SERVICES_COMMON_MAIL_OUTBOX_H_

#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/mail/mail_sender.h"

namespace openencoder::common::mail {

struct OutboxPolicy {
  absl::Duration poll_interval = absl::Seconds(1);
  absl::Duration lease = absl::Seconds(60);
  absl::Duration initial_backoff = absl::Seconds(2);
  absl::Duration max_backoff = absl::Minutes(10);
  int max_attempts = 8;
  int batch = 20;  // entries taken per run
  // INVALID_ARGUMENT from the delivery means "can never go" (a recipient
  // the relay refuses as malformed) and ends the entry at once. An outbox
  // whose entries are owed whatever the answer turns this off.
  bool give_up_on_invalid_argument = true;

  // The wait after the `attempts`-th failed attempt (1-based):
  // initial_backoff * 2^(attempts-1), at most max_backoff.
  absl::Duration Backoff(int attempts) const;
};

// The policy of an outbox of mail (the account service's mails, the
// assistant's replies): delivery, plus the From header and the domain of the
// Message-IDs it writes. Each outbox's options set their own From.
struct MailOutboxPolicy : OutboxPolicy {
  std::string from_address;
  std::string message_id_domain = "openencoder.local";

  // "<kind-id@domain>": the same on every attempt at one entry, so a mail
  // resent after a crash is seen as the same message.
  std::string MessageId(absl::string_view kind, absl::string_view id) const;
};

// An entry taken under its lease.
template <typename Payload>
struct Claimed {
  Payload payload;
  int attempts = 0;  // including this one
};
using ClaimedMail = Claimed<OutgoingMail>;

// What the loop needs of an outbox's entries, whatever they carry.
class OutboxEntries {
 public:
  virtual ~OutboxEntries() = default;
  // Ids of the entries due at `now`, at most `limit`.
  virtual absl::StatusOr<std::vector<std::string>> Due(absl::Time now, int limit) = 0;
  // Delivered: the entry is done.
  virtual void Sent(const std::string& id) = 0;
  // Releases the lease; the entry is due again at `retry_at`.
  virtual void Failed(const std::string& id, const absl::Status& error, absl::Time retry_at) = 0;
  // No more attempts: the entry leaves the outbox.
  virtual void GaveUp(const std::string& id, const absl::Status& error) = 0;
};

template <typename Payload>
class OutboxStoreOf : public OutboxEntries {
 public:
  // Takes the entry's lease until `lease_end`, counts an attempt and returns
  // what it carries; nullopt when it is not to be delivered now (another
  // worker holds it, or it is gone or undeliverable, which the store tidies
  // up itself).
  virtual std::optional<Claimed<Payload>> Claim(const std::string& id, absl::Time now,
                                                absl::Time lease_end) = 0;
};
using OutboxStore = OutboxStoreOf<OutgoingMail>;

// The payload-independent half of the loop: the thread, and what follows a
// delivery attempt (sent, rescheduled with backoff, or given up).
class OutboxLoop {
 public:
  // Called after every delivery attempt: metrics.
  using ResultHook = std::function<void(bool sent, bool gave_up)>;

  virtual ~OutboxLoop() = default;
  // Delivers what is due now; the number delivered.
  virtual absl::StatusOr<int> RunOnce() = 0;
  void Start();
  void Stop();  // every derived destructor calls it: the thread runs RunOnce
  void Wake();

  const OutboxPolicy& policy() const { return policy_; }

 protected:
  // `name` prefixes its log lines ("account mail", "assistant reply"); logs
  // name entry ids and attempts, never recipients or bodies.
  OutboxLoop(OutboxEntries* entries, OutboxPolicy policy, std::string name, ResultHook on_result);
  // Settles entry `id` after an attempt with `status`; true when delivered.
  bool Settle(const std::string& id, const absl::Status& status, int attempts);

 private:
  OutboxEntries* entries_;
  const OutboxPolicy policy_;
  const std::string name_;
  const ResultHook on_result_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// The loop over a store of `Payload` entries, each delivered by `deliver`.
template <typename Payload>
class OutboxWorkerOf final : public OutboxLoop {
 public:
  using Deliver = std::function<absl::Status(const Payload&)>;

  // `store` is not owned and must outlive the worker.
  OutboxWorkerOf(OutboxStoreOf<Payload>* store, Deliver deliver, OutboxPolicy policy,
                 std::string name, ResultHook on_result = nullptr)
      : OutboxLoop(store, std::move(policy), std::move(name), std::move(on_result)),
        store_(store),
        deliver_(std::move(deliver)) {}
  // Mail: delivered by `sender` (not owned; must outlive the worker).
  OutboxWorkerOf(OutboxStoreOf<Payload>* store, MailSender* sender, OutboxPolicy policy,
                 std::string name,
                 ResultHook on_result = nullptr) requires std::is_same_v<Payload, OutgoingMail>
      : OutboxWorkerOf(
            store, [sender](const OutgoingMail& m) { return sender->Send(m); }, std::move(policy),
            std::move(name), std::move(on_result)) {}
  ~OutboxWorkerOf() override { Stop(); }

  absl::StatusOr<int> RunOnce() override {
    absl::StatusOr<std::vector<std::string>> due = store_->Due(absl::Now(), policy().batch);
    if (!due.ok()) return due.status();
    int delivered = 0;
    for (const std::string& id : *due) {
      const absl::Time now = absl::Now();
      std::optional<Claimed<Payload>> claimed = store_->Claim(id, now, now + policy().lease);
      if (!claimed.has_value()) continue;
      if (Settle(id, deliver_(claimed->payload), claimed->attempts)) ++delivered;
    }
    return delivered;
  }

 private:
  OutboxStoreOf<Payload>* store_;
  const Deliver deliver_;
};
using OutboxWorker = OutboxWorkerOf<OutgoingMail>;

}  // namespace openencoder::common::mail

#endif  // OPENENCODER_SERVICES_COMMON_MAIL_OUTBOX_H_
