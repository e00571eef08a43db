// The real account, catalogue and search services, started in-process for
// integration tests: any subset of them, each served over real gRPC on a free
// loopback port and wired to the others as their main.cc wires them (the
// catalogue meters views through the account service, search indexes the
// catalogue's StreamCodes). The account service keeps its data in a Redis the
// caller started (tests/support/redis_server.h), so that a test can also
// stop, pause or inspect that Redis.
//
// Example:
//   auto redis = test_support::RedisServer::Start();
//   ASSERT_TRUE(redis.ok()) << redis.status();
//   test_support::InProcessOptions options;
//   options.redis.port = (*redis)->port();
//   options.account.emplace().config.admin_emails = {"admin@example.com"};
//   options.catalogue.emplace();  // the demo data, metered by that account service
//   options.search.emplace();     // indexes that catalogue before Start returns
//   auto services = test_support::InProcessServices::Start(std::move(options));
//   ASSERT_TRUE(services.ok()) << services.status();
//   auto stub = search::v1::SearchService::NewStub(
//       common::MakeChannel((*services)->search_address()));
//
// Destroy the services before the Redis they use. Not thread-safe: start and
// destroy them from the test's thread; the servers themselves take calls from
// any thread.
#ifndef OPENENCODER_TESTS_SUPPORT_INPROCESS_SERVICES_H_
#define OPENENCODER_TESTS_SUPPORT_INPROCESS_SERVICES_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/account/account_backend.h"
#include "services/account/account_config.h"
#include "services/catalogue/store/catalogue_snapshot.h"
#include "services/catalogue/store/manifest.h"
#include "services/common/client.h"
#include "services/common/mail/mail_sender.h"
#include "services/common/redis/redis_options.h"
#include "services/search/index_refresher.h"
#include "services/search/search_config.h"
#include "services/search/search_service.h"

namespace openencoder::test_support {

struct InProcessAccount {
  // Used as given, except the password hash cost: the account tests check
  // the production cost, everyone else wants registrations to be fast.
  account::AccountConfig config;
  // The list of common passwords to refuse; empty: the one word "password".
  std::string common_passwords_file;
  // Where mail goes; null: a test_support::CapturingMailSender of the
  // suite's own (what VerifyEmail below reads). The outbox polls every 100 ms.
  std::unique_ptr<common::mail::MailSender> mail_sender;
};

struct InProcessCatalogue {
  // Empty: the demo data set (source_paths.h DemoManifest()).
  std::string manifest;
  // ${NAME} values for the manifest's paths, e.g. {"OE_SHARED_DATA", dir}.
  catalogue::ManifestVariables variables;
  // Where views are metered. Empty: the account service started alongside,
  // else 127.0.0.1:1, where nothing listens (for suites that make no
  // metered call: the meter then refuses at once).
  std::string quota_address;
  absl::Duration quota_timeout = absl::Seconds(2);
  // As services/catalogue/main.cc: a ConsumeView is safe to send twice.
  // Its calls present the catalogue's certificate (ConsumeView answers only
  // to it: services/common/method_acl.cc).
  common::ChannelOptions quota_channel{
      .idempotent_methods = {"openencoder.account.v1.AccountService/ConsumeView"},
      .client_identity = "catalogue"};
};

struct InProcessSearch {
  // The catalogue to index. Empty: the one started alongside.
  std::string catalogue_address;
  // Presents the search certificate (StreamCodes answers only to it).
  common::ChannelOptions catalogue_channel{.client_identity = "search"};
  absl::Duration stream_timeout = absl::Minutes(5);
  // Empty: the repository's data/search/synonyms.tsv.
  std::string synonyms;
  // The refresher never polls by itself here (tests call RefreshNow()); the
  // interval only matters to a test that calls search_refresher()->Start().
  absl::Duration poll_interval = absl::Hours(24);
  // Build the first index before Start returns. Off: search answers
  // UNAVAILABLE until the test calls search_refresher()->RefreshNow().
  bool build_index = true;
  // The Search answer cache, on as in production; 0 turns it off.
  size_t answer_cache_bytes = search::SearchConfig{}.answer_cache_bytes;
  // Off: no search server; the test hosts search_service() on a server of
  // its own (to stop it, or to add an interceptor).
  bool serve = true;
};

struct InProcessOptions {
  // The Redis the account service keeps its data in (host, port, pool size).
  redis::RedisOptions redis;
  // Each service that is set is started; dependencies in the order above.
  std::optional<InProcessAccount> account;
  std::optional<InProcessCatalogue> catalogue;
  std::optional<InProcessSearch> search;
};

class InProcessServices {
 public:
  // Starts the services that `options` names. Errors: whatever kept one of
  // them from starting (a data file missing, Redis unreachable, the first
  // index not built); the ones started already are shut down again.
  static absl::StatusOr<std::unique_ptr<InProcessServices>> Start(InProcessOptions options);

  // Shuts the servers down callers first (search, its refresher, catalogue,
  // account), so that no service outlives what it calls or is called while
  // it goes away.
  ~InProcessServices();

  // Verifies `email` as its owner would: waits (up to 20 s) for the link
  // mailed on registration and sends its token to VerifyEmail. Free accounts
  // get their extra views and OE_ADMIN_EMAILS addresses their admin role
  // only then. Works when the mail sender is a CapturingMailSender (the
  // default). Errors: NOT_FOUND (no link came), VerifyEmail's.
  absl::Status VerifyEmail(const std::string& email);

  // "127.0.0.1:<port>" of each served service; "" for one not started.
  std::string account_address() const;
  std::string catalogue_address() const;
  std::string search_address() const;

  // The account service's parts (its erasure outbox, its Redis); null when
  // the account service was not started.
  account::AccountBackend* account_backend();

  // The catalogue's current snapshot (to compare what it serves with what
  // it loaded); null when the catalogue was not started.
  std::shared_ptr<const catalogue::CatalogueSnapshot> catalogue_snapshot() const;

  // The search side, for tests that drive the index or host the service
  // themselves; null when search was not started.
  search::IndexRefresher* search_refresher();
  search::SearchServiceBase* search_service();

  struct Account;
  struct Catalogue;
  struct Search;

 private:
  InProcessServices() = default;

  // Declared in start order, so that they are destroyed callers first.
  std::unique_ptr<Account> account_;
  std::unique_ptr<Catalogue> catalogue_;
  std::unique_ptr<Search> search_;
};

}  // namespace openencoder::test_support

#endif  // OPENENCODER_TESTS_SUPPORT_INPROCESS_SERVICES_H_
