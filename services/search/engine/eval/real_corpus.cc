#include "services/search/engine/eval/real_corpus.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "services/catalogue/importers/hcpcs_importer.h"
#include "services/catalogue/importers/icd10_order_importer.h"
#include "services/catalogue/importers/notes_importer.h"
#include "services/catalogue/model/code_system.h"

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

  corpus.icd10cm = cm->records.size();
  corpus.icd10pcs = pcs->records.size();
  corpus.hcpcs = hcpcs->codes.size();
  corpus.documents.reserve(corpus.icd10cm + corpus.icd10pcs + corpus.hcpcs);
  for (auto* records : {&cm->records, &pcs->records, &hcpcs->codes}) {
    for (cat::CodeRecord& r : *records) {
      corpus.documents.push_back(ToDocument(std::move(r)));
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
