#include "libs/search_engine/eval/real_corpus.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "libs/code_sets/importers/alphabetic_index_importer.h"
#include "libs/code_sets/importers/gem_importer.h"
#include "libs/code_sets/importers/hcpcs_importer.h"
#include "libs/code_sets/importers/icd10_order_importer.h"
#include "libs/code_sets/importers/notes_importer.h"
#include "libs/code_sets/model/code_system.h"

namespace openencoder::search {
namespace {

namespace cat = openencoder::catalogue;

SearchDocument ToDocument(cat::CodeRecord record) {
  SearchDocument d;
  d.system = std::string(cat::CodeSystemName(record.system));
  d.code = std::move(record.code);
  d.display_code = std::move(record.display_code);
  d.title = record.long_title.empty() ? record.short_title : std::move(record.long_title);
  d.short_title = std::move(record.short_title);
  d.billable = record.billable;
  if (record.chapter > 0) d.chapter = absl::StrCat(record.chapter);
  return d;
}

}  // namespace

absl::StatusOr<RealCorpus> LoadRealCorpus(const std::string& data_folder,
                                          const std::string& notes_file) {
  RealCorpus corpus;
  const std::string root = data_folder.empty() ? "." : data_folder;
  absl::StatusOr<cat::CodeSetImport> cm = cat::ImportIcd10OrderFile(
      absl::StrCat(root, "/", kIcd10CmOrderFile),
      {cat::CodeSystem::kIcd10Cm, "icd10cm-fy2026", "ICD-10-CM FY2026", {}, {}});
  if (!cm.ok()) return cm.status();
  absl::StatusOr<cat::CodeSetImport> pcs = cat::ImportIcd10OrderFile(
      absl::StrCat(root, "/", kIcd10PcsOrderFile),
      {cat::CodeSystem::kIcd10Pcs, "icd10pcs-fy2026", "ICD-10-PCS FY2026", {}, {}});
  if (!pcs.ok()) return pcs.status();
  absl::StatusOr<cat::HcpcsImport> hcpcs =
      cat::ImportHcpcsCsv(absl::StrCat(root, "/", kHcpcsCsvFile),
                          {cat::CodeSystem::kHcpcs, "hcpcs-2020q4", "HCPCS 2020 Q4", {}, {}});
  if (!hcpcs.ok()) return hcpcs.status();

  absl::StatusOr<cat::CodeSetImport> icd9 =
      cat::ImportIcd9Titles(absl::StrCat(root, "/", kIcd9TitlesFile),
                            {cat::CodeSystem::kIcd9Cm, "icd9cm-v32", "ICD-9-CM v32", {}, {}}, false,
                            cat::TextEncoding::kLatin1);
  if (!icd9.ok()) return icd9.status();
  absl::StatusOr<cat::AlphabeticIndexImport> index = cat::ImportAlphabeticIndex(
      absl::StrCat(root, "/", kIndexFile),
      {cat::CodeSystem::kIcd10Cm, "icd10cm-index-fy2023", "ICD-10-CM Index FY2023", {}, {}});
  if (!index.ok()) return index.status();

  corpus.icd10cm = cm->records.size();
  corpus.icd10pcs = pcs->records.size();
  corpus.hcpcs = hcpcs->codes.size();
  corpus.icd9cm = icd9->records.size();
  corpus.documents.reserve(corpus.icd10cm + corpus.icd10pcs + corpus.hcpcs + corpus.icd9cm);
  for (auto* records : {&cm->records, &pcs->records, &hcpcs->codes, &icd9->records}) {
    for (cat::CodeRecord& r : *records) {
      if (r.system == cat::CodeSystem::kIcd9Cm) r.billable = true;  // As the catalogue does.
      corpus.documents.push_back(ToDocument(std::move(r)));
    }
  }
  {
    absl::flat_hash_map<std::string, size_t> cm_docs;
    for (size_t i = 0; i < corpus.icd10cm; ++i) cm_docs.emplace(corpus.documents[i].code, i);
    for (cat::CodeIndexEntry& e : index->entries) {
      auto it = cm_docs.find(e.code);
      if (it == cm_docs.end()) continue;  // Deleted since FY2023.
      std::vector<IndexTermRef>& terms = corpus.documents[it->second].index_terms;
      IndexTermRef ref{std::move(e.entry.path), std::move(e.entry.modifiers), e.entry.words,
                       std::move(e.entry.see),  e.entry.subdivided,           ""};
      bool seen = false;
      for (const IndexTermRef& t : terms) {
        seen = seen || (t.path == ref.path && t.see == ref.see && t.subdivided == ref.subdivided);
      }
      if (seen) continue;
      terms.push_back(std::move(ref));
      ++corpus.index_entries;
    }
  }

  if (!notes_file.empty()) {
    absl::StatusOr<cat::CodeNoteImport> notes =
        cat::ImportCodeNotes(notes_file, {cat::CodeSystem::kUnspecified, "notes", "notes", {}, {}});
    if (!notes.ok()) return notes.status();
    absl::flat_hash_map<std::pair<std::string, std::string>, size_t> by_key;
    for (size_t i = 0; i < corpus.documents.size(); ++i) {
      by_key.emplace(std::make_pair(corpus.documents[i].system, corpus.documents[i].code), i);
    }
    for (cat::CodeNote& note : notes->notes) {
      auto it =
          by_key.find(std::make_pair(std::string(cat::CodeSystemName(note.system)), note.code));
      if (it == by_key.end()) continue;  // E.g. CPT: not in the real files.
      SearchDocument& d = corpus.documents[it->second];
      d.plain_language = std::move(note.plain_language);
      d.lay_terms = std::move(note.lay_terms);
      ++corpus.with_notes;
    }
  }
  return corpus;
}

}  // namespace openencoder::search
