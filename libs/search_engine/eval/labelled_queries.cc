#include "libs/search_engine/eval/labelled_queries.h"

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace openencoder::search {
namespace {

// Upper case without dots, dashes or spaces: how codes are compared.
std::string CanonicalCode(absl::string_view code) {
  std::string out;
  for (char c : code) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      out.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

void Tally(Quality& quality, size_t rank) {
  ++quality.queries;
  if (rank == 1) ++quality.hits_at_1;
  if (rank >= 1 && rank <= 10) {
    ++quality.hits_at_10;
    quality.reciprocal_rank_sum += 1.0 / rank;
  }
}

}  // namespace

absl::StatusOr<std::vector<LabelledQuery>> LoadLabelledQueries(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::vector<LabelledQuery> queries;
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    absl::string_view text = absl::StripSuffix(line, "\r");
    if (number == 1) {
      if (text != "kind\tquery\taccepted_codes") {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ":1: header is not kind/query/accepted_codes"));
      }
      continue;
    }
    if (absl::StripAsciiWhitespace(text).empty()) continue;
    std::vector<absl::string_view> fields = absl::StrSplit(text, '\t');
    if (fields.size() != 3 || fields[1].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", number, ": expected 3 fields"));
    }
    LabelledQuery query;
    query.kind = std::string(fields[0]);
    query.query = std::string(fields[1]);
    for (absl::string_view code : absl::StrSplit(fields[2], ',')) {
      std::string canonical = CanonicalCode(code);
      if (!canonical.empty()) query.accepted.insert(std::move(canonical));
    }
    if (query.accepted.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", number, ": no accepted codes"));
    }
    queries.push_back(std::move(query));
  }
  return queries;
}

size_t RankOfFirstAccepted(const LabelledQuery& query,
                           const std::vector<std::string>& ranked_codes) {
  for (size_t i = 0; i < ranked_codes.size() && i < 10; ++i) {
    if (query.accepted.contains(CanonicalCode(ranked_codes[i]))) return i + 1;
  }
  return 0;
}

void QualityTally::Add(const std::string& kind, size_t rank) {
  Tally(overall_, rank);
  Tally(per_kind_[kind], rank);
}

}  // namespace openencoder::search
