#include "services/account/account_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "services/account/account_metrics.h"
#include "services/common/pool_runner.h"

namespace openencoder::account {
namespace {

void SetTime(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t seconds = absl::ToUnixSeconds(t);
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>((t - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
}

void SetDuration(absl::Duration d, google::protobuf::Duration* out) {
  const int64_t seconds = absl::IDivDuration(d, absl::Seconds(1), &d);
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(d / absl::Nanoseconds(1)));
}

void ToProto(const AccountRecord& a, v1::Account* out) {
  out->set_account_id(a.id);
  out->set_email(a.email);
  out->set_display_name(a.display_name);
  out->set_plan(a.plan);
  for (Role r : a.roles) out->add_roles(r);
  SetTime(a.created_at, out->mutable_created_at());
  out->set_email_verified(a.email_verified);
}

void ToProto(const IssuedSession& s, v1::SessionToken* out) {
  out->set_token(s.token);
  out->set_session_id(s.record.session_id);
  SetTime(s.record.expires_at, out->mutable_expires_at());
  SetDuration(s.record.idle_timeout, out->mutable_idle_timeout());
}

void ToProto(const QuotaView& q, v1::Quota* out) {
  out->set_plan(q.plan);
  out->set_unlimited(q.unlimited);
  out->set_views_used(static_cast<int32_t>(q.used));
  out->set_view_limit(static_cast<int32_t>(q.limit));
  out->set_views_remaining(static_cast<int32_t>(q.remaining));
  SetTime(q.window_end, out->mutable_window_end());
  out->set_upgrade_hint(q.upgrade_hint);
}

}  // namespace

AccountServiceImpl::AccountServiceImpl(AccountManager* accounts, Metering* metering,
                                       int hash_workers, absl::Duration request_budget,
                                       size_t max_queued)
    : accounts_(accounts),
      metering_(metering),
      request_budget_(request_budget),
      io_pool_(common::WorkerPoolOptions{
          .threads = kIoWorkers, .max_queued = max_queued, .service = "account"}),
      hash_pool_(common::WorkerPoolOptions{
          .threads = hash_workers, .max_queued = max_queued, .service = "account"}) {}

absl::Time AccountServiceImpl::DeadlineOf(const grpc::CallbackServerContext* context) const {
  const absl::Time budget = absl::Now() + request_budget_;
  const auto client = context->deadline();
  if (client == std::chrono::system_clock::time_point::max()) return budget;
  return std::min(budget, absl::FromChrono(client));
}

template <typename Fn>
grpc::ServerUnaryReactor* AccountServiceImpl::RunOn(common::WorkerPool& pool,
                                                    grpc::CallbackServerContext* context, Fn fn) {
  return common::RunOnPool(pool, context, [this, context, fn = std::move(fn)]() mutable {
    return fn(DeadlineOf(context));
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::Register(grpc::CallbackServerContext* context,
                                                       const v1::RegisterRequest* request,
                                                       v1::RegisterResponse* response) {
  return RunOn(hash_pool_, context, [this, request, response](absl::Time deadline) {
    RegisterInput in{request->email(),
                     request->password(),
                     request->display_name(),
                     request->role(),
                     request->guest_session_token(),
                     {request->client_address(), request->user_agent(), request->device_id()}};
    absl::StatusOr<SignedIn> r = accounts_->Register(in, deadline);
    if (!r.ok()) return r.status();
    ToProto(r->account, response->mutable_account());
    ToProto(r->session, response->mutable_session());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::Login(grpc::CallbackServerContext* context,
                                                    const v1::LoginRequest* request,
                                                    v1::LoginResponse* response) {
  return RunOn(hash_pool_, context, [this, request, response](absl::Time deadline) {
    LoginInput in{request->email(),
                  request->password(),
                  request->guest_session_token(),
                  {request->client_address(), request->user_agent()}};
    absl::StatusOr<SignedIn> r = accounts_->Login(in, deadline);
    RecordLogin(r.status());
    if (!r.ok()) return r.status();
    ToProto(r->account, response->mutable_account());
    ToProto(r->session, response->mutable_session());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::Logout(grpc::CallbackServerContext* context,
                                                     const v1::LogoutRequest* request,
                                                     v1::LogoutResponse*) {
  return RunOn(io_pool_, context, [this, request](absl::Time deadline) {
    return accounts_->Logout(request->session_token(), deadline);
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::GetAccount(grpc::CallbackServerContext* context,
                                                         const v1::GetAccountRequest* request,
                                                         v1::GetAccountResponse* response) {
  return RunOn(io_pool_, context, [this, request, response](absl::Time deadline) {
    absl::StatusOr<AccountRecord> a = accounts_->GetAccount(request->session_token(), deadline);
    if (!a.ok()) return a.status();
    ToProto(*a, response->mutable_account());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::ChangePassword(
    grpc::CallbackServerContext* context, const v1::ChangePasswordRequest* request,
    v1::ChangePasswordResponse* response) {
  return RunOn(hash_pool_, context, [this, request, response](absl::Time deadline) {
    absl::StatusOr<int> ended = accounts_->ChangePassword(
        request->session_token(), request->current_password(), request->new_password(), deadline);
    if (!ended.ok()) return ended.status();
    response->set_sessions_ended(*ended);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::RequestEmailVerification(
    grpc::CallbackServerContext* context, const v1::RequestEmailVerificationRequest* request,
    v1::RequestEmailVerificationResponse*) {
  return RunOn(io_pool_, context, [this, request](absl::Time deadline) {
    return accounts_->RequestEmailVerification(request->session_token(), deadline);
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::VerifyEmail(grpc::CallbackServerContext* context,
                                                          const v1::VerifyEmailRequest* request,
                                                          v1::VerifyEmailResponse*) {
  return RunOn(io_pool_, context, [this, request](absl::Time deadline) {
    return accounts_->VerifyEmail(request->token(), deadline);
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::ListSessions(grpc::CallbackServerContext* context,
                                                           const v1::ListSessionsRequest* request,
                                                           v1::ListSessionsResponse* response) {
  return RunOn(io_pool_, context, [this, request, response](absl::Time deadline) {
    int page_size = request->page_size() == 0 ? 50 : request->page_size();
    if (page_size < 0) return absl::InvalidArgumentError("page_size may not be negative");
    page_size = std::min(page_size, 200);
    size_t offset = 0;
    if (!request->page_token().empty() && !absl::SimpleAtoi(request->page_token(), &offset)) {
      return absl::InvalidArgumentError(
          "page_token is not one this server returned; start again without it");
    }
    absl::StatusOr<SessionList> list = accounts_->ListSessions(request->session_token(), deadline);
    if (!list.ok()) return list.status();
    const size_t end = std::min(list->sessions.size(), offset + page_size);
    for (size_t i = offset; i < end; ++i) {
      const SessionRecord& s = list->sessions[i];
      v1::SessionInfo* info = response->add_sessions();
      info->set_session_id(s.session_id);
      SetTime(s.created_at, info->mutable_created_at());
      SetTime(s.last_seen_at, info->mutable_last_seen_at());
      SetTime(s.expires_at, info->mutable_expires_at());
      info->set_client_address(s.client_address);
      info->set_user_agent(s.user_agent);
      info->set_current(s.session_id == list->current_session_id);
    }
    if (end < list->sessions.size()) response->set_next_page_token(std::to_string(end));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::RevokeSession(grpc::CallbackServerContext* context,
                                                            const v1::RevokeSessionRequest* request,
                                                            v1::RevokeSessionResponse*) {
  return RunOn(io_pool_, context, [this, request](absl::Time deadline) {
    return accounts_->RevokeSession(request->session_token(), request->session_id(), deadline);
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::ValidateSession(
    grpc::CallbackServerContext* context, const v1::ValidateSessionRequest* request,
    v1::ValidateSessionResponse* response) {
  return RunOn(io_pool_, context, [this, request, response](absl::Time deadline) {
    absl::StatusOr<Identity> id = accounts_->Validate(request->session_token(), deadline);
    if (!id.ok()) return id.status();
    if (!id->account.guest) response->set_account_id(id->account.id);
    response->set_session_id(id->session.session_id);
    response->set_guest(id->account.guest);
    response->set_plan(id->account.plan);
    for (Role r : id->account.roles) response->add_roles(r);
    SetTime(id->session.expires_at, response->mutable_expires_at());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::CreateGuestSession(
    grpc::CallbackServerContext* context, const v1::CreateGuestSessionRequest* request,
    v1::CreateGuestSessionResponse* response) {
  auto body = [this, request, response](absl::Time deadline) {
    absl::StatusOr<IssuedSession> s = accounts_->CreateGuest(
        ClientInfo{request->client_address(), request->user_agent(), request->device_id()},
        deadline);
    if (!s.ok()) return s.status();
    ToProto(*s, response->mutable_session());
    return absl::OkStatus();
  };
  return RunOn(io_pool_, context, Recorded(&RecordGuestSession, std::move(body)));
}

namespace {

absl::Status AnswerView(const absl::StatusOr<ViewDecision>& d, v1::ConsumeViewResponse* response) {
  RecordViewDecision(d);
  if (!d.ok()) return d.status();
  response->set_allowed(d->allowed);
  response->set_already_viewed(d->already_viewed);
  response->set_replayed(d->replayed);
  ToProto(d->quota, response->mutable_quota());
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* AccountServiceImpl::ConsumeView(grpc::CallbackServerContext* context,
                                                          const v1::ConsumeViewRequest* request,
                                                          v1::ConsumeViewResponse* response) {
  std::optional<SessionRecord> session = metering_->CachedSession(request->session_token());
  if (!session.has_value()) {
    return RunOn(io_pool_, context, [this, request, response](absl::Time deadline) {
      return AnswerView(metering_->ConsumeView(request->session_token(), request->code(),
                                               request->request_id(), deadline),
                        response);
    });
  }
  // The common case, a session resolved a moment ago, needs no worker
  // thread: the metering script joins the next Redis pipeline and the call
  // finishes from there (RedisMeterStore::ConsumeViewAsync).
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  metering_->ConsumeViewAsync(*session, request->session_token(), request->code(),
                              request->request_id(), DeadlineOf(context),
                              [context, reactor, response](absl::StatusOr<ViewDecision> d) {
                                common::FinishUnary(context, reactor, AnswerView(d, response));
                              });
  return reactor;
}

grpc::ServerUnaryReactor* AccountServiceImpl::GetQuota(grpc::CallbackServerContext* context,
                                                       const v1::GetQuotaRequest* request,
                                                       v1::GetQuotaResponse* response) {
  return RunOn(io_pool_, context, [this, request, response](absl::Time deadline) {
    absl::StatusOr<QuotaView> q = metering_->GetQuota(request->session_token(), deadline);
    if (!q.ok()) return q.status();
    ToProto(*q, response->mutable_quota());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::CheckRate(grpc::CallbackServerContext* context,
                                                        const v1::CheckRateRequest* request,
                                                        v1::CheckRateResponse* response) {
  return RunOn(io_pool_, context, [this, request, response](absl::Time deadline) {
    absl::StatusOr<RateDecision> r =
        metering_->CheckRate(request->session_token(), request->feature(), request->request_id(),
                             request->idempotency_scope(), deadline);
    if (!r.ok()) return r.status();
    response->set_allowed(r->allowed);
    response->set_remaining(static_cast<int32_t>(r->remaining));
    response->set_limit(static_cast<int32_t>(r->limit));
    if (!r->allowed) SetDuration(r->retry_after, response->mutable_retry_after());
    SetDuration(r->window, response->mutable_window());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::SetPlan(grpc::CallbackServerContext* context,
                                                      const v1::SetPlanRequest* request,
                                                      v1::SetPlanResponse* response) {
  return RunOn(io_pool_, context, [this, request, response](absl::Time deadline) {
    std::vector<Role> roles;
    for (int r : request->roles()) roles.push_back(static_cast<Role>(r));
    absl::StatusOr<AccountRecord> a = accounts_->SetPlan(
        request->session_token(), request->account_id(), request->plan(), roles, deadline);
    if (!a.ok()) return a.status();
    ToProto(*a, response->mutable_account());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::RequestPasswordReset(
    grpc::CallbackServerContext* context, const v1::RequestPasswordResetRequest* request,
    v1::RequestPasswordResetResponse*) {
  return RunOn(io_pool_, context, [this, request](absl::Time deadline) {
    return accounts_->RequestPasswordReset(request->email(), ClientInfo{request->client_address()},
                                           deadline);
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::ResetPassword(grpc::CallbackServerContext* context,
                                                            const v1::ResetPasswordRequest* request,
                                                            v1::ResetPasswordResponse* response) {
  return RunOn(hash_pool_, context, [this, request, response](absl::Time deadline) {
    absl::StatusOr<int> ended =
        accounts_->ResetPassword(request->token(), request->new_password(), deadline);
    if (!ended.ok()) return ended.status();
    response->set_sessions_ended(*ended);
    return absl::OkStatus();
  });
}

namespace {

absl::Status AnswerAccount(absl::StatusOr<AccountRecord> a, v1::OperatorAccountResponse* out) {
  if (!a.ok()) return a.status();
  ToProto(*a, out->mutable_account());
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* AccountServiceImpl::OperatorGetAccount(
    grpc::CallbackServerContext* context, const v1::OperatorGetAccountRequest* request,
    v1::OperatorAccountResponse* response) {
  return RunOn(io_pool_, context, [this, request, response](absl::Time deadline) {
    return AnswerAccount(
        accounts_->OperatorGet(request->operator_token(), request->email(), deadline), response);
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::OperatorGrantRole(
    grpc::CallbackServerContext* context, const v1::OperatorRoleRequest* request,
    v1::OperatorAccountResponse* response) {
  return RunOn(io_pool_, context, [this, request, response](absl::Time deadline) {
    return AnswerAccount(accounts_->OperatorSetRole(request->operator_token(), request->email(),
                                                    request->role(), /*grant=*/true, deadline),
                         response);
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::OperatorRevokeRole(
    grpc::CallbackServerContext* context, const v1::OperatorRoleRequest* request,
    v1::OperatorAccountResponse* response) {
  return RunOn(io_pool_, context, [this, request, response](absl::Time deadline) {
    return AnswerAccount(accounts_->OperatorSetRole(request->operator_token(), request->email(),
                                                    request->role(), /*grant=*/false, deadline),
                         response);
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::OperatorVerifyEmail(
    grpc::CallbackServerContext* context, const v1::OperatorGetAccountRequest* request,
    v1::OperatorAccountResponse* response) {
  return RunOn(io_pool_, context, [this, request, response](absl::Time deadline) {
    return AnswerAccount(
        accounts_->OperatorVerifyEmail(request->operator_token(), request->email(), deadline),
        response);
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::OperatorSetPlan(
    grpc::CallbackServerContext* context, const v1::OperatorSetPlanRequest* request,
    v1::OperatorAccountResponse* response) {
  return RunOn(io_pool_, context, [this, request, response](absl::Time deadline) {
    return AnswerAccount(accounts_->OperatorSetPlan(request->operator_token(), request->email(),
                                                    request->plan(), deadline),
                         response);
  });
}

// The person is told what stays: counters that name no one.
constexpr char kKeptAfterDeletion[] =
    "Nothing that identifies you. Your job applications stay on the employers' lists as "
    "\"the applicant deleted their account\", without your cover letter or résumé link; your "
    "questions to CaseConsultant and your chats are erased. Anonymous counters stay until they "
    "expire: how many accounts and guest visits came from a network today, and the site's view "
    "totals.";

grpc::ServerUnaryReactor* AccountServiceImpl::DeleteAccount(grpc::CallbackServerContext* context,
                                                            const v1::DeleteAccountRequest* request,
                                                            v1::DeleteAccountResponse* response) {
  return RunOn(hash_pool_, context, [this, request, response](absl::Time deadline) {
    absl::StatusOr<std::string> customer =
        accounts_->DeleteAccount(request->session_token(), request->password(), deadline);
    if (!customer.ok()) return customer.status();
    if (billing_ != nullptr) billing_->ForgetCustomer(*customer, deadline);
    response->set_kept(kKeptAfterDeletion);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::GetBilling(grpc::CallbackServerContext* context,
                                                         const v1::GetBillingRequest* request,
                                                         v1::GetBillingResponse* response) {
  return RunOn(io_pool_, context, [this, request, response](absl::Time deadline) {
    if (billing_ == nullptr) return absl::UnavailableError("billing is not wired");
    absl::StatusOr<BillingView> v = billing_->Get(request->session_token(), deadline);
    if (!v.ok()) return v.status();
    v1::Billing* out = response->mutable_billing();
    out->set_plan(v->plan);
    out->set_status(v->status);
    out->set_cancel_at_period_end(v->cancel_at_period_end);
    if (v->current_period_end) SetTime(*v->current_period_end, out->mutable_current_period_end());
    if (v->payment_failed_at) SetTime(*v->payment_failed_at, out->mutable_payment_failed_at());
    out->set_provider_configured(v->provider_configured);
    out->set_manage_url(v->manage_url);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::StartCheckout(grpc::CallbackServerContext* context,
                                                            const v1::StartCheckoutRequest* request,
                                                            v1::StartCheckoutResponse* response) {
  return RunOn(io_pool_, context, [this, request, response](absl::Time deadline) {
    if (billing_ == nullptr) return absl::UnavailableError("billing is not wired");
    absl::StatusOr<std::string> url = billing_->StartCheckout(request->session_token(), deadline);
    if (!url.ok()) return url.status();
    response->set_checkout_url(*url);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AccountServiceImpl::HandleBillingWebhook(
    grpc::CallbackServerContext* context, const v1::HandleBillingWebhookRequest* request,
    v1::HandleBillingWebhookResponse* response) {
  return RunOn(io_pool_, context, [this, request, response](absl::Time deadline) {
    if (billing_ == nullptr) return absl::UnavailableError("billing is not wired");
    absl::StatusOr<WebhookOutcome> out =
        billing_->HandleWebhook(request->payload(), request->signature_header(),
                                request->client_address(), absl::Now(), deadline);
    if (!out.ok()) return out.status();
    response->set_event_id(out->event_id);
    response->set_duplicate(out->duplicate);
    response->set_ignored(out->ignored);
    return absl::OkStatus();
  });
}

}  // namespace openencoder::account
