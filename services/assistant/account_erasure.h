// What the assistant erases when an account is deleted (EraseAccountData in
// assistant_service.proto, called only by the account service): the
// CaseConsultant tickets the account asked on the web or mailed from its
// verified address, and its CasePilot conversations. Nothing is kept. Other
// people's tickets it claimed as a consultant stop naming it (an unanswered
// one goes back to the queue).
//
// Thread-safe; blocks on Redis, so call it off gRPC's callback threads.
#ifndef OPENENCODER_SERVICES_ASSISTANT_ACCOUNT_ERASURE_H_
#define OPENENCODER_SERVICES_ASSISTANT_ACCOUNT_ERASURE_H_

#include "absl/status/statusor.h"
#include "openencoder/assistant/v1/assistant_service.pb.h"
#include "services/assistant/conversation_store.h"
#include "services/assistant/ticket_store.h"

namespace openencoder::assistant {

class AccountErasure {
 public:
  // Neither pointer is owned; both must outlive this.
  AccountErasure(TicketStore* tickets, ConversationStore* conversations)
      : tickets_(tickets), conversations_(conversations) {}

  // INVALID_ARGUMENT (no account id); the stores' UNAVAILABLE (part of the
  // work may be done; a repeat finishes it and counts only what it did).
  absl::StatusOr<v1::EraseAccountDataResponse> EraseAccountData(
      const v1::EraseAccountDataRequest& request);

 private:
  TicketStore* tickets_;
  ConversationStore* conversations_;
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_ACCOUNT_ERASURE_H_
