#include "libs/search_engine/index_holder.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/libs/search_engine/test_documents.h"

namespace openencoder::search {
namespace {

// An index whose every document carries `edition` in its title, so a
// search can tell whether it saw one whole edition.
std::shared_ptr<const SearchIndex> Edition(int edition, int documents) {
  std::vector<SearchDocument> docs;
  for (int i = 0; i < documents; ++i) {
    docs.push_back(testing::Doc("ICD10CM", absl::StrCat("A", 100 + i), "",
                                absl::StrCat("edition", edition, " disease"), true));
  }
  return testing::BuildTestIndex(docs);
}

TEST(IndexHolderTest, UnavailableBeforeFirstIndex) {
  IndexHolder holder;
  EXPECT_EQ(holder.Current().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(holder.Swap(Edition(1, 3)), nullptr);
  EXPECT_TRUE(holder.Current().ok());
}

TEST(IndexHolderTest, ReadersSeeWholeEditionsWhileSwapping) {
  // Edition e has 10 + e documents, all titled "edition<e> disease"; a
  // reader must find exactly 10 + e documents for its own edition.
  IndexHolder holder(Edition(0, 10));
  std::vector<std::shared_ptr<const SearchIndex>> editions;
  for (int e = 1; e <= 4; ++e) editions.push_back(Edition(e, 10 + e));

  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::atomic<int> searches{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        absl::StatusOr<std::shared_ptr<const SearchIndex>> index = holder.Current();
        if (!index.ok()) {
          ++failures;
          continue;
        }
        const size_t size = (*index)->size();
        SearchRequest request;
        request.query = absl::StrCat("edition", size - 10);
        request.limit = 100;
        absl::StatusOr<SearchResponse> response = (*index)->Search(request);
        if (!response.ok() || response->total != size || response->hits.size() != size) {
          ++failures;
        }
        ++searches;
      }
    });
  }
  for (int round = 0; round < 50; ++round) {
    holder.Swap(editions[round % editions.size()]);
    std::this_thread::yield();
  }
  // Let the readers run against the last edition too.
  while (searches.load() < 200) std::this_thread::yield();
  stop = true;
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace openencoder::search
