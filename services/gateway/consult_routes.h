// CaseConsultant on the web, over AssistantService (services/assistant):
//
//  * members ask a certified coder from the web form and read their own
//    questions with status and answer:
//      POST /api/v1/consult/questions          SubmitQuestion
//      GET  /api/v1/consult/questions          ListMyQuestions
//  * consultants (ROLE_CONSULTANT, checked by the assistant on every call)
//    work the queue:
//      GET  /api/v1/consult/tickets            ListTickets (?status=TICKET_STATUS_CLAIMED)
//      GET  /api/v1/consult/tickets/{ticket_id}         GetTicket
//      POST /api/v1/consult/tickets/{ticket_id}/claim   ClaimTicket
//      POST /api/v1/consult/tickets/{ticket_id}/answer  AnswerTicket
//
// The session is the browser's cookie; a request without one is answered
// 401 here without calling the assistant. Writes carry the CSRF check of
// every non-exempt route (gateway.cc). Error messages are sentences for
// people (ConsultMessage in consult_routes.cc); the assistant's own wording names no fields.
#ifndef OPENENCODER_SERVICES_GATEWAY_CONSULT_ROUTES_H_
#define OPENENCODER_SERVICES_GATEWAY_CONSULT_ROUTES_H_

#include <vector>

#include "services/gateway/backends.h"
#include "services/gateway/route.h"

namespace openencoder::gateway {

// `b` must outlive the routes.
std::vector<Route> ConsultRoutes(Backends& b);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_CONSULT_ROUTES_H_
