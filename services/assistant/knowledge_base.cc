#include "services/assistant/knowledge_base.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/search/engine/index_builder.h"

namespace openencoder::assistant {
namespace {

// The engine wants a code of letters and digits: "modifier-25" -> "MODIFIER25".
std::string IndexCode(absl::string_view id) {
  std::string code;
  for (char c : id) {
    if (absl::ascii_isalnum(c)) code.push_back(absl::ascii_toupper(c));
  }
  return code;
}

}  // namespace

absl::StatusOr<KnowledgeArticle> KnowledgeBase::ParseArticle(absl::string_view text) {
  KnowledgeArticle article;
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  size_t i = 0;
  if (lines.empty() || absl::StripAsciiWhitespace(lines[0]) != "---") {
    return absl::InvalidArgumentError("article does not start with a '---' front matter line");
  }
  for (i = 1; i < lines.size(); ++i) {
    absl::string_view line = absl::StripTrailingAsciiWhitespace(lines[i]);
    if (line == "---") break;
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(line, absl::MaxSplits(": ", 1));
    const absl::string_view key = absl::StripAsciiWhitespace(kv.first);
    const std::string value(absl::StripAsciiWhitespace(kv.second));
    if (key == "id") {
      article.id = value;
    } else if (key == "title") {
      article.title = value;
    } else if (key == "sources") {
      article.sources = value;
    } else if (key == "tags") {
      for (absl::string_view tag : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
        article.tags.emplace_back(absl::StripAsciiWhitespace(tag));
      }
    }
  }
  if (i >= lines.size()) return absl::InvalidArgumentError("front matter is not closed by '---'");
  std::vector<absl::string_view> body(lines.begin() + static_cast<long>(i) + 1, lines.end());
  article.body = std::string(absl::StripAsciiWhitespace(absl::StrJoin(body, "\n")));
  if (article.id.empty() || article.title.empty()) {
    return absl::InvalidArgumentError("front matter lacks id or title");
  }
  return article;
}

absl::StatusOr<std::unique_ptr<KnowledgeBase>> KnowledgeBase::Load(const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(directory, error)) {
    return absl::NotFoundError(absl::StrCat("knowledge base folder ", directory, " not found"));
  }
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory, error)) {
    if (entry.path().extension() == ".md") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) return absl::NotFoundError(absl::StrCat("no *.md articles in ", directory));

  auto kb = std::unique_ptr<KnowledgeBase>(new KnowledgeBase());
  search::IndexBuilder builder;
  for (const fs::path& path : files) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    absl::StatusOr<KnowledgeArticle> article = ParseArticle(text.str());
    if (!article.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path.string(), ": ", article.status().message()));
    }
    auto owned = std::make_unique<KnowledgeArticle>(*std::move(article));
    search::SearchDocument doc;
    doc.system = "KB";
    doc.code = IndexCode(owned->id);
    doc.display_code = owned->id;
    doc.title = owned->title;
    doc.plain_language = owned->body;
    doc.lay_terms = owned->tags;
    doc.lay_terms.push_back(absl::StrReplaceAll(owned->id, {{"-", " "}}));
    absl::Status added = builder.Add(std::move(doc));
    if (!added.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path.string(), ": ", added.message()));
    }
    kb->by_code_[IndexCode(owned->id)] = owned.get();
    kb->by_id_[owned->id] = owned.get();
    kb->articles_.push_back(std::move(owned));
  }
  absl::StatusOr<std::shared_ptr<const search::SearchIndex>> index = std::move(builder).Build();
  if (!index.ok()) return index.status();
  kb->index_ = *std::move(index);
  return kb;
}

std::vector<ArticleHit> KnowledgeBase::Search(absl::string_view query, size_t limit) const {
  std::vector<ArticleHit> hits;
  search::SearchRequest request;
  request.query = std::string(query.substr(0, search::kMaxQueryBytes));
  request.limit = std::clamp<size_t>(limit, 1, search::kMaxLimit);
  absl::StatusOr<search::SearchResponse> response = index_->Search(request);
  if (!response.ok()) return hits;
  for (const search::Hit& hit : response->hits) {
    auto it = by_code_.find(hit.code);
    if (it == by_code_.end()) continue;
    hits.push_back(ArticleHit{it->second, hit.score, !response->partial_match});
  }
  return hits;
}

const KnowledgeArticle* KnowledgeBase::Find(absl::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

}  // namespace openencoder::assistant
