#include "services/account/account_backend.h"

#include <algorithm>
#include <utility>

namespace openencoder::account {

absl::StatusOr<std::unique_ptr<AccountBackend>> AccountBackend::Create(
    AccountConfig config, PasswordPolicy policy, PasswordHasher hasher, redis::RedisOptions redis,
    std::unique_ptr<common::mail::MailSender> mail_sender, MailOutboxOptions mail_options) {
  redis.command_timeout = std::min(redis.command_timeout, config.redis_call_timeout);
  redis.connect_timeout = std::min(redis.connect_timeout, config.redis_call_timeout);
  absl::StatusOr<std::unique_ptr<redis::RedisClient>> client =
      redis::RedisClient::Create(std::move(redis));
  if (!client.ok()) return client.status();
  std::unique_ptr<AccountBackend> b(
      new AccountBackend(std::move(config), std::move(policy), std::move(hasher)));
  b->redis_ = *std::move(client);
  b->account_store_ = std::make_unique<RedisAccountStore>(b->redis_.get());
  b->session_store_ =
      std::make_unique<RedisSessionStore>(b->redis_.get(), b->config_.touch_granularity);
  b->meter_store_ = std::make_unique<RedisMeterStore>(b->redis_.get());
  b->limit_store_ = std::make_unique<RedisLimitStore>(b->redis_.get());
  b->sessions_ =
      std::make_unique<SessionManager>(b->session_store_.get(), b->config_.session_idle,
                                       b->config_.session_lifetime, b->config_.guest_lifetime);
  b->session_cache_ = std::make_unique<SessionCache>(b->config_.meter_session_cache_entries);
  b->sessions_->set_meter_cache(b->session_cache_.get(), b->config_.touch_granularity);
  b->accounts_ = std::make_unique<AccountManager>(&b->config_, &b->policy_, &b->hasher_,
                                                  b->account_store_.get(), b->sessions_.get(),
                                                  b->meter_store_.get(), b->limit_store_.get());
  if (mail_sender != nullptr) {
    b->mail_sender_ = std::move(mail_sender);
  } else if (!b->config_.smtp_url.empty()) {
    b->mail_sender_ =
        std::make_unique<common::mail::CurlSmtpSender>(b->config_.smtp_url, absl::Seconds(10));
  } else {
    b->mail_sender_ = std::make_unique<LogOnlyMailSender>();
  }
  mail_options.from_address = b->config_.mail_from;
  if (mail_options.body_key.empty()) mail_options.body_key = b->config_.mail_key;
  b->mail_outbox_ =
      std::make_unique<MailOutbox>(b->redis_.get(), b->mail_sender_.get(), std::move(mail_options));
  b->accounts_->set_mail_outbox(b->mail_outbox_.get());
  b->mail_outbox_->Start();
  RedisAccountStore* accounts = b->account_store_.get();
  const absl::Duration redis_timeout = b->config_.redis_call_timeout;
  b->erasure_outbox_ = std::make_unique<ErasureOutbox>(
      b->redis_.get(), [accounts, redis_timeout](const std::string& id) -> absl::StatusOr<bool> {
        absl::StatusOr<AccountRecord> record = accounts->Get(id, absl::Now() + redis_timeout);
        if (absl::IsNotFound(record.status())) return false;
        if (!record.ok()) return record.status();
        return true;
      });
  b->accounts_->set_erasure_queue(b->erasure_outbox_.get());
  b->metering_ = std::make_unique<Metering>(&b->config_, b->sessions_.get(), b->meter_store_.get());
  b->billing_ = std::make_unique<Billing>(&b->config_, b->accounts_.get(), b->limit_store_.get(),
                                          b->redis_.get());
  b->service_ = std::make_unique<AccountServiceImpl>(
      b->accounts_.get(), b->metering_.get(), b->config_.hash_workers, b->config_.request_budget,
      b->config_.max_queued);
  b->service_->set_billing(b->billing_.get());
  return b;
}

void AccountBackend::StartErasureDelivery(const std::string& jobs_targets,
                                          const std::string& assistant_targets,
                                          const std::string& client_identity) {
  eraser_ = std::make_unique<GrpcAccountDataEraser>(jobs_targets, assistant_targets,
                                                    config_.erasure_call_timeout, client_identity);
  erasure_outbox_->StartDelivery(eraser_.get());
}

}  // namespace openencoder::account
