// The gRPC services behind the gateway: one stub per service (stub
// interfaces, so tests may substitute fakes), each call with a deadline.
#ifndef OPENENCODER_SERVICES_GATEWAY_BACKENDS_H_
#define OPENENCODER_SERVICES_GATEWAY_BACKENDS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "openencoder/assistant/v1/assistant_service.grpc.pb.h"
#include "openencoder/catalogue/v1/catalogue_service.grpc.pb.h"
#include "openencoder/jobs/v1/jobs_service.grpc.pb.h"
#include "openencoder/search/v1/search_service.grpc.pb.h"
#include "services/gateway/completion_thread.h"

namespace openencoder::gateway {

struct BackendAddresses {
  std::string catalogue = "127.0.0.1:50051";
  std::string search = "127.0.0.1:50052";
  std::string account = "127.0.0.1:50053";
  std::string jobs = "127.0.0.1:50054";
  std::string assistant = "127.0.0.1:50055";
};

struct Backends {
  std::shared_ptr<grpc::Channel> catalogue_channel;
  std::shared_ptr<grpc::Channel> search_channel;
  // The same search servers without the per-call interceptor, for the
  // search routes' calls by name (rpc_route.h WireCall), which count and
  // trace themselves.
  std::shared_ptr<grpc::Channel> search_wire_channel;
  std::shared_ptr<grpc::Channel> account_channel;
  std::shared_ptr<grpc::Channel> jobs_channel;
  std::shared_ptr<grpc::Channel> assistant_channel;
  std::unique_ptr<catalogue::v1::CatalogueService::StubInterface> catalogue;
  std::unique_ptr<search::v1::SearchService::StubInterface> search;
  std::unique_ptr<account::v1::AccountService::StubInterface> account;
  std::unique_ptr<jobs::v1::JobsService::StubInterface> jobs;
  std::unique_ptr<assistant::v1::AssistantService::StubInterface> assistant;
  absl::Duration timeout = absl::Seconds(3);  // deadline of every backend call
  // Finishes the calls made on search_wire_channel. Declared last, so that
  // it is destroyed first: its destructor waits for the calls still open.
  std::unique_ptr<CompletionThread> search_completions;
};

// Channels via common::MakeChannel (round-robin over comma-separated
// replicas; reads are retried on UNAVAILABLE, writes never are). Connecting
// is lazy: a service that is down makes its routes answer 503, nothing more.
Backends ConnectBackends(const BackendAddresses& addresses, absl::Duration timeout);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_BACKENDS_H_
