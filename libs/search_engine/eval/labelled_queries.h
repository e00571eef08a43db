// The labelled query set (data/search/queries.tsv) and the quality figures
// computed from it: hit@1, hit@10 and mean reciprocal rank (MRR@10).
//
// File format: UTF-8 TSV with the header kind<TAB>query<TAB>accepted_codes;
// accepted_codes is a comma-separated list of canonical codes (no dot)
// that a coder would accept as the answer. Blank lines are ignored.
//
// Example:
//   ASSIGN_OR_RETURN(std::vector<LabelledQuery> queries,
//                    LoadLabelledQueries("data/search/queries.tsv"));
//   QualityTally tally;
//   for (const LabelledQuery& q : queries) {
//     tally.Add(q.kind, RankOfFirstAccepted(q, top_codes_for(q.query)));
//   }
//   double hit10 = tally.Overall().hit_at_10();
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_EVAL_LABELLED_QUERIES_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_EVAL_LABELLED_QUERIES_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"

namespace openencoder::search {

struct LabelledQuery {
  std::string kind;                           // "code", "words", "lay", ...
  std::string query;                          // As a user would type it.
  absl::flat_hash_set<std::string> accepted;  // Canonical codes, upper case.
};

// InvalidArgumentError for a wrong header or a row without three fields or
// without accepted codes (with its line number); NotFoundError when the
// file cannot be opened.
absl::StatusOr<std::vector<LabelledQuery>> LoadLabelledQueries(const std::string& path);

// 1-based position of the first accepted code among `ranked_codes` (best
// first, dots and case ignored), looking at the first 10 only; 0 if none.
size_t RankOfFirstAccepted(const LabelledQuery& query,
                           const std::vector<std::string>& ranked_codes);

// Quality figures of one group of queries.
struct Quality {
  size_t queries = 0;
  size_t hits_at_1 = 0;
  size_t hits_at_10 = 0;
  double reciprocal_rank_sum = 0;

  double hit_at_1() const { return queries ? 1.0 * hits_at_1 / queries : 0; }
  double hit_at_10() const { return queries ? 1.0 * hits_at_10 / queries : 0; }
  double mrr() const { return queries ? reciprocal_rank_sum / queries : 0; }
};

// Accumulates ranks overall and per query kind.
class QualityTally {
 public:
  // `rank` as returned by RankOfFirstAccepted.
  void Add(const std::string& kind, size_t rank);

  const Quality& Overall() const { return overall_; }
  // Sorted by kind name.
  const std::map<std::string, Quality>& PerKind() const { return per_kind_; }

 private:
  Quality overall_;
  std::map<std::string, Quality> per_kind_;
};

}  // namespace openencoder::search

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_EVAL_LABELLED_QUERIES_H_
