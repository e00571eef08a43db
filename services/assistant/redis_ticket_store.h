// The CaseConsultant ticket store on Redis (the contract: ticket_store.h).
//
// Redis layout (docs/ENGINEERING.md): the ticket id is the first 32 hex
// digits of SHA-256(Message-ID), so a reposted message maps to the same key;
// each ticket is a hash oe:{t:<id>}:ticket created only if absent (one Lua
// script, the SET NX of the design). Every status change is one Lua script
// on that key that checks the current status first. The list of all tickets
// (oe:{tickets}:index, by time received), each web requester's tickets
// (oe:{tickets}:by:<account id>, by time received) and the outbox
// (oe:{tickets}:outbox, by time due) live in their own slot; they are
// indexes that the ticket itself overrides: the outbox entry is written
// *before* a ticket becomes ANSWERED, and the sender skips entries whose
// ticket is not ANSWERED, so a crash between the two writes loses nothing.
#ifndef OPENENCODER_SERVICES_ASSISTANT_REDIS_TICKET_STORE_H_
#define OPENENCODER_SERVICES_ASSISTANT_REDIS_TICKET_STORE_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "services/assistant/ticket_store.h"
#include "services/common/redis/redis_client.h"

namespace openencoder::assistant {

class RedisTicketStore final : public TicketStore {
 public:
  RedisTicketStore(redis::RedisClient* redis, absl::Duration timeout)
      : redis_(redis), timeout_(timeout) {}

  absl::StatusOr<CreateResult> Create(const NewTicket& ticket, absl::Time now) override;
  absl::StatusOr<v1::Ticket> Get(const std::string& ticket_id) override;
  absl::StatusOr<TicketPage> List(v1::TicketStatus status, int page_size,
                                  const std::string& page_token) override;
  absl::StatusOr<TicketPage> ListByRequester(const std::string& account_id, int page_size,
                                             const std::string& page_token) override;
  absl::StatusOr<v1::Ticket> MarkWaiting(const std::string& ticket_id, absl::Time now) override;
  absl::StatusOr<v1::Ticket> Claim(const std::string& ticket_id, const std::string& consultant,
                                   absl::Time now) override;
  absl::StatusOr<v1::Ticket> Answer(const std::string& ticket_id, const std::string& answer,
                                    const std::string& consultant, absl::Time now) override;
  absl::StatusOr<std::vector<std::string>> DueForSending(absl::Time now, int limit) override;
  absl::StatusOr<v1::Ticket> BeginSend(const std::string& ticket_id, absl::Time now,
                                       absl::Time lease_until) override;
  absl::Status MarkSent(const std::string& ticket_id, absl::Time now) override;
  absl::Status SendFailed(const std::string& ticket_id, const std::string& error,
                          absl::Time retry_at) override;
  absl::Status DropFromOutbox(const std::string& ticket_id) override;
  absl::StatusOr<int64_t> OutboxLength() override;
  absl::StatusOr<int> EraseRequester(const std::string& account_id,
                                     const std::string& email) override;
  absl::StatusOr<int> ReleaseConsultant(const std::string& account_id) override;

  static std::string TicketKey(const std::string& ticket_id);

 private:
  absl::StatusOr<v1::Ticket> Transition(const std::string& ticket_id, const std::string& allowed,
                                        const std::string& claimer, v1::TicketStatus to,
                                        absl::Time now,
                                        std::vector<std::pair<std::string, std::string>> fields);
  // Calls fn(ticket id, value of `field`) for every indexed ticket that has it.
  absl::Status WalkIndexField(const std::string& field,
                              const std::function<void(const std::string&, absl::string_view)>& fn);
  absl::Time Deadline() const { return absl::Now() + timeout_; }

  redis::RedisClient* redis_;  // not owned
  const absl::Duration timeout_;
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_REDIS_TICKET_STORE_H_
