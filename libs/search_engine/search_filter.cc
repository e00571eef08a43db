// SearchIndex::Filter: turns SearchFilters into a document set.
#include <algorithm>

#include "libs/search_engine/query_plan.h"
#include "libs/search_engine/search_index.h"
#include "libs/search_engine/text.h"

namespace openencoder::search {
namespace {

void Restrict(std::optional<Roaring>& filter, const Roaring& docs) {
  if (filter.has_value()) {
    *filter &= docs;
  } else {
    filter = docs;
  }
}

}  // namespace

std::optional<Roaring> SearchIndex::Filter(const SearchFilters& filters) const {
  std::optional<Roaring> filter;
  if (filters.billable_only) Restrict(filter, data_.billable_docs);
  if (!filters.chapter.empty()) {
    auto it = data_.chapter_docs.find(filters.chapter);
    Restrict(filter, it != data_.chapter_docs.end() ? it->second : Roaring());
  }
  if (!filters.code_from.empty() || !filters.code_to.empty()) {
    const std::string from = NormalizeCode(filters.code_from);
    const std::string to = NormalizeCode(filters.code_to);
    const uint32_t first = static_cast<uint32_t>(
        std::lower_bound(data_.codes.begin(), data_.codes.end(), from) - data_.codes.begin());
    // `to` includes its descendants: the end of the run of codes it prefixes.
    const uint32_t last = to.empty() ? static_cast<uint32_t>(data_.codes.size())
                                     : internal::CodeRange(to, data_).second;
    Roaring range;
    if (first < last) range.addRange(first, last);
    Restrict(filter, range);
  }
  if (filters.active_on.has_value()) {
    Roaring active = data_.undated_docs;
    for (uint32_t doc : data_.dated_docs) {
      if (data_.store.ActiveOn(doc, *filters.active_on)) active.add(doc);
    }
    Restrict(filter, active);
  }
  return filter;
}

}  // namespace openencoder::search
