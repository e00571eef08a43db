#include "services/gateway/rpc_route.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "services/common/client.h"
#include "services/gateway/status_mapping.h"

namespace openencoder::gateway {

CallOutcome OutcomeOf(grpc::Status status, const grpc::ClientContext& context) {
  CallOutcome outcome;
  outcome.status = std::move(status);
  if (outcome.status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
    const auto& trailers = context.GetServerTrailingMetadata();
    auto it = trailers.find("retry-after-ms");
    long long ms = 0;
    if (it != trailers.end() &&
        absl::SimpleAtoi(absl::string_view(it->second.data(), it->second.size()), &ms)) {
      outcome.retry_after_ms = ms;
    }
  }
  return outcome;
}

HttpResponse AnswerOf(google::protobuf::Message* response, bool route_is_metered) {
  ClearSecretFields(response);
  if (!route_is_metered) ClearGatedFields(response);
  return JsonResponse(200, ToJson(*response));
}

google::protobuf::ArenaOptions ResponseArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 8 << 10;
  options.max_block_size = 64 << 10;
  return options;
}

CallOutcome CallUnary(const std::function<grpc::Status(grpc::ClientContext*)>& call,
                      absl::Duration timeout, const std::string& request_id) {
  std::unique_ptr<grpc::ClientContext> context = common::MakeClientContext(timeout, request_id);
  grpc::Status status = call(context.get());
  return OutcomeOf(std::move(status), *context);
}

HttpResponse ErrorFromOutcome(const CallOutcome& outcome, absl::string_view service,
                              absl::string_view request_id) {
  return ErrorResponse(MapGrpcError(outcome.status.error_code(), outcome.status.error_message(),
                                    service, outcome.retry_after_ms),
                       request_id);
}

HttpResponse GatewayErrorFor(const absl::Status& status, absl::string_view request_id) {
  return GatewayError(400, "INVALID_ARGUMENT", status.message(), request_id);
}

}  // namespace openencoder::gateway
