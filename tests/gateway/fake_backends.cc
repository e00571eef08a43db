#include "tests/gateway/fake_backends.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "openencoder/catalogue/v1/catalogue_service.grpc.pb.h"
#include "openencoder/search/v1/search_service.grpc.pb.h"
#include "services/common/request_id.h"

namespace openencoder::gateway::testing {
namespace {

using grpc::ServerContext;
using grpc::Status;
using grpc::StatusCode;
namespace acc = account::v1;
namespace cat = catalogue::v1;
namespace srch = search::v1;

struct Code {
  const char* code;
  const char* display;
  const char* title;
  const char* plain;
};
constexpr Code kCodes[] = {
    {"I219", "I21.9", "Acute myocardial infarction, unspecified", "A heart attack"},
    {"I214", "I21.4", "Non-ST elevation (NSTEMI) myocardial infarction", "A type of heart attack"},
    {"E119", "E11.9", "Type 2 diabetes mellitus without complications", "Type 2 diabetes"},
    {"J069", "J06.9", "Acute upper respiratory infection, unspecified", "A common cold"},
    {"E1165", "E11.65", "Type 2 diabetes mellitus with hyperglycemia", "Type 2 diabetes with high blood sugar"},
    {"I10", "I10", "Essential (primary) hypertension", "High blood pressure"},
    {"R51", "R51", "Headache", "A headache"},
    {"J00", "J00", "Acute nasopharyngitis [common cold]", "A common cold"},
};

}  // namespace

struct FakeBackends::State {
  absl::Mutex mu;
  struct Session { std::string account; bool guest; int used = 0; std::map<std::string, bool> seen; };
  std::map<std::string, Session> sessions ABSL_GUARDED_BY(mu);
  std::map<std::string, std::pair<std::string, std::string>> accounts ABSL_GUARDED_BY(mu);  // email -> (password, name)
  std::vector<std::string> request_ids ABSL_GUARDED_BY(mu);
  int next = 0 ABSL_GUARDED_BY(mu);

  void Seen(ServerContext* ctx) {
    absl::MutexLock l(&mu);
    request_ids.push_back(common::RequestIdOf(*ctx));
  }
  acc::SessionToken Issue(const std::string& account, bool guest, int used)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    acc::SessionToken t;
    t.set_token(absl::StrCat("tok", ++next, guest ? "g" : "a"));
    t.set_session_id(absl::StrCat("s", next));
    t.mutable_expires_at()->set_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(24)));
    sessions[t.token()] = Session{account, guest, used, {}};
    return t;
  }
  static int Limit(const Session& s) { return s.guest ? 1 : 6; }
  void FillQuota(const Session& s, acc::Quota* q) {
    q->set_plan(s.guest ? acc::PLAN_GUEST : acc::PLAN_FREE);
    q->set_views_used(s.used);
    q->set_view_limit(Limit(s));
    q->set_views_remaining(std::max(0, Limit(s) - s.used));
  }

  std::unique_ptr<grpc::Service> account, catalogue, search;
  std::unique_ptr<common::RunningServer> server;
};

