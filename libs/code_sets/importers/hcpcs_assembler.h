// Turns HCPCS Level II rows (fixed-width or spreadsheet, same fields) into
// CodeRecords and Modifiers, joining continuation rows. Shared by the two
// HCPCS importers so that both apply the same validation.
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_HCPCS_ASSEMBLER_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_HCPCS_ASSEMBLER_H_

#include <array>
#include <cstdint>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "libs/code_sets/importers/code_set_import.h"

namespace openencoder::catalogue {

// Views of one row's fields, right-trimmed, named as in the record layout.
struct HcpcsRawRow {
  absl::string_view code;  // "A0021", or "   A1" for a modifier.
  absl::string_view sequence;
  absl::string_view record_id;  // 3, 4 (code), 7, 8 (modifier).
  absl::string_view long_description;
  absl::string_view short_description;
  std::array<absl::string_view, 4> price;
  absl::string_view multiple_price;
  std::array<absl::string_view, 3> cim;
  std::array<absl::string_view, 3> mcm;
  absl::string_view statute;
  std::array<absl::string_view, 8> lab_cert;
  std::array<absl::string_view, 5> xref;
  absl::string_view coverage;
  absl::string_view asc_group;
  absl::string_view asc_date;
  absl::string_view opps;
  absl::string_view opps_indicator;
  absl::string_view opps_date;
  absl::string_view processing_note;
  absl::string_view betos;
  std::array<absl::string_view, 5> type_of_service;
  absl::string_view anesthesia_base_units;
  absl::string_view added_date;
  absl::string_view action_effective_date;
  absl::string_view termination_date;
  absl::string_view action_code;
};

class HcpcsAssembler {
 public:
  // Appends to `out` (codes, modifiers, report); `out` must outlive this.
  explicit HcpcsAssembler(HcpcsImport* out);

  // Validates one data row read at `line` and adds it, or rejects it in
  // out->report. Counts rows_accepted; the caller counts rows_read.
  void Add(int64_t line, const HcpcsRawRow& row);

 private:
  HcpcsImport* out_;
  absl::flat_hash_map<std::string, size_t> code_index_;
  absl::flat_hash_map<std::string, size_t> modifier_index_;
  // The record continuation rows extend: its code, last sequence and kind.
  std::string open_code_;
  int open_sequence_ = 0;
  char open_kind_ = '\0';  // '3' or '7'.
};

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_HCPCS_ASSEMBLER_H_
