// CaseConsultant tickets: one per inbound email, idempotent on its
// Message-ID, with the status machine
//   RECEIVED -> ANSWERED (assistant) or WAITING -> CLAIMED -> ANSWERED
//   ANSWERED -> SENT (by the outbox, exactly once per ticket)
// and an outbox of answered tickets whose reply is still to be mailed.
//
// Redis layout (docs/ENGINEERING.md): the ticket id is the first 32 hex
// digits of SHA-256(Message-ID), so a reposted message maps to the same key;
// each ticket is a hash oe:{t:<id>}:ticket created only if absent (one Lua
// script, the SET NX of the design). Every status change is one Lua script
// on that key that checks the current status first. The list of all tickets
// (oe:{tickets}:index, by time received) and the outbox (oe:{tickets}:outbox,
// by time due) live in their own slot; they are indexes that the ticket
// itself overrides: the outbox entry is written *before* a ticket becomes
// ANSWERED, and the sender skips entries whose ticket is not ANSWERED, so a
// crash between the two writes loses nothing.
//
// Errors: NOT_FOUND (no such ticket), FAILED_PRECONDITION (wrong status or
// claimed by someone else), UNAVAILABLE / DEADLINE_EXCEEDED (Redis).
// Thread safety: safe for concurrent use.
#ifndef OPENENCODER_SERVICES_ASSISTANT_TICKET_STORE_H_
#define OPENENCODER_SERVICES_ASSISTANT_TICKET_STORE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "openencoder/assistant/v1/assistant_service.pb.h"
#include "services/common/redis/redis_client.h"

namespace openencoder::assistant {

// First 32 hex digits of SHA-256(message_id).
std::string TicketIdFor(absl::string_view message_id);

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
  TicketStore(redis::RedisClient* redis, absl::Duration timeout)
      : redis_(redis), timeout_(timeout) {}

  absl::StatusOr<CreateResult> Create(const v1::SubmitEmailRequest& email, absl::Time now);
  absl::StatusOr<v1::Ticket> Get(const std::string& ticket_id);
  // Tickets with `status`, oldest first. INVALID_ARGUMENT for a bad token.
  absl::StatusOr<TicketPage> List(v1::TicketStatus status, int page_size,
                                  const std::string& page_token);

  // RECEIVED -> WAITING.
  absl::StatusOr<v1::Ticket> MarkWaiting(const std::string& ticket_id, absl::Time now);
  // WAITING -> CLAIMED by `consultant` (again by the same consultant: OK).
  absl::StatusOr<v1::Ticket> Claim(const std::string& ticket_id, const std::string& consultant,
                                   absl::Time now);
  // RECEIVED -> ANSWERED by the assistant (consultant empty), or CLAIMED by
  // `consultant` -> ANSWERED. Puts the ticket in the outbox first.
  absl::StatusOr<v1::Ticket> Answer(const std::string& ticket_id, const std::string& answer,
                                    const std::string& consultant, absl::Time now);

  // Outbox. Tickets due at `now`, at most `limit`.
  absl::StatusOr<std::vector<std::string>> DueForSending(absl::Time now, int limit);
  // Takes the send lease of an ANSWERED ticket until `lease_until` and counts
  // an attempt. FAILED_PRECONDITION when it is not ANSWERED (e.g. already
  // SENT) or another sender holds the lease.
  absl::StatusOr<v1::Ticket> BeginSend(const std::string& ticket_id, absl::Time now,
                                       absl::Time lease_until);
  // ANSWERED -> SENT and out of the outbox. Idempotent.
  absl::Status MarkSent(const std::string& ticket_id, absl::Time now);
  // Records the failure, releases the lease and schedules the next attempt.
  absl::Status SendFailed(const std::string& ticket_id, const std::string& error,
                          absl::Time retry_at);
  // Out of the outbox without sending (given up, or not ANSWERED).
  absl::Status DropFromOutbox(const std::string& ticket_id);
  // Replies in the outbox, due or scheduled for a retry (for metrics).
  absl::StatusOr<int64_t> OutboxLength();

  static std::string TicketKey(const std::string& ticket_id);

 private:
  absl::StatusOr<v1::Ticket> Transition(const std::string& ticket_id, const std::string& allowed,
                                        const std::string& claimer, v1::TicketStatus to,
                                        absl::Time now,
                                        std::vector<std::pair<std::string, std::string>> fields);
  absl::Time Deadline() const { return absl::Now() + timeout_; }

  redis::RedisClient* redis_;  // not owned
  const absl::Duration timeout_;
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_TICKET_STORE_H_
