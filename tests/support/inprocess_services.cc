#include "tests/support/inprocess_services.h"

#include <utility>

#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "openencoder/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/account/account_backend.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/quota_client.h"
#include "services/catalogue/store/catalogue_loader.h"
#include "services/catalogue/store/snapshot_holder.h"
#include "services/common/server.h"
#include "services/search/grpc_code_source.h"
#include "tests/support/capturing_mail_sender.h"
#include "tests/support/source_paths.h"

namespace openencoder::test_support {

// Each part owns what its service is made of, server last: members are
// destroyed in reverse, so the server goes before what it serves.
struct InProcessServices::Account {
  CapturingMailSender* mail = nullptr;  // owned by the backend; null if not capturing
  std::unique_ptr<account::AccountBackend> backend;
  std::unique_ptr<common::RunningServer> server;
};

struct InProcessServices::Catalogue {
  std::unique_ptr<catalogue::SnapshotHolder> snapshots;
  std::unique_ptr<catalogue::QuotaClient> quota;
  std::unique_ptr<catalogue::CatalogueServiceImpl> service;
  std::unique_ptr<common::RunningServer> server;
};

struct InProcessServices::Search {
  std::unique_ptr<search::GrpcCodeSource> code_source;
  search::IndexHolder index;
  std::unique_ptr<search::IndexRefresher> refresher;
  std::unique_ptr<search::SearchServiceImpl> service;
  std::unique_ptr<common::RunningServer> server;  // null when not served
};

namespace {

absl::StatusOr<std::unique_ptr<common::RunningServer>> Serve(const std::string& name,
                                                             common::ServiceBinding binding) {
  common::ServerOptions options;
  options.service_name = name;
  options.log_calls = false;    // the test's output is about the test
  options.tls_identity = name;  // each presents its own certificate, as deployed
  return common::RunningServer::Start(options, {std::move(binding)});
}

absl::StatusOr<std::unique_ptr<InProcessServices::Account>> StartAccount(
    InProcessAccount options, const redis::RedisOptions& redis) {
  absl::StatusOr<account::PasswordPolicy> policy =
      options.common_passwords_file.empty()
          ? account::PasswordPolicy({"password"})
          : account::PasswordPolicy::FromFile(options.common_passwords_file);
  if (!policy.ok()) return policy.status();
  // The cheapest cost argon2id allows (1 pass, 1 MiB).
  absl::StatusOr<account::PasswordHasher> hasher = account::PasswordHasher::Create(
      account::HashCost{1, size_t{1} << 20}, /*allow_weak_for_tests=*/true);
  if (!hasher.ok()) return hasher.status();
  auto part = std::make_unique<InProcessServices::Account>();
  if (options.mail_sender == nullptr) options.mail_sender = std::make_unique<CapturingMailSender>();
  part->mail = dynamic_cast<CapturingMailSender*>(options.mail_sender.get());
  account::MailOutboxOptions mail_options;
  mail_options.poll_interval = absl::Milliseconds(100);
  mail_options.initial_backoff = absl::Milliseconds(200);
  absl::StatusOr<std::unique_ptr<account::AccountBackend>> backend =
      account::AccountBackend::Create(std::move(options.config), *std::move(policy),
                                      *std::move(hasher), redis, std::move(options.mail_sender),
                                      mail_options);
  if (!backend.ok()) return backend.status();
  part->backend = *std::move(backend);
  absl::StatusOr<std::unique_ptr<common::RunningServer>> server =
      Serve("account", common::Bind<account::v1::AccountService>(part->backend->service()));
  if (!server.ok()) return server.status();
  part->server = *std::move(server);
  return part;
}

absl::StatusOr<std::unique_ptr<InProcessServices::Catalogue>> StartCatalogue(
    InProcessCatalogue options, const std::string& account_address) {
  if (options.manifest.empty()) options.manifest = DemoManifest();
  if (options.quota_address.empty()) {
    options.quota_address = account_address.empty() ? "127.0.0.1:1" : account_address;
  }
  catalogue::LoadOptions load;
  load.variables = std::move(options.variables);
  absl::StatusOr<catalogue::LoadResult> loaded =
      catalogue::LoadCatalogueFromManifest(options.manifest, load);
  if (!loaded.ok()) return loaded.status();
  auto part = std::make_unique<InProcessServices::Catalogue>();
  part->snapshots = std::make_unique<catalogue::SnapshotHolder>(loaded->snapshot);
  part->quota = std::make_unique<catalogue::GrpcQuotaClient>(
      common::MakeChannel(options.quota_address, options.quota_channel), options.quota_timeout);
  part->service =
      std::make_unique<catalogue::CatalogueServiceImpl>(part->snapshots.get(), part->quota.get());
  absl::StatusOr<std::unique_ptr<common::RunningServer>> server =
      Serve("catalogue", common::Bind<catalogue::v1::CatalogueService>(part->service.get()));
  if (!server.ok()) return server.status();
  part->server = *std::move(server);
  return part;
}

absl::StatusOr<std::unique_ptr<InProcessServices::Search>> StartSearch(
    InProcessSearch options, const std::string& catalogue_address) {
  if (options.catalogue_address.empty()) options.catalogue_address = catalogue_address;
  if (options.catalogue_address.empty()) {
    return absl::InvalidArgumentError("search needs a catalogue: start one or name its address");
  }
  if (options.synonyms.empty()) options.synonyms = SourcePath("data/search/synonyms.tsv");
  absl::StatusOr<search::SynonymTable> synonyms = search::SynonymTable::LoadFile(options.synonyms);
  if (!synonyms.ok()) return synonyms.status();
  auto part = std::make_unique<InProcessServices::Search>();
  part->code_source = std::make_unique<search::GrpcCodeSource>(
      common::MakeChannel(options.catalogue_address, options.catalogue_channel),
      options.stream_timeout);
  part->refresher = std::make_unique<search::IndexRefresher>(
      part->code_source.get(), *std::move(synonyms), &part->index, options.poll_interval);
  absl::StatusOr<std::vector<search::ProcedureTerm>> procedures =
      search::LoadProcedureTerms(SourcePath("data/search/procedure_terms.tsv"));
  if (!procedures.ok()) return procedures.status();
  part->refresher->SetProcedureTerms(*std::move(procedures));
  if (options.build_index) {
    if (absl::Status s = part->refresher->RefreshNow(); !s.ok()) return s;
  }
  search::IndexRefresher* refresher = part->refresher.get();
  part->service = std::make_unique<search::SearchServiceImpl>(
      &part->index, [refresher] { return refresher->snapshot_id(); }, options.answer_cache_bytes);
  if (options.serve) {
    absl::StatusOr<std::unique_ptr<common::RunningServer>> server =
        Serve("search", common::Bind<search::v1::SearchService>(part->service.get()));
    if (!server.ok()) return server.status();
    part->server = *std::move(server);
  }
  return part;
}

}  // namespace

absl::Status InProcessServices::VerifyEmail(const std::string& email) {
  if (account_ == nullptr || account_->mail == nullptr) {
    return absl::FailedPreconditionError("no in-process account service capturing mail");
  }
  const std::string token =
      account_->mail->WaitForLink(email, account_->backend->config().verify_url_prefix);
  if (token.empty()) return absl::NotFoundError("no verification link was mailed to " + email);
  auto stub = account::v1::AccountService::NewStub(common::MakeChannel(account_address()));
  account::v1::VerifyEmailRequest request;
  request.set_token(token);
  account::v1::VerifyEmailResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  grpc::Status s = stub->VerifyEmail(&context, request, &response);
  if (!s.ok())
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<InProcessServices>> InProcessServices::Start(
    InProcessOptions options) {
  // On an error the services started so far go away with `services`, in
  // the destructor's order.
  auto services = std::unique_ptr<InProcessServices>(new InProcessServices());
  if (options.account.has_value()) {
    auto part = StartAccount(*std::move(options.account), options.redis);
    if (!part.ok()) return part.status();
    services->account_ = *std::move(part);
  }
  if (options.catalogue.has_value()) {
    auto part = StartCatalogue(*std::move(options.catalogue), services->account_address());
    if (!part.ok()) return part.status();
    services->catalogue_ = *std::move(part);
  }
  if (options.search.has_value()) {
    auto part = StartSearch(*std::move(options.search), services->catalogue_address());
    if (!part.ok()) return part.status();
    services->search_ = *std::move(part);
  }
  return services;
}

InProcessServices::~InProcessServices() {
  if (search_ != nullptr) {
    if (search_->server) search_->server->Shutdown();
    // Its thread (if a test started it) streams from the catalogue.
    search_->refresher->Stop();
  }
  if (catalogue_ != nullptr) catalogue_->server->Shutdown();
  if (account_ != nullptr) account_->server->Shutdown();
  // The parts themselves go in reverse declaration order: search, catalogue,
  // account.
}

account::AccountBackend* InProcessServices::account_backend() {
  return account_ == nullptr ? nullptr : account_->backend.get();
}

std::string InProcessServices::account_address() const {
  return account_ != nullptr ? account_->server->address() : "";
}
std::string InProcessServices::catalogue_address() const {
  return catalogue_ != nullptr ? catalogue_->server->address() : "";
}
std::string InProcessServices::search_address() const {
  return search_ != nullptr && search_->server != nullptr ? search_->server->address() : "";
}

std::shared_ptr<const catalogue::CatalogueSnapshot> InProcessServices::catalogue_snapshot() const {
  return catalogue_ != nullptr ? catalogue_->snapshots->Current() : nullptr;
}

search::IndexRefresher* InProcessServices::search_refresher() {
  return search_ != nullptr ? search_->refresher.get() : nullptr;
}
search::SearchServiceBase* InProcessServices::search_service() {
  return search_ != nullptr ? search_->service.get() : nullptr;
}

}  // namespace openencoder::test_support
