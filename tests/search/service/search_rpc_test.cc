// Case2Code through a real gRPC channel: a real catalogue server (demo data,
// in-process on a loopback port) streams its codes to the search service's
// refresher, and a real client queries the search server. Covers every kind
// of query, filters, paging, bad input, and an edition swap under concurrent
// searches.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "openencoder/search/v1/search_service.grpc.pb.h"
#include "services/common/client.h"
#include "services/search/grpc_code_source.h"
#include "services/search/index_refresher.h"
#include "tests/support/inprocess_services.h"
#include "tests/support/source_paths.h"

namespace openencoder::search {
namespace {

namespace cv1 = ::openencoder::catalogue::v1;
namespace sv1 = ::openencoder::search::v1;

// A catalogue server serving one manifest. Its meter is never asked here
// (StreamCodes and GetEditions are unmetered), so it points nowhere.
absl::StatusOr<std::unique_ptr<test_support::InProcessServices>> StartCatalogue(
    const std::string& manifest) {
  test_support::InProcessOptions options;
  options.catalogue.emplace().manifest = manifest;
  options.catalogue->quota_timeout = absl::Milliseconds(100);
  return test_support::InProcessServices::Start(std::move(options));
}

// Edition B: the demo manifest without its HCPCS codes, absolute paths.
absl::StatusOr<std::unique_ptr<test_support::InProcessServices>> StartEditionWithoutHcpcs() {
  std::string demo_dir = test_support::SourcePath("data/demo/");
  std::ifstream in(demo_dir + "manifest.tsv");
  std::string manifest_b = ::testing::TempDir() + "/edition-b-manifest.tsv";
  std::ofstream out(manifest_b);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || absl::StartsWith(line, "hcpcs-fixed")) continue;
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    cols[1] = demo_dir + cols[1];
    out << absl::StrJoin(cols, "\t") << "\n";
  }
  out.close();
  return StartCatalogue(manifest_b);
}

// The search side exactly as main.cc wires it, on port 0.
class SearchRpcTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto catalogue = StartCatalogue(test_support::DemoManifest());
    ASSERT_TRUE(catalogue.ok()) << catalogue.status();
    catalogue_ = catalogue->release();
  }
  static void TearDownTestSuite() {
    delete catalogue_;
    catalogue_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(catalogue_, nullptr);
    test_support::InProcessOptions options;
    test_support::InProcessSearch& search = options.search.emplace();
    search.catalogue_address = catalogue_->catalogue_address();
    search.stream_timeout = absl::Seconds(30);
    search.poll_interval = absl::Hours(1);
    search.build_index = false;  // each test builds it with BuildIndex(), or checks before
    auto started = test_support::InProcessServices::Start(std::move(options));
    ASSERT_TRUE(started.ok()) << started.status();
    search_ = *std::move(started);
    refresher_ = search_->search_refresher();
    stub_ = sv1::SearchService::NewStub(common::MakeChannel(search_->search_address()));
  }

  void BuildIndex() { ASSERT_TRUE(refresher_->RefreshNow().ok()); }

  grpc::Status Search(const sv1::SearchRequest& request, sv1::SearchResponse* response) {
    auto context = common::MakeClientContext(absl::Seconds(5));
    return stub_->Search(context.get(), request, response);
  }

  sv1::SearchResponse MustSearch(const std::string& query, int page_size = 10) {
    sv1::SearchRequest request;
    request.set_query(query);
    request.set_page_size(page_size);
    sv1::SearchResponse response;
    grpc::Status status = Search(request, &response);
    EXPECT_TRUE(status.ok()) << query << ": " << status.error_message();
    return response;
  }

  static bool HasReason(const sv1::SearchHit& hit, sv1::MatchKind kind) {
    for (const auto& r : hit.reasons()) {
      if (r.kind() == kind) return true;
    }
    return false;
  }

  static bool AnyHitStartsWith(const sv1::SearchResponse& r, const std::string& prefix, int top) {
    for (int i = 0; i < r.hits_size() && i < top; ++i) {
      if (absl::StartsWith(r.hits(i).code(), prefix)) return true;
    }
    return false;
  }

  static test_support::InProcessServices* catalogue_;
  std::unique_ptr<test_support::InProcessServices> search_;
  IndexRefresher* refresher_ = nullptr;  // search_'s
  std::unique_ptr<sv1::SearchService::Stub> stub_;
};

