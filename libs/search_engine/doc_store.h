// Internal: the documents of one SearchIndex, packed. Not part of the
// public API.
//
// A SearchDocument is 328 bytes of mostly empty strings and vectors plus a
// heap block per title and short title: ~110 MB for the ~200,000 real
// codes, half the search server. Here every string lives in one arena and
// a document is a fixed record of arena spans (32 bytes); Get() rebuilds
// the SearchDocument (Lookup), the accessors read fields in place (Search,
// Suggest).
//
// Immutable after Finish(); thread-safe for concurrent readers.
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_DOC_STORE_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_DOC_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "libs/search_engine/search_types.h"

namespace openencoder::search::internal {

class DocStore {
 public:
  // An Alphabetic Index entry as the match reason reads it.
  struct Entry {
    absl::string_view path, see, category;
  };

  // Room for `docs` documents like these, so that adding them never moves
  // the arena (a build of the real code sets copied it a dozen times).
  void Reserve(const std::vector<SearchDocument>& docs);
  // Appends `doc` as the next document id. ResourceExhaustedError when the
  // arena would pass 4 GiB (its offsets are 32-bit) or when a 257th code
  // system appears.
  absl::Status Add(const SearchDocument& doc);
  // Releases the spare capacity of the build.
  void Finish();

  size_t size() const { return records_.size(); }

  absl::string_view system(uint32_t d) const { return systems_[records_[d].system]; }
  absl::string_view code(uint32_t d) const { return Field(d, kCode); }
  absl::string_view display_code(uint32_t d) const { return Field(d, kDisplayCode); }
  absl::string_view title(uint32_t d) const { return Field(d, kTitle); }
  bool billable(uint32_t d) const { return records_[d].flags & kBillable; }
  bool deleted(uint32_t d) const { return records_[d].flags & kDeleted; }
  bool has_entries(uint32_t d) const { return entry_begin_[d] != entry_begin_[d + 1]; }
  // Document d's index_terms, in the order they were added.
  size_t entry_count(uint32_t d) const { return entry_begin_[d + 1] - entry_begin_[d]; }
  Entry entry(uint32_t d, size_t i) const;
  // Whether d is active on `day` (an open bound is always met).
  bool ActiveOn(uint32_t d, absl::CivilDay day) const;

  // The document as it was added.
  SearchDocument Get(uint32_t d) const;

 private:
  enum FieldId { kCode, kDisplayCode, kTitle, kShortTitle, kPlainLanguage, kChapter, kFields };
  static constexpr uint8_t kBillable = 1, kDeleted = 2, kFrom = 4, kTo = 8;

  struct Record {
    uint32_t text = 0;              // Arena offset of the fields, back to back.
    uint32_t length[kFields] = {};  // In FieldId order.
    uint8_t system = 0;
    uint8_t flags = 0;
  };
  struct StoredSpan {
    uint32_t offset = 0, length = 0;
  };
  struct StoredEntry {
    StoredSpan path, modifiers, see, category;
    int32_t words = 0;
    bool subdivided = false;
  };

  absl::string_view Field(uint32_t d, FieldId field) const;
  absl::string_view Text(StoredSpan span) const {
    return {arena_.data() + span.offset, span.length};
  }
  absl::Status Append(absl::string_view text, StoredSpan* span);

  std::string arena_;
  std::vector<Record> records_;
  std::vector<std::string> systems_;
  std::vector<StoredEntry> entries_;
  std::vector<uint32_t> entry_begin_ = {0};  // size() + 1 offsets into entries_
  std::vector<StoredSpan> lay_terms_;
  std::vector<uint32_t> lay_begin_ = {0};  // size() + 1 offsets into lay_terms_
  // Validity windows of the documents with a bound (flags kFrom / kTo).
  absl::flat_hash_map<uint32_t, std::pair<absl::CivilDay, absl::CivilDay>> windows_;
};

}  // namespace openencoder::search::internal

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_DOC_STORE_H_
