// oe_bench_fake_account: the in-memory AccountService of the catalogue tests
// (tests/catalogue/service/fake_account_service.h) as a stand-alone server,
// so run.sh can measure the catalogue's metered path without Redis. Sessions
// "paid" (unlimited) and "free" (2 codes a month; re-opening is free).
#include "services/common/server.h"
#include "tests/catalogue/service/fake_account_service.h"

int main(int argc, char** argv) {
  auto options = openencoder::common::InitServerProcess(argc, argv, "fake_account", 50052);
  options.log_calls = false;
  openencoder::catalogue::testing::FakeAccountService service;
  auto status = openencoder::common::ServeUntilSignal(
      options, {openencoder::common::Bind<openencoder::account::v1::AccountService>(&service)});
  return status.ok() ? 0 : 1;
}
