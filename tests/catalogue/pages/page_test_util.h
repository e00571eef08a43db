// Helpers for the code-page tests: build a page of a code of a snapshot,
// find a tabular note by its text, check a note that both the demo and the
// shared data carry.
#ifndef OPENENCODER_TESTS_CATALOGUE_PAGES_PAGE_TEST_UTIL_H_
#define OPENENCODER_TESTS_CATALOGUE_PAGES_PAGE_TEST_UTIL_H_

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/catalogue/code_page_builder.h"
#include "services/catalogue/store/catalogue_loader.h"

namespace openencoder::catalogue::testing {

inline pb::CodePage PageOf(const CatalogueSnapshot& snapshot, CodeSystem system,
                           absl::string_view code, absl::string_view locality = {}) {
  pb::CodePage page;
  const CodeEntry* entry = snapshot.Find(system, code);
  EXPECT_NE(entry, nullptr) << code;
  if (entry != nullptr) BuildCodePage(snapshot, *entry, &page, locality);
  return page;
}

// The first note whose text contains `text`; nullptr if none.
inline const pb::TabularNote* NoteContaining(const pb::CodePage& page, absl::string_view text) {
  for (const pb::TabularNote& n : page.tabular().notes()) {
    if (absl::StrContains(n.text(), text)) return &n;
  }
  return nullptr;
}

// Holds when `page` (a code under I21) shows the Excludes2 note it inherits
// from category I21, labelled so; says what it found otherwise.
inline ::testing::AssertionResult InheritsI21Excludes2(const pb::CodePage& page) {
  const pb::TabularNote* n = NoteContaining(page, "old myocardial infarction (I25.2)");
  if (n == nullptr) return ::testing::AssertionFailure() << "no note on old myocardial infarction";
  if (n->kind() != "Excludes2" || n->origin() != "from category I21") {
    return ::testing::AssertionFailure() << "the note is " << n->kind() << " " << n->origin()
                                         << ", not Excludes2 from category I21";
  }
  return ::testing::AssertionSuccess();
}

// A suite over one snapshot, loaded once (SetUpTestSuite calls Load) with
// no rejected row.
class PageTestBase : public ::testing::Test {
 protected:
  static void Load(const std::string& manifest, const LoadOptions& options) {
    auto r = LoadCatalogueFromManifest(manifest, options);
    ASSERT_TRUE(r.ok()) << r.status();
    for (const FileLoadReport& f : r->files) {
      EXPECT_TRUE(f.report.rejected.empty()) << f.entry.path;
    }
    snapshot_ = new std::shared_ptr<const CatalogueSnapshot>(r->snapshot);
  }
  static void TearDownTestSuite() {
    delete snapshot_;
    snapshot_ = nullptr;
  }
  static const CatalogueSnapshot& snapshot() { return **snapshot_; }
  static pb::CodePage Page(CodeSystem s, absl::string_view code, absl::string_view locality = {}) {
    return PageOf(snapshot(), s, code, locality);
  }
  static inline std::shared_ptr<const CatalogueSnapshot>* snapshot_ = nullptr;
};

}  // namespace openencoder::catalogue::testing

#endif  // OPENENCODER_TESTS_CATALOGUE_PAGES_PAGE_TEST_UTIL_H_
