#include "services/gateway/rpc_route.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "services/common/client.h"
#include "services/gateway/status_mapping.h"
#include "services/gateway/wire_json.h"

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

namespace {

// Arena blocks for a declined answer: the first one holds a search answer.
google::protobuf::ArenaOptions ResponseArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 8 << 10;
  options.max_block_size = 64 << 10;
  return options;
}

}  // namespace

HttpResponse AnswerOfWire(const grpc::ByteBuffer& bytes, const google::protobuf::Message& type,
                          bool route_is_metered, absl::string_view service,
                          absl::string_view request_id) {
  grpc::Slice single;
  std::string joined;
  absl::string_view wire;
  if (bytes.TrySingleSlice(&single).ok()) {
    wire = absl::string_view(reinterpret_cast<const char*>(single.begin()), single.size());
  } else {
    std::vector<grpc::Slice> slices;
    (void)bytes.Dump(&slices);
    for (const grpc::Slice& s : slices) {
      joined.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    wire = joined;
  }
  // Room for what this thread printed lately (a search answer is ~5 KB).
  thread_local size_t room = 1024;
  std::string json;
  json.reserve(room);
  if (AppendWireJson(*type.GetDescriptor(), wire, route_is_metered, &json)) {
    room = std::clamp(json.size() + json.size() / 4, room / 2, size_t{64} << 10);
    return JsonResponse(200, std::move(json));
  }
  // Declined: parsed into an arena made only now (its first block is 8 KiB).
  google::protobuf::Arena arena(ResponseArenaOptions());
  google::protobuf::Message* scratch = type.New(&arena);
  if (!scratch->ParseFromArray(wire.data(), static_cast<int>(wire.size()))) {
    return ErrorFromOutcome(
        {grpc::Status(grpc::StatusCode::INTERNAL, "the answer could not be read"), std::nullopt},
        service, request_id);
  }
  return AnswerOf(scratch, route_is_metered);
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
