#include "absl/strings/str_cat.h"
#include "libs/code_sets/importers/field_parse.h"
#include "libs/code_sets/importers/hcpcs_assembler.h"
#include "libs/code_sets/importers/hcpcs_importer.h"
#include "libs/code_sets/importers/line_reader.h"

namespace openencoder::catalogue {
namespace {

constexpr size_t kLongRecord = 320;
constexpr size_t kShortRecord = 293;  // Last data position: action code.

bool LooksLikeRecord(absl::string_view line) {
  if (line.size() < kShortRecord || line.size() > kLongRecord) return false;
  char id = line[10];
  return id == '3' || id == '4' || id == '7' || id == '8';
}

HcpcsRawRow Slice(absl::string_view l) {
  HcpcsRawRow r;
  r.code = FixedField(l, 1, 5);
  r.sequence = FixedField(l, 6, 10);
  r.record_id = FixedField(l, 11, 11);
  r.long_description = FixedField(l, 12, 91);
  r.short_description = FixedField(l, 92, 119);
  for (size_t i = 0; i < 4; ++i) r.price[i] = FixedField(l, 120 + 2 * i, 121 + 2 * i);
  r.multiple_price = FixedField(l, 128, 128);
  for (size_t i = 0; i < 3; ++i) r.cim[i] = FixedField(l, 129 + 6 * i, 134 + 6 * i);
  for (size_t i = 0; i < 3; ++i) r.mcm[i] = FixedField(l, 147 + 8 * i, 154 + 8 * i);
  r.statute = FixedField(l, 171, 180);
  for (size_t i = 0; i < 8; ++i) r.lab_cert[i] = FixedField(l, 181 + 3 * i, 183 + 3 * i);
  for (size_t i = 0; i < 5; ++i) r.xref[i] = FixedField(l, 205 + 5 * i, 209 + 5 * i);
  r.coverage = FixedField(l, 230, 230);
  r.asc_group = FixedField(l, 231, 232);
  r.asc_date = FixedField(l, 233, 240);
  r.opps = FixedField(l, 241, 243);
  r.opps_indicator = FixedField(l, 244, 244);
  r.opps_date = FixedField(l, 245, 252);
  r.processing_note = FixedField(l, 253, 256);
  r.betos = FixedField(l, 257, 259);
  for (size_t i = 0; i < 5; ++i) r.type_of_service[i] = FixedField(l, 261 + i, 261 + i);
  r.anesthesia_base_units = FixedField(l, 266, 268);
  r.added_date = FixedField(l, 269, 276);
  r.action_effective_date = FixedField(l, 277, 284);
  r.termination_date = FixedField(l, 285, 292);
  r.action_code = FixedField(l, 293, 293);
  return r;
}

}  // namespace

absl::StatusOr<HcpcsImport> ImportHcpcsFixedWidth(const std::string& path, Edition edition) {
  HcpcsImport out;
  edition.system = CodeSystem::kHcpcs;
  absl::StatusOr<LineReader> reader = OpenImport(path, edition, &out.report);
  if (!reader.ok()) return reader.status();
  out.codes.reserve(reader->EstimateLines(kLongRecord));
  HcpcsAssembler assembler(&out);
  ImportReport& report = out.report;

  size_t record_length = 0;  // Unknown until the first record.
  absl::string_view line;
  while (reader->Next(&line)) {
    const int64_t n = reader->line_number();
    if (record_length == 0) {
      if (!LooksLikeRecord(line)) {
        ++report.lines_skipped;  // Disclaimer preamble.
        continue;
      }
      record_length = line.size() > kShortRecord ? kLongRecord : kShortRecord;
    }
    if (line.empty()) {
      ++report.lines_skipped;
      continue;
    }
    ++report.rows_read;
    const bool filler_trimmed =
        record_length == kLongRecord && line.size() >= kShortRecord && line.size() < kLongRecord;
    if (line.size() != record_length && !filler_trimmed) {
      report.Reject(n, absl::StrCat("record has ", line.size(),
                                    " characters; records of this file have ", record_length));
      continue;
    }
    assembler.Add(n, Slice(line));
  }
  if (record_length == 0) report.Reject(0, "no HCPCS record found in the file");
  return out;
}

}  // namespace openencoder::catalogue
