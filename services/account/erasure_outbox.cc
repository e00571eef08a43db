#include "services/account/erasure_outbox.h"

#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/account/redis_keys.h"
#include "services/account/redis_store_util.h"
#include "services/account/session_tokens.h"
#include "services/common/call_scope.h"
#include "services/common/client.h"
#include "services/common/log.h"
#include "services/common/status.h"

namespace openencoder::account {

using internal::Millis;

GrpcAccountDataEraser::GrpcAccountDataEraser(absl::string_view jobs_targets,
                                             absl::string_view assistant_targets,
                                             absl::Duration timeout, std::string client_identity)
    : timeout_(timeout) {
  common::ChannelOptions jobs;
  jobs.idempotent_methods = {"openencoder.jobs.v1.JobsService/EraseAccountData"};
  jobs.server_identity = kErasureJobs;
  jobs.client_identity = client_identity;
  jobs_ = jobs::v1::JobsService::NewStub(common::MakeChannel(jobs_targets, jobs));
  common::ChannelOptions assistant;
  assistant.idempotent_methods = {"openencoder.assistant.v1.AssistantService/EraseAccountData"};
  assistant.server_identity = kErasureAssistant;
  assistant.client_identity = std::move(client_identity);
  assistant_ =
      assistant::v1::AssistantService::NewStub(common::MakeChannel(assistant_targets, assistant));
}

absl::Status GrpcAccountDataEraser::Erase(absl::string_view service,
                                          const ErasureRequest& request) {
  auto context = common::MakeClientContext(timeout_, request.request_id);
  grpc::Status status;
  if (service == kErasureJobs) {
    jobs::v1::EraseAccountDataRequest r;
    r.set_account_id(request.account_id);
    jobs::v1::EraseAccountDataResponse out;
    status = jobs_->EraseAccountData(context.get(), r, &out);
  } else if (service == kErasureAssistant) {
    assistant::v1::EraseAccountDataRequest r;
    r.set_account_id(request.account_id);
    r.set_email(request.email);
    assistant::v1::EraseAccountDataResponse out;
    status = assistant_->EraseAccountData(context.get(), r, &out);
  } else {
    return absl::InternalError(absl::StrCat("no erasure client for service ", service));
  }
  return common::FromGrpcStatus(status);
}

class ErasureOutbox::RedisErasureStore final : public internal::RedisOutboxStore<ErasureEntry> {
 public:
  explicit RedisErasureStore(ErasureOutbox* o)
      : RedisOutboxStore(o->redis_, keys::ErasureOutbox(), &keys::Erasure,
                         o->options_.redis_timeout),
        o_(o) {}

  std::optional<common::mail::Claimed<ErasureEntry>> Claim(const std::string& id, absl::Time now,
                                                           absl::Time lease_end) override {
    auto claimed = ClaimFields(id, now, lease_end);
    if (!claimed.has_value()) return std::nullopt;
    auto& f = *claimed;
    common::mail::Claimed<ErasureEntry> out;
    (void)absl::SimpleAtoi(f["attempts"], &out.attempts);
    // Written before the deletion: deliver only once the account is gone.
    absl::StatusOr<bool> exists = o_->exists_(f["account"]);
    if (!exists.ok() || *exists) {
      if (exists.ok() && out.attempts >= o_->options_.abandon_after_attempts) {
        common::LogWarning("account erasure dropped: the account was not deleted",
                           {{"entry", id}, {"service", f["service"]}});
        Done(id);
      } else {
        Failed(id, absl::OkStatus(), absl::Now() + o_->options_.Backoff(out.attempts));
      }
      return std::nullopt;
    }
    out.payload.service = f["service"];
    out.payload.request = ErasureRequest{f["account"], f["email"], f["rid"]};
    return out;
  }

  void GaveUp(const std::string& id, const absl::Status&) override {
    // max_attempts is "never"; kept for the interface.
    Failed(id, absl::OkStatus(), absl::Now() + o_->options_.max_backoff);
  }

 private:
  ErasureOutbox* o_;
};

ErasureOutbox::ErasureOutbox(redis::RedisClient* redis, AccountExists exists,
                             ErasureOutboxOptions options)
    : redis_(redis),
      exists_(std::move(exists)),
      options_(std::move(options)),
      store_(std::make_unique<RedisErasureStore>(this)),
      worker_(std::make_unique<common::mail::OutboxWorkerOf<ErasureEntry>>(
          store_.get(), [this](const ErasureEntry& e) { return Deliver(e); },
          static_cast<const common::mail::OutboxPolicy&>(options_), "account erasure")) {}

ErasureOutbox::~ErasureOutbox() { Stop(); }

absl::Status ErasureOutbox::Enqueue(const ErasureRequest& request, absl::Time deadline) {
  if (request.account_id.empty()) return absl::InvalidArgumentError("account_id: required");
  std::string rid = request.request_id;
  if (rid.empty() && common::CurrentCall() != nullptr) rid = common::CurrentCall()->request_id;
  const std::string now = Millis(absl::Now());
  std::vector<redis::RedisCommand> commands;
  commands.push_back({"MULTI"});
  std::vector<std::string> ids;
  for (const char* service : {kErasureJobs, kErasureAssistant}) {
    const std::string id = NewRandomId();
    commands.push_back({"HSET", keys::Erasure(id), "account", request.account_id, "service",
                        service, "email", request.email, "rid", rid, "attempts", "0", "lease_ms",
                        "0"});
    commands.push_back({"ZADD", keys::ErasureOutbox(), now, id});
    ids.push_back(id);
  }
  commands.push_back({"EXEC"});
  absl::StatusOr<std::vector<redis::RedisReply>> replies = redis_->Pipeline(commands, deadline);
  if (!replies.ok()) return internal::StoreStatus(replies.status());
  if (!replies->back().is_array()) {
    return absl::UnavailableError("Redis did not commit the account erasure; nothing was deleted");
  }
  common::LogInfo("account erasure queued", {{"jobs_entry", ids[0]}, {"assistant_entry", ids[1]}});
  return absl::OkStatus();
}

absl::Status ErasureOutbox::Deliver(const ErasureEntry& entry) {
  AccountDataEraser* eraser = eraser_.load();
  if (eraser == nullptr) return absl::UnavailableError("no eraser wired");
  return eraser->Erase(entry.service, entry.request);
}

void ErasureOutbox::SetEraser(AccountDataEraser* eraser) { eraser_.store(eraser); }

void ErasureOutbox::StartDelivery(AccountDataEraser* eraser) {
  SetEraser(eraser);
  worker_->Start();
}

absl::StatusOr<int> ErasureOutbox::RunOnce() { return worker_->RunOnce(); }
void ErasureOutbox::Stop() { worker_->Stop(); }
void ErasureOutbox::Wake() { worker_->Wake(); }

absl::StatusOr<std::vector<std::string>> ErasureOutbox::Pending() {
  absl::StatusOr<redis::RedisReply> all =
      redis_->Command({"ZRANGEBYSCORE", keys::ErasureOutbox(), "-inf", "+inf"},
                      absl::Now() + options_.redis_timeout);
  if (!all.ok()) return all.status();
  std::vector<std::string> ids;
  for (const redis::RedisReply& e : all->elements()) ids.push_back(e.str());
  return ids;
}

absl::StatusOr<int64_t> ErasureOutbox::Backlog() {
  absl::StatusOr<redis::RedisReply> n =
      redis_->Command({"ZCARD", keys::ErasureOutbox()}, absl::Now() + options_.redis_timeout);
  if (!n.ok()) return n.status();
  return n->integer();
}

}  // namespace openencoder::account
