// Small parsers for fields of the official files. All are allocation-free
// and report failure instead of guessing.
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_FIELD_PARSE_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_FIELD_PARSE_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace openencoder::catalogue {

// Characters `first`..`last` (1-based, inclusive, as record layouts print
// them) of `line`, clipped to the line and with trailing blanks removed.
absl::string_view FixedField(absl::string_view line, size_t first, size_t last);

// `line` from 1-based column `first` to its end, trailing blanks removed.
absl::string_view FixedFieldToEnd(absl::string_view line, size_t first);

// Parses exactly eight digits YYYYMMDD naming a real calendar day
// (20230231 fails). Returns false otherwise.
bool ParseYyyyMmDd(absl::string_view text, absl::CivilDay* day);

// Like ParseYyyyMmDd, but a blank field gives nullopt and true.
bool ParseOptionalYyyyMmDd(absl::string_view text, std::optional<absl::CivilDay>* day);

// Parses exactly "YYYY-MM-DD" naming a real calendar day (the form of our
// own tables). Returns false otherwise.
bool ParseIsoDay(absl::string_view text, absl::CivilDay* day);

// Like ParseIsoDay, but a blank field gives nullopt and true.
bool ParseOptionalIsoDay(absl::string_view text, std::optional<absl::CivilDay>* day);

// Parses a decimal number; a blank field gives 0 (CMS leaves zeros blank).
bool ParseDecimalOrBlank(absl::string_view text, double* value);

// Parses a non-negative integer of at most 9 digits.
bool ParseSmallInt(absl::string_view text, int* value);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_FIELD_PARSE_H_
