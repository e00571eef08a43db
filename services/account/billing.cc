#include "services/account/billing.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/account/client_network.h"
#include "services/account/redis_keys.h"
#include "services/account/redis_store_util.h"
#include "services/common/log.h"

namespace openencoder::account {
namespace {

using internal::Millis;
using internal::StoreStatus;

constexpr absl::Duration kEventMemory = absl::Hours(24 * 30);

// KEYS[1] billing hash, KEYS[2] account. ARGV[1] the event's time (ms),
// ARGV[2] the plan to set ('' to keep it), ARGV[3..] field/value pairs.
// Returns 1 when applied, 0 when an event at least as new was applied
// already (providers do not deliver in order), -1 when the account is gone.
// An ENTERPRISE plan is an operator's contract, never touched by Pro events.
const redis::LuaScript& ApplyScript() {
  static const redis::LuaScript* script = new redis::LuaScript(R"lua(
local plan = redis.call('HGET', KEYS[2], 'plan')
if not plan then return -1 end
if tonumber(redis.call('HGET', KEYS[1], 'event_ms') or '0') > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'event_ms', ARGV[1])
if #ARGV > 3 then redis.call('HSET', KEYS[1], unpack(ARGV, 3)) end
if ARGV[2] ~= '' and plan ~= '4' then redis.call('HSET', KEYS[2], 'plan', ARGV[2]) end
return 1)lua");
  return *script;
}

bool StillPaying(absl::string_view status) {
  return status == "active" || status == "trialing" || status == "past_due";
}

std::string UrlEncode(absl::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppendFormat(&out, "%%%02X", c);
    }
  }
  return out;
}

std::optional<absl::Time> MillisField(const std::string& text) {
  int64_t ms = 0;
  if (!absl::SimpleAtoi(text, &ms) || ms <= 0) return std::nullopt;
  return absl::FromUnixMillis(ms);
}

}  // namespace

