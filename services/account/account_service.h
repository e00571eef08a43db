// The gRPC edge of the account service (callback API, one
// ServerUnaryReactor per call). Translates requests to the logic classes and
// their absl::Status to gRPC status with common::ToGrpcStatus; a retry delay
// on RESOURCE_EXHAUSTED also goes out as the "retry-after-ms" trailer.
//
// Register, Login and ChangePassword (argon2id) run on a worker pool sized to
// the cores; every other call runs on the callback thread, bounded by the
// per-call Redis deadline, so health checks and ConsumeView never queue
// behind a login. Each call's store deadline is the client's deadline or
// `request_budget` from now, whichever is sooner.
//
// Thread-safe. The logic objects must outlive the service, and the service
// must outlive the server it is registered with.
#ifndef OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_SERVICE_H_
#define OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_SERVICE_H_

#include "absl/time/time.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "services/account/account_manager.h"
#include "services/account/billing.h"
#include "services/account/metering.h"
#include "services/common/worker_pool.h"

namespace openencoder::account {

class AccountServiceImpl final : public v1::AccountService::CallbackService {
 public:
  // Each pool queues at most `max_queued` calls (0: no bound); past that,
  // calls answer RESOURCE_EXHAUSTED at once (common/pool_runner.h).
  AccountServiceImpl(AccountManager* accounts, Metering* metering, int hash_workers,
                     absl::Duration request_budget, size_t max_queued = common::kDefaultMaxQueued);

  grpc::ServerUnaryReactor* Register(grpc::CallbackServerContext* context,
                                     const v1::RegisterRequest* request,
                                     v1::RegisterResponse* response) override;
  grpc::ServerUnaryReactor* Login(grpc::CallbackServerContext* context,
                                  const v1::LoginRequest* request,
                                  v1::LoginResponse* response) override;
  grpc::ServerUnaryReactor* Logout(grpc::CallbackServerContext* context,
                                   const v1::LogoutRequest* request,
                                   v1::LogoutResponse* response) override;
  grpc::ServerUnaryReactor* GetAccount(grpc::CallbackServerContext* context,
                                       const v1::GetAccountRequest* request,
                                       v1::GetAccountResponse* response) override;
  grpc::ServerUnaryReactor* ChangePassword(grpc::CallbackServerContext* context,
                                           const v1::ChangePasswordRequest* request,
                                           v1::ChangePasswordResponse* response) override;
  grpc::ServerUnaryReactor* RequestEmailVerification(
      grpc::CallbackServerContext* context, const v1::RequestEmailVerificationRequest* request,
      v1::RequestEmailVerificationResponse* response) override;
  grpc::ServerUnaryReactor* VerifyEmail(grpc::CallbackServerContext* context,
                                        const v1::VerifyEmailRequest* request,
                                        v1::VerifyEmailResponse* response) override;
  grpc::ServerUnaryReactor* ListSessions(grpc::CallbackServerContext* context,
                                         const v1::ListSessionsRequest* request,
                                         v1::ListSessionsResponse* response) override;
  grpc::ServerUnaryReactor* RevokeSession(grpc::CallbackServerContext* context,
                                          const v1::RevokeSessionRequest* request,
                                          v1::RevokeSessionResponse* response) override;
  grpc::ServerUnaryReactor* ValidateSession(grpc::CallbackServerContext* context,
                                            const v1::ValidateSessionRequest* request,
                                            v1::ValidateSessionResponse* response) override;
  grpc::ServerUnaryReactor* CreateGuestSession(grpc::CallbackServerContext* context,
                                               const v1::CreateGuestSessionRequest* request,
                                               v1::CreateGuestSessionResponse* response) override;
  grpc::ServerUnaryReactor* ConsumeView(grpc::CallbackServerContext* context,
                                        const v1::ConsumeViewRequest* request,
                                        v1::ConsumeViewResponse* response) override;
  grpc::ServerUnaryReactor* GetQuota(grpc::CallbackServerContext* context,
                                     const v1::GetQuotaRequest* request,
                                     v1::GetQuotaResponse* response) override;
  grpc::ServerUnaryReactor* CheckRate(grpc::CallbackServerContext* context,
                                      const v1::CheckRateRequest* request,
                                      v1::CheckRateResponse* response) override;
  grpc::ServerUnaryReactor* SetPlan(grpc::CallbackServerContext* context,
                                    const v1::SetPlanRequest* request,
                                    v1::SetPlanResponse* response) override;
  grpc::ServerUnaryReactor* RequestPasswordReset(
      grpc::CallbackServerContext* context, const v1::RequestPasswordResetRequest* request,
      v1::RequestPasswordResetResponse* response) override;
  grpc::ServerUnaryReactor* ResetPassword(grpc::CallbackServerContext* context,
                                          const v1::ResetPasswordRequest* request,
                                          v1::ResetPasswordResponse* response) override;
  grpc::ServerUnaryReactor* OperatorGetAccount(grpc::CallbackServerContext* context,
                                               const v1::OperatorGetAccountRequest* request,
                                               v1::OperatorAccountResponse* response) override;
  grpc::ServerUnaryReactor* OperatorGrantRole(grpc::CallbackServerContext* context,
                                              const v1::OperatorRoleRequest* request,
                                              v1::OperatorAccountResponse* response) override;
  grpc::ServerUnaryReactor* OperatorRevokeRole(grpc::CallbackServerContext* context,
                                               const v1::OperatorRoleRequest* request,
                                               v1::OperatorAccountResponse* response) override;
  grpc::ServerUnaryReactor* OperatorVerifyEmail(grpc::CallbackServerContext* context,
                                                const v1::OperatorGetAccountRequest* request,
                                                v1::OperatorAccountResponse* response) override;
  grpc::ServerUnaryReactor* OperatorSetPlan(grpc::CallbackServerContext* context,
                                            const v1::OperatorSetPlanRequest* request,
                                            v1::OperatorAccountResponse* response) override;

