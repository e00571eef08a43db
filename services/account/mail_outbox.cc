#include "services/account/mail_outbox.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "services/account/redis_keys.h"
#include "services/account/redis_store_util.h"
#include "services/account/session_tokens.h"
#include "services/common/log.h"
#include "services/common/redis/lua_script.h"

namespace openencoder::account {
namespace {

using internal::Millis;

}  // namespace

// The outbox's entries in Redis, for the shared delivery loop.
class MailOutbox::RedisMailStore final
    : public internal::RedisOutboxStore<common::mail::OutgoingMail> {
 public:
  explicit RedisMailStore(MailOutbox* outbox)
      : RedisOutboxStore(outbox->redis_, keys::MailOutbox(), &keys::Mail,
                         outbox->options_.redis_timeout),
        o_(outbox) {}

  std::optional<common::mail::ClaimedMail> Claim(const std::string& id, absl::Time now,
                                                 absl::Time lease_end) override {
    auto claimed = ClaimFields(id, now, lease_end);
    if (!claimed.has_value()) return std::nullopt;
    auto& f = *claimed;
    absl::StatusOr<std::string> body = o_->Open(f["body"]);
    if (!body.ok()) {
      common::LogWarning("account mail dropped: body cannot be opened (key changed by a restart)",
                         {{"mail", id}});
      Done(id);
      return std::nullopt;
    }
    common::mail::ClaimedMail out;
    (void)absl::SimpleAtoi(f["attempts"], &out.attempts);
    out.payload.from = o_->options_.from_address;
    out.payload.to = f["to"];
    out.payload.subject = f["subject"];
    out.payload.body = *std::move(body);
    out.payload.message_id = o_->options_.MessageId("account", id);
    return out;
  }

  void GaveUp(const std::string& id, const absl::Status&) override { Done(id); }

 private:
  MailOutbox* o_;
};

absl::Status LogOnlyMailSender::Send(const common::mail::OutgoingMail& mail) {
  common::LogInfo("account mail not sent: no SMTP configured",
                  {{"message_id", mail.message_id}, {"subject", mail.subject}});
  return absl::OkStatus();
}

MailOutbox::MailOutbox(redis::RedisClient* redis, common::mail::MailSender* sender,
                       MailOutboxOptions options)
    : redis_(redis),
      options_(std::move(options)),
      store_(std::make_unique<RedisMailStore>(this)),
      worker_(std::make_unique<common::mail::OutboxWorker>(
          store_.get(), sender, static_cast<const common::mail::OutboxPolicy&>(options_),
          "account mail")) {
  if (options_.body_key.size() == key_.size()) {
    std::memcpy(key_.data(), options_.body_key.data(), key_.size());
  } else {
    crypto_secretbox_keygen(key_.data());
  }
}

std::string MailOutbox::Seal(const std::string& plain) const {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(p, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(p + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), p,
                        key_.data());
  std::string hex(out.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), p, out.size());
  hex.pop_back();
  return hex;
}

absl::StatusOr<std::string> MailOutbox::Open(const std::string& sealed_hex) const {
  std::string sealed(sealed_hex.size() / 2, '\0');
  size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(sealed.data()), sealed.size(),
                     sealed_hex.data(), sealed_hex.size(), nullptr, &len, nullptr) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return absl::DataLossError("mail body is not a sealed box");
  }
  const auto* p = reinterpret_cast<const unsigned char*>(sealed.data());
  std::string plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 p + crypto_secretbox_NONCEBYTES, len - crypto_secretbox_NONCEBYTES,
                                 p, key_.data()) != 0) {
    return absl::DataLossError("mail body was sealed with another key");
  }
  return plain;
}

absl::StatusOr<std::string> MailOutbox::Enqueue(const QueuedMail& mail, absl::Time deadline) {
  if (!common::mail::IsOneRecipient(mail.to)) {
    return absl::InvalidArgumentError("recipient is not one address");
  }
  const std::string id = NewRandomId();
  const std::string key = keys::Mail(id);
  const absl::Time now = absl::Now();
  std::vector<redis::RedisCommand> commands;
  commands.push_back({"MULTI"});
  commands.push_back({"HSET", key, "to", mail.to, "subject", mail.subject, "body", Seal(mail.body),
                      "attempts", "0", "lease_ms", "0"});
  commands.push_back({"PEXPIRE", key, Millis(options_.retention)});
  commands.push_back({"ZADD", keys::MailOutbox(), Millis(now), id});
  commands.push_back({"EXEC"});
  absl::StatusOr<std::vector<redis::RedisReply>> replies = redis_->Pipeline(commands, deadline);
  if (!replies.ok()) return internal::StoreStatus(replies.status());
  if (!replies->back().is_array()) {
    return absl::InternalError("Redis did not commit the mail: " + replies->back().DebugString());
  }
  Wake();
  return id;
}

absl::Duration MailOutbox::Backoff(int attempts) const {
  return worker_->policy().Backoff(attempts);
}

MailOutbox::~MailOutbox() { Stop(); }

absl::StatusOr<int> MailOutbox::RunOnce() { return worker_->RunOnce(); }
void MailOutbox::Start() { worker_->Start(); }
void MailOutbox::Stop() { worker_->Stop(); }
void MailOutbox::Wake() { worker_->Wake(); }

}  // namespace openencoder::account
