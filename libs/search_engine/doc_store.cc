#include "libs/search_engine/doc_store.h"

#include <algorithm>
#include <limits>

namespace openencoder::search::internal {

absl::Status DocStore::Append(absl::string_view text, StoredSpan* span) {
  if (arena_.size() + text.size() > std::numeric_limits<uint32_t>::max()) {
    return absl::ResourceExhaustedError("document text over 4 GiB; DocStore offsets are 32-bit");
  }
  span->offset = static_cast<uint32_t>(arena_.size());
  span->length = static_cast<uint32_t>(text.size());
  arena_.append(text.data(), text.size());
  return absl::OkStatus();
}

void DocStore::Reserve(const std::vector<SearchDocument>& docs) {
  size_t text = 0, entries = 0, lay_terms = 0;
  for (const SearchDocument& d : docs) {
    text += d.code.size() + d.display_code.size() + d.title.size() + d.short_title.size() +
            d.plain_language.size() + d.chapter.size();
    for (const std::string& term : d.lay_terms) text += term.size();
    for (const IndexTermRef& e : d.index_terms) {
      text += e.path.size() + e.modifiers.size() + e.see.size() + e.category.size();
    }
    entries += d.index_terms.size();
    lay_terms += d.lay_terms.size();
  }
  arena_.reserve(arena_.size() + text);
  records_.reserve(records_.size() + docs.size());
  entry_begin_.reserve(entry_begin_.size() + docs.size());
  lay_begin_.reserve(lay_begin_.size() + docs.size());
  entries_.reserve(entries_.size() + entries);
  lay_terms_.reserve(lay_terms_.size() + lay_terms);
}

absl::Status DocStore::Add(const SearchDocument& doc) {
  Record record;
  auto system = std::find(systems_.begin(), systems_.end(), doc.system);
  if (system == systems_.end()) {
    if (systems_.size() == 256) {
      return absl::ResourceExhaustedError("more than 256 code systems; a record keeps one byte");
    }
    system = systems_.insert(systems_.end(), doc.system);
  }
  record.system = static_cast<uint8_t>(system - systems_.begin());
  const absl::string_view fields[kFields] = {doc.code,        doc.display_code,   doc.title,
                                             doc.short_title, doc.plain_language, doc.chapter};
  record.text = static_cast<uint32_t>(arena_.size());
  for (int f = 0; f < kFields; ++f) {
    StoredSpan span;
    if (absl::Status status = Append(fields[f], &span); !status.ok()) return status;
    record.length[f] = span.length;
  }
  record.flags = (doc.billable ? kBillable : 0) | (doc.deleted ? kDeleted : 0) |
                 (doc.effective_from ? kFrom : 0) | (doc.effective_to ? kTo : 0);
  if (doc.effective_from || doc.effective_to) {
    windows_.emplace(static_cast<uint32_t>(records_.size()),
                     std::make_pair(doc.effective_from.value_or(absl::CivilDay()),
                                    doc.effective_to.value_or(absl::CivilDay())));
  }
  for (const std::string& term : doc.lay_terms) {
    if (absl::Status status = Append(term, &lay_terms_.emplace_back()); !status.ok()) return status;
  }
  lay_begin_.push_back(static_cast<uint32_t>(lay_terms_.size()));
  for (const IndexTermRef& e : doc.index_terms) {
    StoredEntry& entry = entries_.emplace_back();
    entry.words = e.words;
    entry.subdivided = e.subdivided;
    for (auto [text, span] : {std::pair{&e.path, &entry.path},
                              {&e.modifiers, &entry.modifiers},
                              {&e.see, &entry.see},
                              {&e.category, &entry.category}}) {
      if (absl::Status status = Append(*text, span); !status.ok()) return status;
    }
  }
  entry_begin_.push_back(static_cast<uint32_t>(entries_.size()));
  records_.push_back(record);
  return absl::OkStatus();
}

void DocStore::Finish() {
  arena_.shrink_to_fit();
  records_.shrink_to_fit();
  entries_.shrink_to_fit();
  entry_begin_.shrink_to_fit();
  lay_terms_.shrink_to_fit();
  lay_begin_.shrink_to_fit();
}

absl::string_view DocStore::Field(uint32_t d, FieldId field) const {
  const Record& record = records_[d];
  uint32_t offset = record.text;
  for (int f = 0; f < field; ++f) offset += record.length[f];
  return {arena_.data() + offset, record.length[field]};
}

DocStore::Entry DocStore::entry(uint32_t d, size_t i) const {
  const StoredEntry& e = entries_[entry_begin_[d] + i];
  return {Text(e.path), Text(e.see), Text(e.category)};
}

bool DocStore::ActiveOn(uint32_t d, absl::CivilDay day) const {
  const uint8_t flags = records_[d].flags;
  if ((flags & (kFrom | kTo)) == 0) return true;
  const auto& [from, to] = windows_.at(d);
  return (!(flags & kFrom) || from <= day) && (!(flags & kTo) || day <= to);
}

SearchDocument DocStore::Get(uint32_t d) const {
  const Record& record = records_[d];
  SearchDocument doc;
  doc.system = systems_[record.system];
  doc.code = std::string(code(d));
  doc.display_code = std::string(display_code(d));
  doc.title = std::string(title(d));
  doc.short_title = std::string(Field(d, kShortTitle));
  doc.plain_language = std::string(Field(d, kPlainLanguage));
  doc.chapter = std::string(Field(d, kChapter));
  doc.billable = billable(d);
  doc.deleted = deleted(d);
  if (record.flags & (kFrom | kTo)) {
    const auto& [from, to] = windows_.at(d);
    if (record.flags & kFrom) doc.effective_from = from;
    if (record.flags & kTo) doc.effective_to = to;
  }
  for (uint32_t i = lay_begin_[d]; i < lay_begin_[d + 1]; ++i) {
    doc.lay_terms.emplace_back(Text(lay_terms_[i]));
  }
  for (uint32_t i = entry_begin_[d]; i < entry_begin_[d + 1]; ++i) {
    const StoredEntry& e = entries_[i];
    doc.index_terms.push_back({std::string(Text(e.path)), std::string(Text(e.modifiers)), e.words,
                               std::string(Text(e.see)), e.subdivided,
                               std::string(Text(e.category))});
  }
  return doc;
}

}  // namespace openencoder::search::internal
