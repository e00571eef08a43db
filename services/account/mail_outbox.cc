#include "services/account/mail_outbox.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/account/redis_keys.h"
#include "services/account/redis_store_util.h"
#include "services/account/session_tokens.h"
#include "services/common/log.h"
#include "services/common/redis/lua_script.h"

namespace openencoder::account {
namespace {

using internal::Millis;

// KEYS[1] outbox, KEYS[2] mail. ARGV[1] mail id, ARGV[2] now ms, ARGV[3]
// lease end ms. Returns the mail's fields, or nil when it is gone (dropped
// from the outbox) or leased by another sender.
const redis::LuaScript& ClaimScript() {
  static const redis::LuaScript* s = new redis::LuaScript(R"lua(
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return false
end
if tonumber(redis.call('HGET', KEYS[2], 'lease_ms') or '0') > tonumber(ARGV[2]) then
  return false
end
redis.call('HSET', KEYS[2], 'lease_ms', ARGV[3])
redis.call('HINCRBY', KEYS[2], 'attempts', 1)
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return redis.call('HGETALL', KEYS[2]))lua");
  return *s;
}

// KEYS[1] outbox, KEYS[2] mail. ARGV[1] mail id. Sent or given up: gone.
const redis::LuaScript& DoneScript() {
  static const redis::LuaScript* s = new redis::LuaScript(R"lua(
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[1])
return 1)lua");
  return *s;
}

// KEYS[1] outbox, KEYS[2] mail. ARGV[1] mail id, ARGV[2] retry at ms.
const redis::LuaScript& RetryScript() {
  static const redis::LuaScript* s = new redis::LuaScript(R"lua(
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 0
end
redis.call('HSET', KEYS[2], 'lease_ms', '0')
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1)lua");
  return *s;
}

}  // namespace

absl::Status LogOnlyMailSender::Send(const common::mail::OutgoingMail& mail) {
  common::LogInfo("account mail not sent: no SMTP configured",
                  {{"message_id", mail.message_id}, {"subject", mail.subject}});
  return absl::OkStatus();
}

MailOutbox::MailOutbox(redis::RedisClient* redis, common::mail::MailSender* sender,
                       MailOutboxOptions options)
    : redis_(redis), sender_(sender), options_(std::move(options)) {
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
  if (!absl::StrContains(mail.to, "@") || absl::StrContains(mail.to, "\r") ||
      absl::StrContains(mail.to, "\n")) {
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
  absl::Duration d = options_.initial_backoff;
  for (int i = 1; i < attempts && d < options_.max_backoff; ++i) d *= 2;
  return std::min(d, options_.max_backoff);
}

absl::StatusOr<int> MailOutbox::RunOnce() {
  const absl::Time now = absl::Now();
  const std::string outbox = keys::MailOutbox();
  absl::StatusOr<redis::RedisReply> due =
      redis_->Command({"ZRANGEBYSCORE", outbox, "-inf", Millis(now), "LIMIT", "0", "20"},
                      now + options_.redis_timeout);
  if (!due.ok()) return due.status();
  int sent = 0;
  for (const redis::RedisReply& entry : due->elements()) {
    const std::string id = entry.str();
    const std::string key = keys::Mail(id);
    const absl::Time claim_at = absl::Now();
    absl::StatusOr<redis::RedisReply> claimed = redis_->Eval(
        ClaimScript(), {outbox, key}, {id, Millis(claim_at), Millis(claim_at + options_.lease)},
        claim_at + options_.redis_timeout);
    if (!claimed.ok() || !claimed->is_array()) continue;
    absl::flat_hash_map<std::string, std::string> f;
    const auto& e = claimed->elements();
    for (size_t i = 0; i + 1 < e.size(); i += 2) f[e[i].str()] = e[i + 1].str();
    int attempts = 0;
    (void)absl::SimpleAtoi(f["attempts"], &attempts);
    absl::StatusOr<std::string> body = Open(f["body"]);
    auto done = [&] {
      (void)redis_->Eval(DoneScript(), {outbox, key}, {id}, absl::Now() + options_.redis_timeout);
    };
    if (!body.ok()) {
      common::LogWarning("account mail dropped: body cannot be opened (key changed by a restart)",
                         {{"mail", id}});
      done();
      continue;
    }
    common::mail::OutgoingMail mail;
    mail.from = options_.from_address;
    mail.to = f["to"];
    mail.subject = f["subject"];
    mail.body = *std::move(body);
    mail.message_id = absl::StrCat("<account-", id, "@", options_.message_id_domain, ">");
    absl::Status status = sender_->Send(mail);
    if (status.ok()) {
      done();
      ++sent;
      continue;
    }
    common::LogWarning("account mail not sent",
                       {{"mail", id}, {"attempt", attempts}, {"error", status.ToString()}});
    if (attempts >= options_.max_attempts || absl::IsInvalidArgument(status)) {
      common::LogError("account mail: giving up", {{"mail", id}});
      done();
      continue;
    }
    (void)redis_->Eval(RetryScript(), {outbox, key}, {id, Millis(absl::Now() + Backoff(attempts))},
                       absl::Now() + options_.redis_timeout);
  }
  return sent;
}

void MailOutbox::Start() {
  thread_ = std::thread([this] {
    for (;;) {
      {
        absl::MutexLock lock(&mu_);
        auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_ || wake_; };
        mu_.AwaitWithTimeout(absl::Condition(&ready), options_.poll_interval);
        if (stop_) return;
        wake_ = false;
      }
      absl::StatusOr<int> r = RunOnce();
      if (!r.ok()) {
        common::LogWarning("account mail: outbox run failed", {{"error", r.status().ToString()}});
      }
    }
  });
}

void MailOutbox::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void MailOutbox::Wake() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

}  // namespace openencoder::account
