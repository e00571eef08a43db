// CaseConsultant tickets: one per inbound email or web question, idempotent
// on its Message-ID, with the status machine
//   RECEIVED -> ANSWERED (assistant) or WAITING -> CLAIMED -> ANSWERED
//   ANSWERED -> SENT (by the outbox, exactly once per ticket)
// and an outbox of answered tickets whose reply is still to be mailed.
//
// This is the interface the ticket flow (CaseConsultant, OutboxWorker) is
// written against: RedisTicketStore (redis_ticket_store.h) in the server,
// an in-memory fake in the unit tests (tests/assistant/support/fakes.h).
// Every implementation keeps the same contract:
//   * the ticket id is TicketIdFor(message_id), so a reposted message maps
//     to the same ticket and Create says it was not created;
//   * each status change checks the current status first and fails with
//     FAILED_PRECONDITION otherwise (and for a CLAIMED ticket of another
//     consultant); NOT_FOUND for an unknown ticket;
//   * an answered ticket is in the outbox before it is ANSWERED, so nothing
//     answered is ever left unsent.
// Errors besides: UNAVAILABLE / DEADLINE_EXCEEDED (the store is unreachable).
// Thread safety: implementations are safe for concurrent use.
#ifndef OPENENCODER_SERVICES_ASSISTANT_TICKET_STORE_H_
#define OPENENCODER_SERVICES_ASSISTANT_TICKET_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "openencoder/assistant/v1/assistant_service.pb.h"

namespace openencoder::assistant {

// First 32 hex digits of SHA-256(message_id).
std::string TicketIdFor(absl::string_view message_id);

// What a new ticket is made of: the mail (or the web question as a mail)
// and, for a web question, who asked and about which code.
struct NewTicket {
  v1::SubmitEmailRequest email;
  std::string requester_account_id;  // empty for mail
  std::string code;
};

struct CreateResult {
  v1::Ticket ticket;
  bool created = false;  // false: the Message-ID was seen before
};

struct TicketPage {
  std::vector<v1::Ticket> tickets;
  std::string next_page_token;
};

class TicketStore {
 public:
  virtual ~TicketStore() = default;

  virtual absl::StatusOr<CreateResult> Create(const NewTicket& ticket, absl::Time now) = 0;
  virtual absl::StatusOr<v1::Ticket> Get(const std::string& ticket_id) = 0;
  // Tickets with `status`, oldest first. INVALID_ARGUMENT for a bad token.
  virtual absl::StatusOr<TicketPage> List(v1::TicketStatus status, int page_size,
                                          const std::string& page_token) = 0;
  // The tickets `account_id` asked on the web, newest first.
  // INVALID_ARGUMENT for a bad token.
  virtual absl::StatusOr<TicketPage> ListByRequester(const std::string& account_id, int page_size,
                                                     const std::string& page_token) = 0;

  // RECEIVED -> WAITING.
  virtual absl::StatusOr<v1::Ticket> MarkWaiting(const std::string& ticket_id, absl::Time now) = 0;
  // WAITING -> CLAIMED by `consultant` (again by the same consultant: OK).
  virtual absl::StatusOr<v1::Ticket> Claim(const std::string& ticket_id,
                                           const std::string& consultant, absl::Time now) = 0;
  // RECEIVED -> ANSWERED by the assistant (consultant empty), or CLAIMED by
  // `consultant` -> ANSWERED. Puts the ticket in the outbox first.
  virtual absl::StatusOr<v1::Ticket> Answer(const std::string& ticket_id, const std::string& answer,
                                            const std::string& consultant, absl::Time now) = 0;

  // Outbox. Tickets due at `now`, at most `limit`.
  virtual absl::StatusOr<std::vector<std::string>> DueForSending(absl::Time now, int limit) = 0;
  // Takes the send lease of an ANSWERED ticket until `lease_until` and counts
  // an attempt. FAILED_PRECONDITION when it is not ANSWERED (e.g. already
  // SENT) or another sender holds the lease.
  virtual absl::StatusOr<v1::Ticket> BeginSend(const std::string& ticket_id, absl::Time now,
                                               absl::Time lease_until) = 0;
  // ANSWERED -> SENT and out of the outbox. Idempotent.
  virtual absl::Status MarkSent(const std::string& ticket_id, absl::Time now) = 0;
  // Records the failure, releases the lease and schedules the next attempt.
  virtual absl::Status SendFailed(const std::string& ticket_id, const std::string& error,
                                  absl::Time retry_at) = 0;
  // Out of the outbox without sending (given up, or not ANSWERED).
  virtual absl::Status DropFromOutbox(const std::string& ticket_id) = 0;
  // Replies in the outbox, due or scheduled for a retry (for metrics).
  virtual absl::StatusOr<int64_t> OutboxLength() = 0;

  // The account was deleted: deletes every ticket `account_id` asked on the
  // web and, when `email` is not empty, every ticket whose sender address
  // is `email` (SameAddress), out of the index, the requester list and the
  // outbox too; the number deleted. Idempotent.
  virtual absl::StatusOr<int> EraseRequester(const std::string& account_id,
                                             const std::string& email) = 0;
  // The consultant `account_id` was deleted: tickets it claimed no longer
  // name it; a CLAIMED one goes back to WAITING for another consultant.
  // The number changed. Idempotent.
  virtual absl::StatusOr<int> ReleaseConsultant(const std::string& account_id) = 0;
};

// Whether the sender `from` ("Name <a@b>" or "a@b") is the address `email`,
// ignoring case and surrounding space.
bool SameAddress(absl::string_view from, absl::string_view email);

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_TICKET_STORE_H_
