#include "libs/code_sets/importers/hcpcs_assembler.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/code_sets/importers/field_parse.h"
#include "libs/code_sets/model/code_format.h"

namespace openencoder::catalogue {
namespace {

template <size_t N>
std::vector<std::string> NonBlank(const std::array<absl::string_view, N>& v) {
  std::vector<std::string> out;
  for (absl::string_view s : v) {
    s = absl::StripAsciiWhitespace(s);
    if (!s.empty()) out.emplace_back(s);
  }
  return out;
}

void AppendPiece(std::string* text, absl::string_view piece) {
  piece = absl::StripAsciiWhitespace(piece);
  if (piece.empty()) return;
  if (!text->empty()) text->push_back(' ');
  text->append(piece.data(), piece.size());
}

// What a first line says of its code's history, the same for a modifier and
// a code record.
struct History {
  std::optional<absl::CivilDay> added, effective, terminated;
  char action = '\0';
};

template <class Entry>
void SetHistory(const History& h, const std::string& edition_id, Entry* e) {
  e->added_date = h.added;
  e->effective_date = h.effective;
  e->termination_date = h.terminated;
  e->action_code = h.action;
  e->edition_id = edition_id;
}

}  // namespace

HcpcsAssembler::HcpcsAssembler(HcpcsImport* out) : out_(out) {}

void HcpcsAssembler::Add(int64_t line, const HcpcsRawRow& row) {
  ImportReport& report = out_->report;
  int sequence = 0;
  if (!ParseSmallInt(row.sequence, &sequence)) {
    report.Reject(line, absl::StrCat("sequence number \"", row.sequence, "\" is not numeric"));
    return;
  }
  if (row.record_id.size() != 1) {
    report.Reject(line, absl::StrCat("record identification code \"", row.record_id,
                                     "\" is not 3, 4, 7 or 8"));
    return;
  }
  const char kind = row.record_id[0];
  const bool is_modifier = kind == '7' || kind == '8';
  if (kind != '3' && kind != '4' && !is_modifier) {
    report.Reject(line, absl::StrCat("record identification code \"", row.record_id,
                                     "\" is not 3, 4, 7 or 8"));
    return;
  }
  absl::string_view code = absl::StripLeadingAsciiWhitespace(row.code);
  bool code_ok;
  if (is_modifier) {
    // The layout puts modifiers right-aligned ("   A1"), but the 2020 CMS
    // workbook has one (J5) left-aligned, so only the trimmed width counts.
    code_ok = code.size() == 2 && absl::ascii_isalnum(code[0]) && absl::ascii_isalnum(code[1]) &&
              !absl::ascii_islower(code[0]) && !absl::ascii_islower(code[1]);
  } else {
    code_ok = IsValidCode(CodeSystem::kHcpcs, code);
  }
  if (!code_ok) {
    report.Reject(line, absl::StrCat("\"", row.code, "\" is not a valid HCPCS ",
                                     is_modifier ? "modifier" : "code"));
    return;
  }

  if (kind == '4' || kind == '8') {
    const char first_kind = kind == '4' ? '3' : '7';
    if (open_kind_ != first_kind || open_code_ != code || sequence <= open_sequence_) {
      report.Reject(line, absl::StrCat("continuation of ", code, " (sequence ", row.sequence,
                                       ") does not follow its first line"));
      return;
    }
    open_sequence_ = sequence;
    std::string* text =
        kind == '4' ? &out_->codes.back().long_title : &out_->modifiers.back().long_description;
    AppendPiece(text, row.long_description);
    ++report.rows_accepted;
    return;
  }

  History history;
  std::optional<absl::CivilDay> asc, opps;
  struct DateField {
    absl::string_view name, text;
    std::optional<absl::CivilDay>* day;
  };
  for (const DateField& d :
       {DateField{"added", row.added_date, &history.added},
        DateField{"action effective", row.action_effective_date, &history.effective},
        DateField{"termination", row.termination_date, &history.terminated},
        DateField{"ASC", row.asc_date, &asc}, DateField{"OPPS", row.opps_date, &opps}}) {
    if (!ParseOptionalYyyyMmDd(d.text, d.day)) {
      report.Reject(line, absl::StrCat(code, ": ", d.name, " date \"", d.text,
                                       "\" is not a valid YYYYMMDD date"));
      return;
    }
  }
  if (row.action_code.size() > 1) {
    report.Reject(line, absl::StrCat(code, ": action code \"", row.action_code,
                                     "\" is longer than one character"));
    return;
  }
  if (!row.action_code.empty()) history.action = row.action_code[0];
  const char action = history.action;
  const std::string& edition_id = report.edition.id;

  if (is_modifier) {
    auto [it, fresh] = modifier_index_.try_emplace(code, out_->modifiers.size());
    if (!fresh) {
      report.Reject(line, absl::StrCat("duplicate modifier ", code));
      return;
    }
    Modifier& m = out_->modifiers.emplace_back();
    m.code = std::string(code);
    AppendPiece(&m.long_description, row.long_description);
    m.short_description = std::string(row.short_description);
    SetHistory(history, edition_id, &m);
  } else {
    auto [it, fresh] = code_index_.try_emplace(code, out_->codes.size());
    if (!fresh) {
      report.Reject(line, absl::StrCat("duplicate code ", code));
      return;
    }
    CodeRecord& r = out_->codes.emplace_back();
    r.system = CodeSystem::kHcpcs;
    r.code = std::string(code);
    r.display_code = r.code;
    r.category = r.code.substr(0, 1);
    AppendPiece(&r.long_title, row.long_description);
    r.short_title = std::string(row.short_description);
    // HCPCS has no headers: every listed code can be billed until its
    // termination date.
    r.billable = true;
    SetHistory(history, edition_id, &r);
    if (action == 'A') r.change_status = ChangeStatus::kNew;
    if (action == 'D') r.change_status = ChangeStatus::kDeleted;
    auto details = std::make_shared<HcpcsDetails>();
    for (size_t i = 0; i < 4; ++i) details->pricing_indicators[i] = std::string(row.price[i]);
    details->multiple_pricing_indicator = std::string(row.multiple_price);
    details->coverage_issues_manual_refs = NonBlank(row.cim);
    details->medicare_carriers_manual_refs = NonBlank(row.mcm);
    details->statute = std::string(row.statute);
    details->lab_certifications = NonBlank(row.lab_cert);
    details->cross_references = NonBlank(row.xref);
    details->coverage_code = std::string(row.coverage);
    details->asc_payment_group = std::string(row.asc_group);
    details->asc_effective_date = asc;
    details->opps_payment_group = std::string(row.opps);
    details->opps_payment_indicator = std::string(row.opps_indicator);
    details->opps_effective_date = opps;
    details->processing_note = std::string(row.processing_note);
    details->betos = std::string(row.betos);
    details->type_of_service = NonBlank(row.type_of_service);
    details->anesthesia_base_units = std::string(row.anesthesia_base_units);
    r.hcpcs = std::move(details);
  }
  open_code_ = std::string(code);
  open_sequence_ = sequence;
  open_kind_ = kind;
  ++report.rows_accepted;
}

}  // namespace openencoder::catalogue