test_support::InProcessServices* SearchRpcTest::catalogue_ = nullptr;

// Issue 16 over gRPC on the demo catalogue: the index built from
// StreamCodes carries the Alphabetic Index ("Attack, heart -> see Infarct,
// myocardium", I21.- in the demo index) and the reason reaches the client;
// ICD-9-CM only through the systems filter.
TEST_F(SearchRpcTest, HeartAttackReachesI21ThroughTheIndexAndIcd9OnlyWithTheFilter) {
  BuildIndex();
  sv1::SearchResponse heart = MustSearch("heart attack");
  ASSERT_GT(heart.hits_size(), 0);
  EXPECT_TRUE(absl::StartsWith(heart.hits(0).code(), "I21")) << heart.hits(0).code();
  std::string detail;
  for (const auto& r : heart.hits(0).reasons()) {
    if (r.kind() == sv1::MATCH_KIND_INDEX) detail = r.detail();
  }
  EXPECT_EQ(detail, "Attack, attacks, heart -> see Infarct, myocardium (I21.-)");

  for (const std::string query : {"bronchitis", "acute bronchitis", "466.0", "hypertension"}) {
    sv1::SearchResponse r = MustSearch(query, 50);
    for (const auto& hit : r.hits()) {
      EXPECT_NE(hit.system(), cv1::CODE_SYSTEM_ICD9CM) << query << " -> " << hit.code();
    }
  }
  sv1::SearchRequest request;
  request.set_query("acute bronchitis");
  request.mutable_filters()->add_systems(cv1::CODE_SYSTEM_ICD9CM);
  sv1::SearchResponse legacy;
  ASSERT_TRUE(Search(request, &legacy).ok());
  ASSERT_GT(legacy.hits_size(), 0);
  EXPECT_EQ(legacy.hits(0).code(), "4660");
  EXPECT_EQ(legacy.hits(0).system(), cv1::CODE_SYSTEM_ICD9CM);
}

TEST_F(SearchRpcTest, BeforeTheFirstIndexSearchIsUnavailableButBadInputIsStillInvalid) {
  sv1::SearchRequest request;
  request.set_query("diabetes");
  sv1::SearchResponse response;
  EXPECT_EQ(Search(request, &response).error_code(), grpc::UNAVAILABLE);
  request.set_query("");
  EXPECT_EQ(Search(request, &response).error_code(), grpc::INVALID_ARGUMENT);
}

TEST_F(SearchRpcTest, ExactCodeInAnyCaseWithOrWithoutDotRanksFirst) {
  BuildIndex();
  for (const char* q : {"E11.9", "e119", " e11.9 ", "J1100"}) {
    sv1::SearchResponse r = MustSearch(q);
    ASSERT_GT(r.hits_size(), 0) << q;
    std::string want = absl::StrContains(q, "J") ? "J1100" : "E119";
    EXPECT_EQ(r.hits(0).code(), want) << q;
    EXPECT_TRUE(HasReason(r.hits(0), sv1::MATCH_KIND_EXACT_CODE)) << q;
  }
}

TEST_F(SearchRpcTest, PartialCodeFindsTheFamilyFirst) {
  BuildIndex();
  sv1::SearchResponse r = MustSearch("E11");
  ASSERT_GE(r.hits_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(absl::StartsWith(r.hits(i).code(), "E11")) << r.hits(i).code();
    EXPECT_TRUE(HasReason(r.hits(i), sv1::MATCH_KIND_CODE_PREFIX) ||
                HasReason(r.hits(i), sv1::MATCH_KIND_EXACT_CODE));
  }
}

TEST_F(SearchRpcTest, AsYouTypeWordPrefixesMatchEveryWord) {
  BuildIndex();
  sv1::SearchResponse r = MustSearch("diab mell typ 2");
  ASSERT_GT(r.hits_size(), 0);
  EXPECT_TRUE(absl::StartsWith(r.hits(0).code(), "E11")) << r.hits(0).code();
  EXPECT_FALSE(r.partial());
  EXPECT_NE(r.hits(0).snippet().find("<mark>"), std::string::npos);
  EXPECT_GT(r.hits(0).highlights_size(), 0);
}

TEST_F(SearchRpcTest, MisspellingIsCorrectedAndSaidSo) {
  BuildIndex();
  sv1::SearchResponse r = MustSearch("diabetis");
  ASSERT_GT(r.hits_size(), 0);
  EXPECT_NE(r.corrected_query().find("diabetes"), std::string::npos) << r.corrected_query();
  EXPECT_TRUE(AnyHitStartsWith(r, "E1", 3));
}

