// The guideline knowledge base: data/assistant/knowledge/*.md (our own
// words) loaded into an in-process search index with system "KB", so that
// guideline questions are answered by the same engine as code search.
//
// File format: a front matter block between "---" lines with one
// "key: value" per line (split on the first ": ", titles contain colons):
// id, title, tags (comma separated), sources; then the Markdown body.
//
// Thread safety: immutable after Load(); Search/Find may run concurrently.
#ifndef OPENENCODER_SERVICES_ASSISTANT_KNOWLEDGE_BASE_H_
#define OPENENCODER_SERVICES_ASSISTANT_KNOWLEDGE_BASE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/search/engine/search_index.h"

namespace openencoder::assistant {

struct KnowledgeArticle {
  std::string id;  // "modifier-25"
  std::string title;
  std::vector<std::string> tags;
  std::string sources;  // as written in the front matter
  std::string body;     // Markdown
};

struct ArticleHit {
  const KnowledgeArticle* article;  // owned by the KnowledgeBase
  double score = 0;
  bool all_words = false;  // every query word matched (not a partial match)
};

class KnowledgeBase {
 public:
  // Reads every *.md in `directory`. INVALID_ARGUMENT names a file whose
  // front matter lacks id or title; NOT_FOUND when the folder is missing or
  // holds no article.
  static absl::StatusOr<std::unique_ptr<KnowledgeBase>> Load(const std::string& directory);

  // Parses one article's text (exposed for tests).
  static absl::StatusOr<KnowledgeArticle> ParseArticle(absl::string_view text);

  // The best articles for `query`, best first, at most `limit`. Empty for a
  // query with no letter or digit.
  std::vector<ArticleHit> Search(absl::string_view query, size_t limit) const;

  // By id, or null.
  const KnowledgeArticle* Find(absl::string_view id) const;

  size_t size() const { return articles_.size(); }

 private:
  KnowledgeBase() = default;
  std::vector<std::unique_ptr<KnowledgeArticle>> articles_;
  absl::flat_hash_map<std::string, const KnowledgeArticle*> by_code_;  // index code -> article
  absl::flat_hash_map<std::string, const KnowledgeArticle*> by_id_;
  std::shared_ptr<const search::SearchIndex> index_;
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_KNOWLEDGE_BASE_H_