absl::StatusOr<BillingView> Billing::Get(absl::string_view token, absl::Time deadline) {
  absl::StatusOr<AccountRecord> account = accounts_->GetAccount(token, deadline);
  if (!account.ok()) return account.status();
  absl::StatusOr<redis::RedisReply> reply =
      redis_->Command({"HMGET", keys::Billing(account->id), "status", "cancel_at_period_end",
                       "period_end_ms", "payment_failed_ms"},
                      deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  BillingView v;
  v.plan = account->plan;
  v.provider_configured = !config_->billing.checkout_url.empty();
  v.manage_url = config_->billing.portal_url;
  const auto& f = reply->elements();
  if (f.size() == 4) {
    if (f[0].is_string() && !f[0].str().empty()) v.status = f[0].str();
    v.cancel_at_period_end = f[1].is_string() && f[1].str() == "1";
    if (f[2].is_string()) v.current_period_end = MillisField(f[2].str());
    if (f[3].is_string()) v.payment_failed_at = MillisField(f[3].str());
  }
  return v;
}

absl::StatusOr<std::string> Billing::StartCheckout(absl::string_view token, absl::Time deadline) {
  absl::StatusOr<AccountRecord> account = accounts_->GetAccount(token, deadline);
  if (!account.ok()) return account.status();
  if (config_->billing.checkout_url.empty()) {
    return absl::FailedPreconditionError(
        "online payment is not set up on this server; an operator can set your plan with "
        "scripts/oe-admin set-plan");
  }
  if (account->plan == Plan::PLAN_PRO || account->plan == Plan::PLAN_ENTERPRISE) {
    return absl::FailedPreconditionError("your account already has a paid plan");
  }
  const std::string& base = config_->billing.checkout_url;
  return absl::StrCat(base, base.find('?') == std::string::npos ? "?" : "&",
                      "client_reference_id=", UrlEncode(account->id),
                      "&prefilled_email=", UrlEncode(account->email));
}

absl::StatusOr<std::string> Billing::AccountOfCustomer(const std::string& customer,
                                                       absl::Time deadline) {
  if (customer.empty()) return std::string();
  absl::StatusOr<redis::RedisReply> reply =
      redis_->Command({"GET", keys::BillingCustomer(customer)}, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  return reply->is_string() ? reply->str() : std::string();
}

absl::StatusOr<bool> Billing::Apply(const BillingEvent& e, absl::Time deadline) {
  std::string account_id;
  std::string plan;
  std::vector<std::string> fields;
  if (e.type == "checkout.session.completed") {
    account_id = e.client_reference_id;
    if (account_id.empty() || e.customer.empty()) return false;
    absl::StatusOr<redis::RedisReply> indexed =
        redis_->Command({"SET", keys::BillingCustomer(e.customer), account_id}, deadline);
    if (!indexed.ok()) return StoreStatus(indexed.status());
    plan = std::to_string(Plan::PLAN_PRO);
    fields = {"customer", e.customer, "subscription",         e.subscription,
              "status",   "active",   "cancel_at_period_end", "0"};
  } else {
    absl::StatusOr<std::string> owner = AccountOfCustomer(e.customer, deadline);
    if (!owner.ok()) return owner.status();
    account_id = *owner;
    if (account_id.empty()) return false;
    if (e.type == "customer.subscription.updated") {
      // Cancelling at the period end keeps the status "active": Pro stays
      // until the provider deletes the subscription at that end.
      if (StillPaying(e.status)) plan = std::to_string(Plan::PLAN_PRO);
      if (e.status == "canceled" || e.status == "unpaid" || e.status == "incomplete_expired") {
        plan = std::to_string(Plan::PLAN_FREE);
      }
      fields = {"subscription", e.subscription,         "status",
                e.status,       "cancel_at_period_end", e.cancel_at_period_end ? "1" : "0"};
      if (e.current_period_end) {
        fields.push_back("period_end_ms");
        fields.push_back(Millis(*e.current_period_end));
      }
    } else if (e.type == "customer.subscription.deleted") {
      plan = std::to_string(Plan::PLAN_FREE);
      fields = {"status", "canceled", "cancel_at_period_end", "0"};
    } else {  // invoice.payment_failed: the provider retries; its later events decide
      fields = {"payment_failed_ms", Millis(e.created)};
    }
  }
  const std::string billing = keys::Billing(account_id);
  const std::string account = keys::Account(account_id);
  std::vector<std::string> args = {Millis(e.created), plan};
  args.insert(args.end(), fields.begin(), fields.end());
  std::vector<absl::string_view> arg_views(args.begin(), args.end());
  absl::StatusOr<redis::RedisReply> reply =
      redis_->Eval(ApplyScript(), {billing, account}, arg_views, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  absl::StatusOr<int64_t> n = internal::ReplyInt(*reply);
  if (!n.ok()) return n.status();
  return *n == 1;
}

absl::StatusOr<WebhookOutcome> Billing::HandleWebhook(absl::string_view payload,
                                                      absl::string_view signature_header,
                                                      absl::string_view client_address,
                                                      absl::Time now, absl::Time deadline) {
  // Counted before the signature check: forged posts cost us an HMAC each.
  absl::StatusOr<CounterState> count = limits_->Increment(
      absl::StrCat("billing-hook:", ClientNetwork(client_address)), absl::Minutes(1), deadline);
  if (!count.ok()) return count.status();
  if (count->count > config_->billing.webhooks_per_minute) {
    return absl::ResourceExhaustedError("too many webhook posts from this network; retry later");
  }
  if (absl::Status s = VerifyStripeSignature(config_->billing.webhook_secret, signature_header,
                                             payload, now, config_->billing.webhook_tolerance);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<BillingEvent> event = ParseBillingEvent(payload);
  if (!event.ok()) return event.status();
  WebhookOutcome out;
  out.event_id = event->id;
  static constexpr absl::string_view kHandled[] = {
      "checkout.session.completed", "customer.subscription.updated",
      "customer.subscription.deleted", "invoice.payment_failed"};
  if (std::find(std::begin(kHandled), std::end(kHandled), event->type) == std::end(kHandled)) {
    out.ignored = true;
    return out;
  }
  const std::string claim = keys::BillingEvent(event->id);
  absl::StatusOr<redis::RedisReply> claimed =
      redis_->Command({"SET", claim, "1", "NX", "PX", Millis(kEventMemory)}, deadline);
  if (!claimed.ok()) return StoreStatus(claimed.status());
  if (!claimed->is_status()) {
    out.duplicate = true;
    return out;
  }
  absl::StatusOr<bool> applied = Apply(*event, deadline);
  if (!applied.ok()) {
    // Not applied (or not known to be): the provider's retry must find the
    // event unclaimed. Applying twice sets the same values again.
    (void)redis_->Command({"DEL", claim}, deadline);
    return applied.status();
  }
  out.ignored = !*applied;
  common::LogInfo(
      "billing event",
      {{"event_id", event->id}, {"type", event->type}, {"applied", *applied ? "yes" : "no"}});
  return out;
}

void Billing::ForgetCustomer(const std::string& customer, absl::Time deadline) {
  if (customer.empty()) return;
  (void)redis_->Command({"DEL", keys::BillingCustomer(customer)}, deadline);
}

}  // namespace openencoder::account