TEST_F(SearchRpcTest, LayTermsAndAbbreviationsGoThroughTheSynonymTable) {
  BuildIndex();
  sv1::SearchResponse heart = MustSearch("heart attack");
  EXPECT_TRUE(AnyHitStartsWith(heart, "I21", 3)) << heart.DebugString();
  EXPECT_TRUE(HasReason(heart.hits(0), sv1::MATCH_KIND_SYNONYM));
  sv1::SearchResponse chf = MustSearch("CHF");
  EXPECT_TRUE(AnyHitStartsWith(chf, "I50", 3)) << chf.DebugString();
  sv1::SearchResponse sugar = MustSearch("sugar diabetes");
  EXPECT_TRUE(AnyHitStartsWith(sugar, "E1", 3)) << sugar.DebugString();
}

TEST_F(SearchRpcTest, StemmingMeetsOtherWordForms) {
  BuildIndex();
  sv1::SearchResponse r = MustSearch("fractures radius");
  EXPECT_TRUE(AnyHitStartsWith(r, "S52", 3)) << r.DebugString();
}

TEST_F(SearchRpcTest, NoDocumentWithEveryWordFallsBackToPartialMatches) {
  BuildIndex();
  sv1::SearchResponse r = MustSearch("diabetes fracture");
  ASSERT_GT(r.hits_size(), 0);
  EXPECT_TRUE(r.partial());
  EXPECT_TRUE(HasReason(r.hits(0), sv1::MATCH_KIND_PARTIAL));
}

TEST_F(SearchRpcTest, FiltersRestrictAndFacetsCountEverySystem) {
  BuildIndex();
  sv1::SearchRequest request;
  request.set_query("injection");
  request.set_page_size(50);
  sv1::SearchResponse all;
  ASSERT_TRUE(Search(request, &all).ok());
  request.mutable_filters()->add_systems(cv1::CODE_SYSTEM_HCPCS);
  sv1::SearchResponse hcpcs;
  ASSERT_TRUE(Search(request, &hcpcs).ok());
  ASSERT_GT(hcpcs.hits_size(), 0);
  for (const auto& hit : hcpcs.hits()) EXPECT_EQ(hit.system(), cv1::CODE_SYSTEM_HCPCS);
  int64_t hcpcs_facet = 0;
  for (const auto& f : hcpcs.facets()) {
    if (f.system() == cv1::CODE_SYSTEM_HCPCS) hcpcs_facet = f.count();
  }
  EXPECT_EQ(hcpcs_facet, hcpcs.total_count());
  EXPECT_LE(hcpcs.total_count(), all.total_count());

  sv1::SearchRequest billable;
  billable.set_query("diabetes");
  billable.set_page_size(50);
  billable.mutable_filters()->set_billable_only(true);
  sv1::SearchResponse b;
  ASSERT_TRUE(Search(billable, &b).ok());
  ASSERT_GT(b.hits_size(), 0);
  for (const auto& hit : b.hits()) EXPECT_TRUE(hit.billable()) << hit.code();

  sv1::SearchRequest range;
  range.set_query("fracture");
  range.set_page_size(50);
  range.mutable_filters()->set_code_range_first("S52");
  range.mutable_filters()->set_code_range_last("S52");
  sv1::SearchResponse s;
  ASSERT_TRUE(Search(range, &s).ok());
  ASSERT_GT(s.hits_size(), 0);
  for (const auto& hit : s.hits()) EXPECT_TRUE(absl::StartsWith(hit.code(), "S52")) << hit.code();
}

TEST_F(SearchRpcTest, PagingWalksEveryHitOnce) {
  BuildIndex();
  sv1::SearchRequest request;
  request.set_query("diabetes");
  request.set_page_size(3);
  std::set<std::string> seen;
  int64_t total = -1;
  for (int page = 0; page < 100; ++page) {
    sv1::SearchResponse r;
    ASSERT_TRUE(Search(request, &r).ok());
    total = r.total_count();
    for (const auto& hit : r.hits()) {
      EXPECT_TRUE(seen.insert(absl::StrCat(hit.system(), ":", hit.code())).second)
          << "hit on two pages: " << hit.code();
    }
    if (r.next_page_token().empty()) break;
    request.set_page_token(r.next_page_token());
  }
  EXPECT_GT(total, 3);
  EXPECT_EQ(static_cast<int64_t>(seen.size()), total);
}

