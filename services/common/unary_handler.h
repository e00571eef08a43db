// One line per unary method in a callback service's class declaration. The
// generated CallbackService declares each method with the same three
// parameters, so writing them out in every service header repeated the same
// lines dozens of times and buried the list of methods the service serves.
//
//   OE_UNARY_HANDLER(GetAccount, v1::GetAccountRequest, v1::GetAccountResponse);
//
// declares
//
//   grpc::ServerUnaryReactor* GetAccount(grpc::CallbackServerContext* context,
//                                        const v1::GetAccountRequest* request,
//                                        v1::GetAccountResponse* response) override;
//
// Most methods take <Method>Request and answer <Method>Response of the
// service's proto package; for those
//
//   OE_UNARY_METHOD(v1, GetAccount);
//
// says the same. The definitions in the .cc files stay written out in full
// (the compiler checks them against these declarations). Streaming methods
// are declared by hand: their signature differs and a service has one or
// none.
#ifndef OPENENCODER_SERVICES_COMMON_UNARY_HANDLER_H_
#define OPENENCODER_SERVICES_COMMON_UNARY_HANDLER_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#define OE_UNARY_HANDLER(method, Request, Response)                                              \
  grpc::ServerUnaryReactor* method(grpc::CallbackServerContext* context, const Request* request, \
                                   Response* response) override

#define OE_UNARY_METHOD(package, method) \
  OE_UNARY_HANDLER(method, package::method##Request, package::method##Response)

#endif  // OPENENCODER_SERVICES_COMMON_UNARY_HANDLER_H_
