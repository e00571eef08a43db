#include "services/assistant/account_erasure.h"

namespace openencoder::assistant {

absl::StatusOr<v1::EraseAccountDataResponse> AccountErasure::EraseAccountData(
    const v1::EraseAccountDataRequest& request) {
  if (request.account_id().empty()) return absl::InvalidArgumentError("account_id: required");
  absl::StatusOr<int> tickets = tickets_->EraseRequester(request.account_id(), request.email());
  if (!tickets.ok()) return tickets.status();
  absl::StatusOr<int> released = tickets_->ReleaseConsultant(request.account_id());
  if (!released.ok()) return released.status();
  // A member's conversations are owned by their account id (CasePilot).
  absl::StatusOr<int> conversations = conversations_->EraseOwner(request.account_id());
  if (!conversations.ok()) return conversations.status();
  v1::EraseAccountDataResponse response;
  response.set_tickets_erased(*tickets);
  response.set_conversations_erased(*conversations);
  response.set_tickets_released(*released);
  return response;
}

}  // namespace openencoder::assistant