namespace {

class FakeAccount final : public acc::AccountService::Service {
 public:
  explicit FakeAccount(FakeBackends::State* s) : s_(s) {}
  Status CreateGuestSession(ServerContext* c, const acc::CreateGuestSessionRequest* r,
                            acc::CreateGuestSessionResponse* out) override {
    s_->Seen(c);
    if (r->client_address().empty()) return {StatusCode::INVALID_ARGUMENT, "no client address"};
    absl::MutexLock l(&s_->mu);
    *out->mutable_session() = s_->Issue("", true, 0);
    return Status::OK;
  }
  Status ValidateSession(ServerContext* c, const acc::ValidateSessionRequest* r,
                         acc::ValidateSessionResponse* out) override {
    s_->Seen(c);
    absl::MutexLock l(&s_->mu);
    auto it = s_->sessions.find(r->session_token());
    if (it == s_->sessions.end()) return {StatusCode::UNAUTHENTICATED, "Please sign in again."};
    out->set_account_id(it->second.account);
    out->set_guest(it->second.guest);
    out->set_plan(it->second.guest ? acc::PLAN_GUEST : acc::PLAN_FREE);
    return Status::OK;
  }
  Status GetQuota(ServerContext* c, const acc::GetQuotaRequest* r,
                  acc::GetQuotaResponse* out) override {
    s_->Seen(c);
    absl::MutexLock l(&s_->mu);
    auto it = s_->sessions.find(r->session_token());
    if (it == s_->sessions.end()) return {StatusCode::UNAUTHENTICATED, "Please sign in again."};
    s_->FillQuota(it->second, out->mutable_quota());
    return Status::OK;
  }
  Status GetAccount(ServerContext* c, const acc::GetAccountRequest* r,
                    acc::GetAccountResponse* out) override {
    s_->Seen(c);
    absl::MutexLock l(&s_->mu);
    auto it = s_->sessions.find(r->session_token());
    if (it == s_->sessions.end() || it->second.guest) {
      return {StatusCode::UNAUTHENTICATED, "Please sign in."};
    }
    out->mutable_account()->set_email(it->second.account);
    out->mutable_account()->set_display_name(s_->accounts[it->second.account].second);
    out->mutable_account()->add_roles(acc::ROLE_CODER);
    return Status::OK;
  }
  Status Register(ServerContext* c, const acc::RegisterRequest* r,
                  acc::RegisterResponse* out) override {
    s_->Seen(c);
    if (r->email() == "flood@example.com") {
      c->AddTrailingMetadata("retry-after-ms", "6500");
      return {StatusCode::RESOURCE_EXHAUSTED, "Too many registrations; try again in 7 seconds"};
    }
    if (r->password().size() < 8) {
      return {StatusCode::INVALID_ARGUMENT, "The password must have at least 8 characters."};
    }
    absl::MutexLock l(&s_->mu);
    int used = 0;
    if (auto g = s_->sessions.find(r->guest_session_token()); g != s_->sessions.end()) {
      used = g->second.used;  // the guest's views carry over
    }
    s_->accounts[r->email()] = {r->password(), r->display_name()};
    *out->mutable_session() = s_->Issue(r->email(), false, used);
    out->mutable_account()->set_email(r->email());
    return Status::OK;
  }
  Status Login(ServerContext* c, const acc::LoginRequest* r, acc::LoginResponse* out) override {
    s_->Seen(c);
    absl::MutexLock l(&s_->mu);
    auto it = s_->accounts.find(r->email());
    if (it == s_->accounts.end() || it->second.first != r->password()) {
      return {StatusCode::UNAUTHENTICATED, "email or password is incorrect"};
    }
    int used = 0;
    for (const auto& [t, s] : s_->sessions) {
      if (s.account == r->email()) used = std::max(used, s.used);
    }
    *out->mutable_session() = s_->Issue(r->email(), false, used);
    return Status::OK;
  }
  Status Logout(ServerContext* c, const acc::LogoutRequest* r, acc::LogoutResponse*) override {
    s_->Seen(c);
    absl::MutexLock l(&s_->mu);
    s_->sessions.erase(r->session_token());
    return Status::OK;
  }

