// gRPC adapter of the assistant: the callback API, with every handler's
// work (Redis, calls to other services) run on a common::WorkerPool so that no gRPC
// thread blocks. Logic lives in CasePilot and CaseConsultant; statuses are
// mapped with common::ToGrpcStatus here and nowhere else.
#ifndef OPENENCODER_SERVICES_ASSISTANT_ASSISTANT_SERVICE_H_
#define OPENENCODER_SERVICES_ASSISTANT_ASSISTANT_SERVICE_H_

#include "openencoder/assistant/v1/assistant_service.grpc.pb.h"
#include "services/assistant/account_erasure.h"
#include "services/assistant/case_consultant.h"
#include "services/assistant/case_pilot.h"
#include "services/common/unary_handler.h"
#include "services/common/worker_pool.h"

namespace openencoder::assistant {

class AssistantServiceImpl final : public v1::AssistantService::CallbackService {
 public:
  // Borrowed pointers; all must outlive the server. Without `erasure`,
  // EraseAccountData answers UNIMPLEMENTED.
  AssistantServiceImpl(CasePilot* pilot, CaseConsultant* consultant, common::WorkerPool* pool,
                       AccountErasure* erasure = nullptr)
      : pilot_(pilot), consultant_(consultant), pool_(pool), erasure_(erasure) {}

  grpc::ServerWriteReactor<v1::AskEvent>* Ask(grpc::CallbackServerContext* context,
                                              const v1::AskRequest* request) override;
  OE_UNARY_METHOD(v1, SubmitEmail);
  OE_UNARY_METHOD(v1, ListTickets);
  OE_UNARY_METHOD(v1, GetTicket);
  OE_UNARY_METHOD(v1, ClaimTicket);
  OE_UNARY_METHOD(v1, AnswerTicket);
  OE_UNARY_METHOD(v1, SubmitQuestion);
  OE_UNARY_METHOD(v1, ListMyQuestions);
  OE_UNARY_METHOD(v1, EraseAccountData);

 private:
  CasePilot* pilot_;
  CaseConsultant* consultant_;
  common::WorkerPool* pool_;
  AccountErasure* erasure_;
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_ASSISTANT_SERVICE_H_
