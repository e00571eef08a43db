#include "libs/code_sets/importers/field_parse.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"

namespace openencoder::catalogue {

namespace {

// A blank field is "no date"; anything else must parse with `parse`.
bool ParseOptionalDay(absl::string_view text, std::optional<absl::CivilDay>* day,
                      bool (*parse)(absl::string_view, absl::CivilDay*)) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) {
    day->reset();
    return true;
  }
  absl::CivilDay parsed;
  if (!parse(text, &parsed)) return false;
  *day = parsed;
  return true;
}

}  // namespace

absl::string_view FixedField(absl::string_view line, size_t first, size_t last) {
  if (first == 0 || first > line.size() || last < first) return {};
  absl::string_view field = line.substr(first - 1, last - first + 1);
  return absl::StripTrailingAsciiWhitespace(field);
}

absl::string_view FixedFieldToEnd(absl::string_view line, size_t first) {
  if (first == 0 || first > line.size()) return {};
  return absl::StripTrailingAsciiWhitespace(line.substr(first - 1));
}

bool ParseYyyyMmDd(absl::string_view text, absl::CivilDay* day) {
  if (text.size() != 8) return false;
  int parts[3] = {0, 0, 0};
  const size_t widths[3] = {4, 2, 2};
  size_t pos = 0;
  for (int i = 0; i < 3; ++i) {
    for (size_t j = 0; j < widths[i]; ++j, ++pos) {
      char c = text[pos];
      if (c < '0' || c > '9') return false;
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  // CivilDay normalises 2023-02-31 to 2023-03-03; a round trip catches it.
  absl::CivilDay parsed(parts[0], parts[1], parts[2]);
  if (parsed.year() != parts[0] || parsed.month() != parts[1] || parsed.day() != parts[2]) {
    return false;
  }
  *day = parsed;
  return true;
}

bool ParseOptionalYyyyMmDd(absl::string_view text, std::optional<absl::CivilDay>* day) {
  return ParseOptionalDay(text, day, ParseYyyyMmDd);
}

bool ParseIsoDay(absl::string_view text, absl::CivilDay* day) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  char digits[8];
  text.copy(digits, 4, 0);
  text.copy(digits + 4, 2, 5);
  text.copy(digits + 6, 2, 8);
  return ParseYyyyMmDd(absl::string_view(digits, 8), day);
}

bool ParseOptionalIsoDay(absl::string_view text, std::optional<absl::CivilDay>* day) {
  return ParseOptionalDay(text, day, ParseIsoDay);
}

bool ParseDecimalOrBlank(absl::string_view text, double* value) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) {
    *value = 0;
    return true;
  }
  return absl::SimpleAtod(text, value);
}

bool ParseSmallInt(absl::string_view text, int* value) {
  if (text.empty() || text.size() > 9) return false;
  int result = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    result = result * 10 + (c - '0');
  }
  *value = result;
  return true;
}

}  // namespace openencoder::catalogue
