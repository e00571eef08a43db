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
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
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

  // The wait after the `attempts`-th failed attempt (1-based):
  // initial_backoff * 2^(attempts-1), at most max_backoff.
  absl::Duration Backoff(int attempts) const;
};

// An entry taken under its lease.
struct ClaimedMail {
  OutgoingMail mail;
  int attempts = 0;  // including this one
};

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;
  // Ids of the entries due at `now`, at most `limit`.
  virtual absl::StatusOr<std::vector<std::string>> Due(absl::Time now, int limit) = 0;
  // Takes the entry's lease until `lease_end`, counts an attempt and returns
  // the mail; nullopt when it is not to be sent now (another sender holds
  // it, or it is gone or unsendable, which the store tidies up itself).
  virtual std::optional<ClaimedMail> Claim(const std::string& id, absl::Time now,
                                           absl::Time lease_end) = 0;
  // The relay took the mail: the entry is done.
  virtual void Sent(const std::string& id) = 0;
  // Releases the lease; the entry is due again at `retry_at`.
  virtual void Failed(const std::string& id, const absl::Status& error, absl::Time retry_at) = 0;
  // No more attempts: the entry leaves the outbox.
  virtual void GaveUp(const std::string& id, const absl::Status& error) = 0;
};

class OutboxWorker {
 public:
  // Called after every send attempt: metrics.
  using ResultHook = std::function<void(bool sent, bool gave_up)>;

  // Neither pointer is owned; both must outlive the worker. `name` prefixes
  // its log lines ("account mail", "assistant reply"); logs name entry ids
  // and attempts, never recipients or bodies.
  OutboxWorker(OutboxStore* store, MailSender* sender, OutboxPolicy policy, std::string name,
               ResultHook on_result = nullptr);
  ~OutboxWorker() { Stop(); }

  // Sends what is due now; the number sent.
  absl::StatusOr<int> RunOnce();
  void Start();
  void Stop();
  void Wake();

  const OutboxPolicy& policy() const { return policy_; }

 private:
  OutboxStore* store_;
  MailSender* sender_;
  const OutboxPolicy policy_;
  const std::string name_;
  const ResultHook on_result_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace openencoder::common::mail

#endif  // OPENENCODER_SERVICES_COMMON_MAIL_OUTBOX_H_
