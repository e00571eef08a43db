#include "libs/code_sets/importers/icd10_order_importer.h"

#include <cstdint>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/code_sets/importers/field_parse.h"
#include "libs/code_sets/importers/line_reader.h"
#include "libs/code_sets/model/code_format.h"
#include "libs/code_sets/model/icd10cm_chapters.h"

namespace openencoder::catalogue {
namespace {

using CodeIndex = absl::flat_hash_map<std::string, uint32_t>;

// PCS headers are 3-character tables; CM headers are ordinary short codes.
bool ValidOrderCode(CodeSystem system, absl::string_view code, bool billable) {
  if (system == CodeSystem::kIcd10Pcs && !billable) {
    return code.size() == 3 && IsValidCode(system, absl::StrCat(code, "0000"));
  }
  return IsValidCode(system, code);
}

std::string LongestPrefixIn(const CodeIndex& index, absl::string_view code) {
  for (size_t k = code.size() - 1; k >= 3; --k) {
    if (index.contains(code.substr(0, k))) return std::string(code.substr(0, k));
  }
  return {};
}

// Fills the fields derived from the code alone. Returns false when an
// ICD-10-CM code lies outside every chapter.
bool Derive(CodeRecord* r) {
  r->display_code = FormatDisplayCode(r->system, r->code);
  r->category = r->code.substr(0, 3);
  if (r->system != CodeSystem::kIcd10Cm) return true;
  const Icd10CmChapter* chapter = FindIcd10CmChapter(r->code);
  if (chapter == nullptr) return false;
  r->chapter = chapter->number;
  return true;
}

}  // namespace

absl::StatusOr<CodeSetImport> ImportIcd10OrderFile(const std::string& path, Edition edition) {
  if (edition.system != CodeSystem::kIcd10Cm && edition.system != CodeSystem::kIcd10Pcs) {
    return absl::InvalidArgumentError(
        "ImportIcd10OrderFile needs an ICD-10-CM or ICD-10-PCS edition");
  }
  CodeSetImport out;
  absl::StatusOr<LineReader> reader = OpenImport(path, edition, &out.report);
  if (!reader.ok()) return reader.status();
  ImportReport& report = out.report;
  out.records.reserve(reader->EstimateLines(140));
  CodeIndex index;
  index.reserve(reader->EstimateLines(140));

  absl::string_view line;
  while (reader->Next(&line)) {
    const int64_t n = reader->line_number();
    if (line.empty()) {
      ++report.lines_skipped;
      continue;
    }
    ++report.rows_read;
    if (line.size() < 78) {
      report.Reject(n, absl::StrCat("line has ", line.size(),
                                    " characters; the layout needs at least "
                                    "78 (long title starts at column 78)"));
      continue;
    }
    if (line[5] != ' ' || line[13] != ' ' || line[15] != ' ' || line[76] != ' ') {
      report.Reject(n, "columns 6, 14, 16 and 77 must be blank");
      continue;
    }
    int order = 0;
    if (!ParseSmallInt(line.substr(0, 5), &order)) {
      report.Reject(n, absl::StrCat("order number \"", line.substr(0, 5), "\" is not five digits"));
      continue;
    }
    const char flag = line[14];
    if (flag != '0' && flag != '1') {
      report.Reject(n, absl::StrCat("billable flag in column 15 is \"", line.substr(14, 1),
                                    "\", not 0 or 1"));
      continue;
    }
    absl::string_view code = FixedField(line, 7, 13);
    if (!ValidOrderCode(edition.system, code, flag == '1')) {
      report.Reject(n,
                    absl::StrCat("\"", code, "\" is not a valid ", CodeSystemLabel(edition.system),
                                 flag == '1' ? " code" : " header"));
      continue;
    }
    absl::string_view short_title = FixedField(line, 17, 76);
    absl::string_view long_title = FixedFieldToEnd(line, 78);
    if (short_title.empty() || long_title.empty()) {
      report.Reject(n, absl::StrCat("code ", code, " has an empty title"));
      continue;
    }
    auto [it, inserted] = index.try_emplace(code, static_cast<uint32_t>(out.records.size()));
    if (!inserted) {
      report.Reject(n, absl::StrCat("duplicate code ", code, " (first at order number ",
                                    out.records[it->second].order_number, ")"));
      continue;
    }
    CodeRecord& r = out.records.emplace_back();
    r.system = edition.system;
    r.code = std::string(code);
    r.short_title = std::string(short_title);
    r.long_title = std::string(long_title);
    r.billable = flag == '1';
    r.order_number = static_cast<uint32_t>(order);
    r.effective_date = edition.effective_date;
    r.edition_id = edition.id;
    if (!Derive(&r)) {
      report.Reject(n, absl::StrCat("code ", code, " is outside every ICD-10-CM chapter"));
      index.erase(code);
      out.records.pop_back();
      continue;
    }
    ++report.rows_accepted;
  }
  for (CodeRecord& r : out.records) r.parent_code = LongestPrefixIn(index, r.code);
  return out;
}

absl::StatusOr<ImportReport> ApplyIcd10OrderAddenda(const std::string& path,
                                                    CodeSetImport* import) {
  absl::StatusOr<LineReader> reader = LineReader::Open(path);
  if (!reader.ok()) return reader.status();
  ImportReport report;
  report.edition = import->report.edition;
  report.edition.source_file = path;
  const CodeSystem system = report.edition.system;

  CodeIndex index;
  index.reserve(import->records.size());
  for (uint32_t i = 0; i < import->records.size(); ++i) {
    index.try_emplace(import->records[i].code, i);
  }

  struct Change {
    bool added = false;
    bool deleted = false;
    bool revised = false;
    int64_t line = 0;
    CodeRecord deleted_record;  // Only filled for Delete lines.
  };
  absl::flat_hash_map<std::string, Change> changes;
  std::vector<std::string> change_order;  // Deterministic output order.

  bool in_summary = false;
  absl::string_view line;
  while (reader->Next(&line)) {
    const int64_t n = reader->line_number();
    absl::string_view prefix = FixedField(line, 1, 13);
    const bool is_change = prefix == "Add:" || prefix == "Delete:" || prefix == "Revise from:" ||
                           prefix == "Revise to:";
    if (!is_change) {
      // The data lines end at the first other line; the rest is the
      // summary NCHS/CMS append ("Codes", "74719 codes in ...").
      in_summary = true;
      ++report.lines_skipped;
      continue;
    }
    ++report.rows_read;
    if (in_summary) {
      report.Reject(n, "change line after the summary block");
      continue;
    }
    // ICD-10-CM addenda carry the billable flag before the code.
    const bool flagged =
        line.size() > 14 && line[14] == ' ' && (line[13] == '0' || line[13] == '1');
    const size_t code_col = flagged ? 16 : 14;
    absl::string_view code = FixedField(line, code_col, code_col + 6);
    absl::string_view short_title = FixedField(line, code_col + 8, code_col + 67);
    absl::string_view long_title = FixedFieldToEnd(line, code_col + 69);
    // PCS addenda carry no flag: a 3-character code is a table header
    // ("Add: 09X" opens a new table), everything else a 7-character code.
    const bool billable =
        flagged ? line[13] == '1' : !(system == CodeSystem::kIcd10Pcs && code.size() == 3);
    if (code.empty() || !ValidOrderCode(system, code, billable) || long_title.empty()) {
      report.Reject(n, absl::StrCat("malformed ", prefix, " line (code \"", code, "\")"));
      continue;
    }
    auto [it, fresh] = changes.try_emplace(code);
    if (fresh) change_order.emplace_back(code);
    Change& c = it->second;
    c.line = n;
    if (prefix == "Add:") {
      if (c.added) {
        report.Reject(n, absl::StrCat("duplicate Add: for ", code));
        continue;
      }
      c.added = true;
    } else if (prefix == "Delete:") {
      if (c.deleted) {
        report.Reject(n, absl::StrCat("duplicate Delete: for ", code));
        continue;
      }
      c.deleted = true;
      CodeRecord& r = c.deleted_record;
      r.system = system;
      r.code = std::string(code);
      r.short_title = std::string(short_title);
      r.long_title = std::string(long_title);
      r.billable = billable;
      r.edition_id = report.edition.id;
      r.change_status = ChangeStatus::kDeleted;
      Derive(&r);
    } else {
      c.revised = true;
    }
    ++report.rows_accepted;
  }

  // Resolve after reading: a Delete followed by an Add of the same code is
  // one change (the code became a header), not two.
  std::vector<CodeRecord> deleted;
  for (const std::string& code : change_order) {
    Change& c = changes[code];
    auto it = index.find(code);
    if (it != index.end()) {
      CodeRecord& r = import->records[it->second];
      if (c.added && !c.deleted) {
        r.change_status = ChangeStatus::kNew;
      } else if (c.added || c.revised) {
        r.change_status = ChangeStatus::kRevised;
      } else {
        report.Reject(c.line, absl::StrCat("deleted code ", code, " is still in the order file"));
      }
      continue;
    }
    if (!c.deleted) {
      report.Reject(c.line, absl::StrCat("code ", code, " is not in the order file"));
      continue;
    }
    CodeRecord r = std::move(c.deleted_record);
    r.parent_code = LongestPrefixIn(index, r.code);
    deleted.push_back(std::move(r));
  }
  if (!deleted.empty()) {
    // Children of a deleted code replace it (a code expanded one level).
    for (const CodeRecord& r : import->records) {
      if (r.code.size() <= 3) continue;
      for (CodeRecord& d : deleted) {
        if (r.code.size() > d.code.size() && absl::StartsWith(r.code, d.code)) {
          d.replacement_codes.push_back(r.code);
        }
      }
    }
    for (CodeRecord& d : deleted) import->records.push_back(std::move(d));
  }
  return report;
}

}  // namespace openencoder::catalogue
