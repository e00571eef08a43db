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
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/search_engine/search_index.h"

namespace openencoder::assistant {

struct KnowledgeArticle {
  std::string id;       // "modifier-25"; an Official Guidelines section: "guidelines-I.C.4.a.2"
  std::string section;  // Official Guidelines only: "I.C.4.a.2" (empty for our articles)
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
  // `guidelines_pdf` (may be empty or absent: the demo data has none) is
  // the ICD-10-CM Official Guidelines PDF, extracted and split by section
  // (official_guidelines.h) into an index of its own built by the same
  // engine. A PDF that cannot be read leaves the guidelines out and says
  // why in guidelines_status().
  static absl::StatusOr<std::unique_ptr<KnowledgeBase>> Load(
      const std::string& directory, const std::string& guidelines_pdf = "");

  // Parses one article's text (exposed for tests).
  static absl::StatusOr<KnowledgeArticle> ParseArticle(absl::string_view text);

  // The best articles for `query`, best first, at most `limit`. Empty for a
  // query with no letter or digit.
  std::vector<ArticleHit> Search(absl::string_view query, size_t limit) const;

  // The best Official Guidelines sections for `query` (empty without the PDF).
  std::vector<ArticleHit> SearchGuidelines(absl::string_view query, size_t limit) const;

  // By id, or null.
  const KnowledgeArticle* Find(absl::string_view id) const;

  size_t size() const { return articles_.size(); }
  // Sections of the ICD-10-CM Official Guidelines loaded (0 without the PDF).
  size_t guideline_sections() const { return guidelines_.size(); }
  // OK when the guidelines loaded or none was asked for.
  const absl::Status& guidelines_status() const { return guidelines_status_; }
  // "ICD-10-CM Official Guidelines for Coding and Reporting FY 2026".
  const std::string& guidelines_source() const { return guidelines_source_; }

 private:
  KnowledgeBase() = default;
  absl::Status LoadGuidelines(const std::string& pdf);
  std::vector<std::unique_ptr<KnowledgeArticle>> articles_;
  absl::flat_hash_map<std::string, const KnowledgeArticle*> by_code_;  // index code -> article
  absl::flat_hash_map<std::string, const KnowledgeArticle*> by_id_;
  std::shared_ptr<const search::SearchIndex> index_;
  std::vector<std::unique_ptr<KnowledgeArticle>> guidelines_;
  absl::flat_hash_map<std::string, const KnowledgeArticle*> guideline_by_code_;
  std::shared_ptr<const search::SearchIndex> guideline_headings_;
  std::shared_ptr<const search::SearchIndex> guidelines_index_;
  absl::Status guidelines_status_;
  std::string guidelines_source_;
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_KNOWLEDGE_BASE_H_