TEST_F(SearchRpcTest, BadInputIsInvalidArgumentWithAMessage) {
  BuildIndex();
  std::vector<std::pair<std::string, sv1::SearchRequest>> cases;
  sv1::SearchRequest r;
  r.set_query("");
  cases.push_back({"empty", r});
  r.set_query(std::string(513, 'a'));
  cases.push_back({"513 bytes", r});
  r.set_query("diabetes");
  r.set_page_token("not-ours");
  cases.push_back({"forged page token", r});
  r.set_page_token("");
  r.set_page_size(1000);
  cases.push_back({"page size", r});
  for (const auto& [name, request] : cases) {
    sv1::SearchResponse response;
    grpc::Status status = Search(request, &response);
    EXPECT_EQ(status.error_code(), grpc::INVALID_ARGUMENT) << name;
    EXPECT_FALSE(status.error_message().empty()) << name;
  }
}

TEST_F(SearchRpcTest, SuggestAndLookupRejectBadInputWithAMessage) {
  BuildIndex();
  for (const std::string& prefix : {std::string(), std::string(513, 'a'), std::string("  ")}) {
    sv1::SuggestRequest request;
    request.set_prefix(prefix);
    sv1::SuggestResponse response;
    auto context = common::MakeClientContext(absl::Seconds(5));
    grpc::Status status = stub_->Suggest(context.get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::INVALID_ARGUMENT) << "prefix of " << prefix.size();
    EXPECT_FALSE(status.error_message().empty());
  }
  sv1::SuggestRequest too_many;
  too_many.set_prefix("diab");
  too_many.set_limit(11);
  sv1::SuggestResponse ignored;
  auto limit_context = common::MakeClientContext(absl::Seconds(5));
  EXPECT_EQ(stub_->Suggest(limit_context.get(), too_many, &ignored).error_code(),
            grpc::INVALID_ARGUMENT);
  for (const std::string& code : {std::string(), std::string(65, 'E')}) {
    sv1::LookupRequest request;
    request.set_code(code);
    sv1::LookupResponse response;
    auto context = common::MakeClientContext(absl::Seconds(5));
    grpc::Status status = stub_->Lookup(context.get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::INVALID_ARGUMENT) << "code of " << code.size();
    EXPECT_NE(status.error_message().find("1 to 64 bytes"), std::string::npos);
  }
}

// `query` is a proto3 string, so gRPC's own parser refuses invalid UTF-8
// before the service sees it (the engine's INVALID_ARGUMENT for it is
// covered by its unit tests, and the HTTP gateway answers 400). What must
// hold here is that it is refused and nothing breaks.
TEST_F(SearchRpcTest, InvalidUtf8IsRefusedBeforeTheServiceAndTheServerCarriesOn) {
  BuildIndex();
  sv1::SearchRequest request;
  request.set_query("diab\xff\xfe");
  sv1::SearchResponse response;
  EXPECT_NE(Search(request, &response).error_code(), grpc::OK);
  EXPECT_GT(MustSearch("diabetes").hits_size(), 0);
}

TEST_F(SearchRpcTest, SuggestCompletesCodesAndWords) {
  BuildIndex();
  auto suggest = [&](const std::string& prefix) {
    sv1::SuggestRequest request;
    request.set_prefix(prefix);
    sv1::SuggestResponse response;
    auto context = common::MakeClientContext(absl::Seconds(5));
    EXPECT_TRUE(stub_->Suggest(context.get(), request, &response).ok()) << prefix;
    return response;
  };
  sv1::SuggestResponse codes = suggest("E11");
  ASSERT_GT(codes.suggestions_size(), 0);
  EXPECT_LE(codes.suggestions_size(), 10);
  EXPECT_EQ(codes.suggestions(0).system(), cv1::CODE_SYSTEM_ICD10CM);
  sv1::SuggestResponse words = suggest("diab");
  ASSERT_GT(words.suggestions_size(), 0);
  bool completes = false;
  for (const auto& s : words.suggestions()) {
    completes = completes || absl::StrContains(s.text(), "diabet");
  }
  EXPECT_TRUE(completes) << words.DebugString();
}

