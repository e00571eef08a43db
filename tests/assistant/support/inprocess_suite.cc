#include "tests/assistant/support/inprocess_suite.h"

#include <utility>

#include "absl/time/civil_time.h"
#include "services/common/client.h"
#include "tests/assistant/support/question_set.h"
#include "tests/support/inprocess_services.h"

namespace openencoder::assistant::testing {

namespace {

// The quality suite's account: a guest with 1 of 1 monthly code-page views
// left, for the labelled account questions (kQualitySession). The real
// account service answers them in oe_assistant_e2e_test.
class FixedQuota final : public QuotaTools {
 public:
  absl::StatusOr<account::v1::ValidateSessionResponse> ValidateSession(absl::string_view,
                                                                       absl::string_view) override {
    return absl::UnimplementedError("not used by the engine");
  }
  absl::StatusOr<account::v1::CheckRateResponse> CheckRate(absl::string_view, absl::string_view,
                                                           absl::string_view,
                                                           absl::string_view) override {
    return absl::UnimplementedError("not used by the engine");
  }
  absl::StatusOr<account::v1::Quota> GetQuota(absl::string_view session_token,
                                              absl::string_view) override {
    if (session_token != kQualitySession) return absl::UnauthenticatedError("unknown session");
    account::v1::Quota q;
    q.set_plan(account::v1::PLAN_GUEST);
    q.set_view_limit(1);
    q.set_views_remaining(1);
    q.mutable_window_end()->set_seconds(absl::ToUnixSeconds(
        absl::FromCivil(absl::CivilMonth(absl::ToCivilMonth(absl::Now(), absl::UTCTimeZone())) + 1,
                        absl::UTCTimeZone())));
    return q;
  }
};

}  // namespace

struct InProcessSuite::Parts {
  FixedQuota quota;
  std::unique_ptr<test_support::InProcessServices> services;
  std::unique_ptr<GrpcCatalogueTools> catalogue_tools;
  std::unique_ptr<GrpcSearchTools> search_tools;
  std::unique_ptr<KnowledgeBase> knowledge;
  LocalityTable localities;
  std::unique_ptr<AnswerEngine> engine;
};

// The services shut down (callers first) when `services` goes, after the
// tools and the engine that call them.
InProcessSuite::~InProcessSuite() = default;

absl::StatusOr<std::unique_ptr<InProcessSuite>> InProcessSuite::Start(SuiteOptions options) {
  if (options.manifest.empty()) options.manifest = test_support::DemoManifest();
  if (options.shared_data.empty()) options.shared_data = test_support::SharedDataDir();
  if (options.gpci_csv.empty()) {
    options.gpci_csv = test_support::SourcePath("data/demo/mpfs/GPCI2024_demo.csv");
  }

  auto suite = std::unique_ptr<InProcessSuite>(new InProcessSuite());
  suite->parts_ = std::make_unique<Parts>();
  Parts& p = *suite->parts_;

  // The index and the tools dial without health checks: every server here is
  // up before anything calls it.
  common::ChannelOptions channel_options;
  channel_options.health_check = false;
  channel_options.client_identity = "assistant";  // as services/assistant/main.cc
  test_support::InProcessOptions services;
  test_support::InProcessCatalogue& catalogue = services.catalogue.emplace();
  catalogue.manifest = options.manifest;
  catalogue.variables["OE_SHARED_DATA"] = options.shared_data;
  catalogue.quota_timeout = absl::Milliseconds(100);  // nothing the assistant calls is metered
  common::ChannelOptions index_options = channel_options;
  index_options.client_identity = "search";  // StreamCodes answers only to search
  services.search.emplace().catalogue_channel = index_options;
  absl::StatusOr<std::unique_ptr<test_support::InProcessServices>> started =
      test_support::InProcessServices::Start(std::move(services));
  if (!started.ok()) return started.status();
  p.services = *std::move(started);

  const absl::Duration timeout = absl::Seconds(5);
  p.catalogue_tools = std::make_unique<GrpcCatalogueTools>(
      common::MakeChannel(p.services->catalogue_address(), channel_options), timeout);
  p.search_tools = std::make_unique<GrpcSearchTools>(
      common::MakeChannel(p.services->search_address(), channel_options), timeout);
  absl::StatusOr<std::unique_ptr<KnowledgeBase>> kb = KnowledgeBase::Load(
      test_support::SourcePath("data/assistant/knowledge"), GuidelinesPdf(options.shared_data));
  if (!kb.ok()) return kb.status();
  p.knowledge = *std::move(kb);
  absl::StatusOr<LocalityTable> localities = LocalityTable::Load(options.gpci_csv);
  if (!localities.ok()) return localities.status();
  p.localities = *std::move(localities);
  EngineDeps deps{p.catalogue_tools.get(), p.search_tools.get(), p.knowledge.get(), &p.localities,
                  nullptr};
  deps.account = &p.quota;
  p.engine = std::make_unique<AnswerEngine>(deps);
  return suite;
}

CatalogueTools* InProcessSuite::catalogue() { return parts_->catalogue_tools.get(); }
SearchTools* InProcessSuite::search() { return parts_->search_tools.get(); }
const KnowledgeBase* InProcessSuite::knowledge() { return parts_->knowledge.get(); }
const LocalityTable* InProcessSuite::localities() { return &parts_->localities; }
AnswerEngine* InProcessSuite::engine() { return parts_->engine.get(); }
std::string InProcessSuite::catalogue_address() const {
  return parts_->services->catalogue_address();
}
std::string InProcessSuite::search_address() const { return parts_->services->search_address(); }

}  // namespace openencoder::assistant::testing