  grpc::ServerUnaryReactor* DeleteAccount(grpc::CallbackServerContext* context,
                                          const v1::DeleteAccountRequest* request,
                                          v1::DeleteAccountResponse* response) override;
  grpc::ServerUnaryReactor* GetBilling(grpc::CallbackServerContext* context,
                                       const v1::GetBillingRequest* request,
                                       v1::GetBillingResponse* response) override;
  grpc::ServerUnaryReactor* StartCheckout(grpc::CallbackServerContext* context,
                                          const v1::StartCheckoutRequest* request,
                                          v1::StartCheckoutResponse* response) override;
  grpc::ServerUnaryReactor* HandleBillingWebhook(
      grpc::CallbackServerContext* context, const v1::HandleBillingWebhookRequest* request,
      v1::HandleBillingWebhookResponse* response) override;

  // The billing logic; set before serving, must outlive the service.
  void set_billing(Billing* billing) { billing_ = billing; }

 private:
  static constexpr int kIoWorkers = 32;
  // Runs fn(deadline) on `pool` (io_pool_ for Redis calls, hash_pool_ for
  // password hashing) through common::RunOnPool: RESOURCE_EXHAUSTED when the
  // pool's queue is full, DEADLINE_EXCEEDED if the call waited out its
  // deadline in the queue; `deadline` is the caller's or request_budget_
  // from when the work starts, whichever is sooner. Nothing runs on gRPC's
  // callback threads: they are
  // few (on two cores, two), so one stalled Redis primary stalled every
  // call, those for healthy primaries too (the chaos pause test caught it).
  template <typename Fn>
  grpc::ServerUnaryReactor* RunOn(common::WorkerPool& pool, grpc::CallbackServerContext* context,
                                  Fn fn);
  absl::Time DeadlineOf(const grpc::CallbackServerContext* context) const;

  AccountManager* accounts_;
  Metering* metering_;
  Billing* billing_ = nullptr;
  absl::Duration request_budget_;
  // Enough threads that calls to a stalled primary (each blocked up to the
  // Redis call timeout) leave room for the others.
  common::WorkerPool io_pool_;
  common::WorkerPool hash_pool_;  // last member: joined before the rest is destroyed
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_SERVICE_H_
