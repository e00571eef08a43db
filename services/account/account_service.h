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
#include "services/common/unary_handler.h"
#include "services/common/worker_pool.h"

namespace openencoder::account {

class AccountServiceImpl final : public v1::AccountService::CallbackService {
 public:
  // Each pool queues at most `max_queued` calls (0: no bound); past that,
  // calls answer RESOURCE_EXHAUSTED at once (common/pool_runner.h).
  AccountServiceImpl(AccountManager* accounts, Metering* metering, int hash_workers,
                     absl::Duration request_budget, size_t max_queued = common::kDefaultMaxQueued);

  OE_UNARY_METHOD(v1, Register);
  OE_UNARY_METHOD(v1, Login);
  OE_UNARY_METHOD(v1, Logout);
  OE_UNARY_METHOD(v1, GetAccount);
  OE_UNARY_METHOD(v1, ChangePassword);
  OE_UNARY_METHOD(v1, RequestEmailVerification);
  OE_UNARY_METHOD(v1, VerifyEmail);
  OE_UNARY_METHOD(v1, ListSessions);
  OE_UNARY_METHOD(v1, RevokeSession);
  OE_UNARY_METHOD(v1, ValidateSession);
  OE_UNARY_METHOD(v1, CreateGuestSession);
  OE_UNARY_METHOD(v1, ConsumeView);
  OE_UNARY_METHOD(v1, GetQuota);
  OE_UNARY_METHOD(v1, CheckRate);
  OE_UNARY_METHOD(v1, SetPlan);
  OE_UNARY_METHOD(v1, RequestPasswordReset);
  OE_UNARY_METHOD(v1, ResetPassword);
  OE_UNARY_HANDLER(OperatorGetAccount, v1::OperatorGetAccountRequest, v1::OperatorAccountResponse);
  OE_UNARY_HANDLER(OperatorGrantRole, v1::OperatorRoleRequest, v1::OperatorAccountResponse);
  OE_UNARY_HANDLER(OperatorRevokeRole, v1::OperatorRoleRequest, v1::OperatorAccountResponse);
  OE_UNARY_HANDLER(OperatorVerifyEmail, v1::OperatorGetAccountRequest, v1::OperatorAccountResponse);
  OE_UNARY_HANDLER(OperatorSetPlan, v1::OperatorSetPlanRequest, v1::OperatorAccountResponse);

  OE_UNARY_METHOD(v1, DeleteAccount);
  OE_UNARY_METHOD(v1, GetBilling);
  OE_UNARY_METHOD(v1, StartCheckout);
  OE_UNARY_METHOD(v1, HandleBillingWebhook);

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