TEST_F(SearchRpcTest, LookupFindsExactCodesAndSaysNotFound) {
  BuildIndex();
  sv1::LookupRequest request;
  request.set_code("e11.9");
  sv1::LookupResponse response;
  auto context = common::MakeClientContext(absl::Seconds(5));
  ASSERT_TRUE(stub_->Lookup(context.get(), request, &response).ok());
  ASSERT_EQ(response.codes_size(), 1);
  EXPECT_EQ(response.codes(0).code(), "E119");
  EXPECT_EQ(response.codes(0).system(), cv1::CODE_SYSTEM_ICD10CM);

  request.set_code("Q9999");
  sv1::LookupResponse missing;
  auto context2 = common::MakeClientContext(absl::Seconds(5));
  EXPECT_EQ(stub_->Lookup(context2.get(), request, &missing).error_code(), grpc::NOT_FOUND);
}

// A second edition (the demo set without HCPCS) replaces the first while
// four clients search continuously: no call fails, and the answers change.
TEST_F(SearchRpcTest, EditionSwapUnderConcurrentSearchesFailsNoCall) {
  BuildIndex();
  std::string first_snapshot = refresher_->snapshot_id();
  ASSERT_FALSE(first_snapshot.empty());
  ASSERT_GT(MustSearch("J1100").hits_size(), 0);

  auto edition_b = StartEditionWithoutHcpcs();
  ASSERT_TRUE(edition_b.ok()) << edition_b.status();
  GrpcCodeSource source_b(common::MakeChannel((*edition_b)->catalogue_address(),
                                              common::ChannelOptions{.client_identity = "search"}),
                          absl::Seconds(30));

  std::atomic<bool> stop{false};
  std::atomic<int> calls{0}, failures{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      auto stub = sv1::SearchService::NewStub(common::MakeChannel(search_->search_address()));
      while (!stop.load()) {
        sv1::SearchRequest request;
        request.set_query(calls.load() % 2 ? "diabetes" : "E11");
        sv1::SearchResponse response;
        auto context = common::MakeClientContext(absl::Seconds(5));
        grpc::Status status = stub->Search(context.get(), request, &response);
        calls.fetch_add(1);
        if (!status.ok() || response.hits_size() == 0) failures.fetch_add(1);
      }
    });
  }
  while (calls.load() < 200) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  refresher_->SetSource(&source_b);
  ASSERT_TRUE(refresher_->RefreshNow().ok());
  int at_swap = calls.load();
  while (calls.load() < at_swap + 200) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop = true;
  for (auto& c : clients) c.join();

  EXPECT_EQ(failures.load(), 0) << "of " << calls.load() << " calls";
  EXPECT_NE(refresher_->snapshot_id(), first_snapshot);
  sv1::SearchResponse after = MustSearch("dexamethasone");
  for (const auto& hit : after.hits()) EXPECT_NE(hit.system(), cv1::CODE_SYSTEM_HCPCS);
  EXPECT_EQ(after.snapshot_id(), refresher_->snapshot_id());
}

// Answers are cached by request, for the index they were computed on: the
// same search twice is the same answer, and an edition swap is seen at once.
TEST_F(SearchRpcTest, ACachedAnswerNeverOutlivesItsEdition) {
  BuildIndex();
  const sv1::SearchResponse first = MustSearch("dexamethasone");
  bool hcpcs = false;
  for (const auto& hit : first.hits()) hcpcs |= hit.system() == cv1::CODE_SYSTEM_HCPCS;
  ASSERT_TRUE(hcpcs) << "the demo edition has HCPCS dexamethasone codes";
  EXPECT_EQ(MustSearch("dexamethasone").SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(MustSearch("diabetes", 3).hits_size(), 3);
  EXPECT_EQ(MustSearch("diabetes", 10).hits_size(), 10) << "another page size is another answer";

  auto edition_b = StartEditionWithoutHcpcs();
  ASSERT_TRUE(edition_b.ok()) << edition_b.status();
  GrpcCodeSource source_b(common::MakeChannel((*edition_b)->catalogue_address(),
                                              common::ChannelOptions{.client_identity = "search"}),
                          absl::Seconds(30));
  refresher_->SetSource(&source_b);
  ASSERT_TRUE(refresher_->RefreshNow().ok());

  const sv1::SearchResponse after = MustSearch("dexamethasone");
  for (const auto& hit : after.hits()) EXPECT_NE(hit.system(), cv1::CODE_SYSTEM_HCPCS);
  EXPECT_NE(after.snapshot_id(), first.snapshot_id());
}

}  // namespace
}  // namespace openencoder::search