 private:
  FakeBackends::State* s_;
};

class FakeCatalogue final : public cat::CatalogueService::Service {
 public:
  explicit FakeCatalogue(FakeBackends::State* s) : s_(s) {}
  Status GetCodePage(ServerContext* c, const cat::GetCodePageRequest* r,
                     cat::GetCodePageResponse* out) override {
    s_->Seen(c);
    std::string code = absl::AsciiStrToUpper(r->code());
    code.erase(std::remove(code.begin(), code.end(), '.'), code.end());
    const Code* found = nullptr;
    for (const Code& k : kCodes) {
      if (code == k.code) found = &k;
    }
    if (found == nullptr) return {StatusCode::NOT_FOUND, absl::StrCat("No code ", r->code())};
    cat::CodeSummary summary;
    summary.set_system(cat::CODE_SYSTEM_ICD10CM);
    summary.set_code(found->code);
    summary.set_display_code(found->display);
    summary.set_title(found->title);
    summary.set_short_title(found->title);
    absl::MutexLock l(&s_->mu);
    auto it = s_->sessions.find(r->session_token());
    cat::Meter* m = out->mutable_meter();
    m->set_available(true);
    if (it == s_->sessions.end()) {
      out->mutable_teaser()->set_reason(cat::TEASER_REASON_NO_SESSION);
      *out->mutable_teaser()->mutable_code() = summary;
      out->mutable_teaser()->set_action("Register to view content");
      return Status::OK;
    }
    auto& sess = it->second;
    int limit = FakeBackends::State::Limit(sess);
    bool allowed = sess.seen.count(code) > 0 || sess.used < limit;
    if (allowed && sess.seen.count(code) == 0) {
      sess.used++;
      sess.seen[code] = true;
    }
    int left = std::max(0, limit - sess.used);
    m->set_views_remaining(left);
    m->set_view_limit(limit);
    m->set_plan(sess.guest ? "guest" : "free");
    m->set_message(absl::StrCat(left, " code page views remaining"));
    if (sess.guest) m->set_upgrade_hint("Register a free account to get 5 more views");
    if (!allowed) {
      out->mutable_teaser()->set_reason(cat::TEASER_REASON_QUOTA_EXHAUSTED);
      *out->mutable_teaser()->mutable_code() = summary;
      out->mutable_teaser()->set_action("Register to view content");
      return Status::OK;
    }
    cat::CodePage* page = out->mutable_page();
    summary.set_family("I21 Acute myocardial infarction");
    summary.set_plain_language(found->plain);
    *page->mutable_code() = summary;
    page->mutable_descriptors()->set_plain_language(found->plain);
    page->mutable_descriptors()->set_official_long(found->title);
    page->mutable_mue()->set_units(1);
    page->mutable_mue()->set_demo(true);
    return Status::OK;
  }
  Status CheckClaim(ServerContext* c, const cat::CheckClaimRequest* r,
                    cat::CheckClaimResponse* out) override {
    s_->Seen(c);
    if (r->lines().empty()) return {StatusCode::INVALID_ARGUMENT, "A claim needs at least one line."};
    out->set_clean(r->lines_size() < 2);
    out->set_summary(out->clean() ? "No conflicts." : "1 NCCI conflict.");
    if (!out->clean()) {
      auto* conflict = out->add_ncci_conflicts();
      conflict->set_explanation(absl::StrCat(r->lines(1).code(), " is part of ",
                                             r->lines(0).code(), " and is not paid separately."));
    }
    return Status::OK;
  }

 private:
  FakeBackends::State* s_;
};

class FakeSearch final : public srch::SearchService::Service {
 public:
  explicit FakeSearch(FakeBackends::State* s) : s_(s) {}
  Status Search(ServerContext* c, const srch::SearchRequest* r,
                srch::SearchResponse* out) override {
    s_->Seen(c);
    if (r->query().empty()) return {StatusCode::INVALID_ARGUMENT, "Type something to search for."};
    std::string q = absl::AsciiStrToLower(r->query());
    if (q == "hart attack") out->set_corrected_query("heart attack");
    bool heart = absl::StrContains(q, "heart") || absl::StrContains(q, "hart");
    for (const Code& k : kCodes) {
      bool match = (heart && absl::StartsWith(k.code, "I21")) ||
                   absl::StrContains(absl::AsciiStrToLower(k.title), q) ||
                   absl::StartsWith(absl::AsciiStrToLower(k.code), q);
      if (!match) continue;
      srch::SearchHit* h = out->add_hits();
      h->set_system(cat::CODE_SYSTEM_ICD10CM);
      h->set_code(k.code);
      h->set_display_code(k.display);
      h->set_title(k.title);
      h->set_snippet(k.title);
      h->set_plain_language(k.plain);
    }
    out->set_total_count(out->hits_size());
    return Status::OK;
  }

 private:
  FakeBackends::State* s_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<FakeBackends>> FakeBackends::Start() {
  std::unique_ptr<FakeBackends> f(new FakeBackends());
  f->state_ = std::make_unique<State>();
  State* s = f->state_.get();
  s->account = std::make_unique<FakeAccount>(s);
  s->catalogue = std::make_unique<FakeCatalogue>(s);
  s->search = std::make_unique<FakeSearch>(s);
  common::ServerOptions options;
  options.service_name = "fakes";
  options.log_calls = false;
  auto server = common::RunningServer::Start(
      options, {common::Bind<acc::AccountService>(s->account.get()),
                common::Bind<cat::CatalogueService>(s->catalogue.get()),
                common::Bind<srch::SearchService>(s->search.get())});
  if (!server.ok()) return server.status();
  s->server = *std::move(server);
  return f;
}

FakeBackends::~FakeBackends() {
  if (state_ && state_->server) state_->server->Shutdown();
}

std::string FakeBackends::address() const { return state_->server->address(); }

std::vector<std::string> FakeBackends::request_ids() const {
  absl::MutexLock l(&state_->mu);
  return state_->request_ids;
}

}  // namespace openencoder::gateway::testing
