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
  grpc::ServerUnaryReactor* SubmitEmail(grpc::CallbackServerContext* context,
                                        const v1::SubmitEmailRequest* request,
                                        v1::SubmitEmailResponse* response) override;
  grpc::ServerUnaryReactor* ListTickets(grpc::CallbackServerContext* context,
                                        const v1::ListTicketsRequest* request,
                                        v1::ListTicketsResponse* response) override;
  grpc::ServerUnaryReactor* GetTicket(grpc::CallbackServerContext* context,
                                      const v1::GetTicketRequest* request,
                                      v1::GetTicketResponse* response) override;
  grpc::ServerUnaryReactor* ClaimTicket(grpc::CallbackServerContext* context,
                                        const v1::ClaimTicketRequest* request,
                                        v1::ClaimTicketResponse* response) override;
  grpc::ServerUnaryReactor* AnswerTicket(grpc::CallbackServerContext* context,
                                         const v1::AnswerTicketRequest* request,
                                         v1::AnswerTicketResponse* response) override;
  grpc::ServerUnaryReactor* SubmitQuestion(grpc::CallbackServerContext* context,
                                           const v1::SubmitQuestionRequest* request,
                                           v1::SubmitQuestionResponse* response) override;
  grpc::ServerUnaryReactor* ListMyQuestions(grpc::CallbackServerContext* context,
                                            const v1::ListMyQuestionsRequest* request,
                                            v1::ListMyQuestionsResponse* response) override;
  grpc::ServerUnaryReactor* EraseAccountData(grpc::CallbackServerContext* context,
                                             const v1::EraseAccountDataRequest* request,
                                             v1::EraseAccountDataResponse* response) override;

 private:
  CasePilot* pilot_;
  CaseConsultant* consultant_;
  common::WorkerPool* pool_;
  AccountErasure* erasure_;
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_ASSISTANT_SERVICE_H_
