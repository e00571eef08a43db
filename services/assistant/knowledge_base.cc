#include "services/assistant/knowledge_base.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/search_engine/index_builder.h"
#include "services/assistant/official_guidelines.h"

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

// The classifier turns "E/M" in a question into "evaluation management"
// (the letters alone match anything); articles are indexed the same way.
// Only the indexed text changes, never what is shown.
std::string ForIndex(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"E/M", "E/M evaluation management"},
                                    {"e/m", "e/m evaluation management"},
                                    {"MDM", "MDM medical decision making"}});
}

std::optional<search::SearchResponse> RunSearch(const search::SearchIndex& index,
                                                absl::string_view query, size_t limit) {
  search::SearchRequest request;
  request.query = std::string(query.substr(0, search::kMaxQueryBytes));
  request.limit = std::clamp<size_t>(limit, 1, search::kMaxLimit);
  absl::StatusOr<search::SearchResponse> response = index.Search(request);
  if (!response.ok()) return std::nullopt;
  return *std::move(response);
}

// A question's wording ("How do I choose an E/M level by ...") holds words
// no article uses, or words each article uses but none all together. When
// the whole query matches nothing it is run again with only the words the
// index knows as written (no spelling correction), provided they are at
// least half of the question ("weather Paris tomorrow" keeps nothing and
// stays unanswered); if that still matches nothing, with each one word left
// out, keeping the best full match.
std::optional<search::SearchResponse> Relaxed(const search::SearchIndex& index,
                                              absl::string_view query, size_t limit) {
  // Words that carry no topic ("will", "like", "on") neither count nor
  // stay: "will weather like lisbon on saturday" must not shrink to them.
  static constexpr absl::string_view kStop[] = {
      "on",   "at",    "be",   "like",  "will", "would", "could", "get",   "got",   "have",
      "has",  "had",   "am",   "was",   "were", "from",  "into",  "than",  "then",  "so",
      "if",   "or",    "not",  "no",    "yes",  "this",  "that",  "these", "those", "there",
      "here", "as",    "any",  "all",   "some", "more",  "most",  "much",  "many",  "who",
      "why",  "where", "what", "which", "your", "you",   "its",   "get",   "need",  "want"};
  std::vector<std::string> words;
  for (absl::string_view w : absl::StrSplit(query, ' ', absl::SkipWhitespace())) {
    if (std::find(std::begin(kStop), std::end(kStop), w) == std::end(kStop)) words.emplace_back(w);
  }
  if (words.size() < 2 || words.size() > 12) return std::nullopt;
  std::vector<std::string> known;
  for (const std::string& w : words) {
    std::optional<search::SearchResponse> r = RunSearch(index, w, 1);
    if (r.has_value() && !r->hits.empty() && !r->partial_match && r->corrections.empty()) {
      known.push_back(w);
    }
  }
  if (known.empty() || known.size() * 2 < words.size()) return std::nullopt;
  if (known.size() <= words.size()) {
    std::optional<search::SearchResponse> r = RunSearch(index, absl::StrJoin(known, " "), limit);
    if (r.has_value() && !r->partial_match) return r;
  }
  if (known.size() < 3) return std::nullopt;
  std::optional<search::SearchResponse> best;
  for (size_t skip = 0; skip < known.size(); ++skip) {
    std::vector<std::string> fewer;
    for (size_t i = 0; i < known.size(); ++i) {
      if (i != skip) fewer.push_back(known[i]);
    }
    std::optional<search::SearchResponse> r = RunSearch(index, absl::StrJoin(fewer, " "), limit);
    if (!r.has_value() || r->partial_match || r->hits.empty()) continue;
    if (!best.has_value() || r->hits.front().score > best->hits.front().score) best = std::move(r);
  }
  return best;
}

std::vector<ArticleHit> SearchIn(
    const search::SearchIndex* index,
    const absl::flat_hash_map<std::string, const KnowledgeArticle*>& by_code,
    absl::string_view query, size_t limit, bool relax) {
  std::vector<ArticleHit> hits;
  if (index == nullptr) return hits;
  std::optional<search::SearchResponse> response = RunSearch(*index, query, limit);
  if (relax && response.has_value() && response->partial_match) {
    std::optional<search::SearchResponse> relaxed = Relaxed(*index, query, limit);
    if (relaxed.has_value()) response = std::move(relaxed);
  }
  if (!response.has_value()) return hits;
  for (const search::Hit& hit : response->hits) {
    auto it = by_code.find(hit.code);
    if (it == by_code.end()) continue;
    hits.push_back(ArticleHit{it->second, hit.score, !response->partial_match});
  }
  return hits;
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

absl::StatusOr<std::unique_ptr<KnowledgeBase>> KnowledgeBase::Load(
    const std::string& directory, const std::string& guidelines_pdf) {
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
    doc.title = ForIndex(owned->title);
    // Expanded in titles only: a body or tag that says "E/M" is often
    // not about E/M.
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
  if (!guidelines_pdf.empty()) kb->guidelines_status_ = kb->LoadGuidelines(guidelines_pdf);
  return kb;
}

absl::Status KnowledgeBase::LoadGuidelines(const std::string& pdf) {
  absl::StatusOr<std::string> text = ExtractPdfText(pdf);
  if (!text.ok()) return text.status();
  absl::StatusOr<OfficialGuidelines> parsed = ParseGuidelines(*text);
  if (!parsed.ok()) return parsed.status();
  guidelines_source_ =
      absl::StrCat("ICD-10-CM Official Guidelines for Coding and Reporting ", parsed->edition);
  // Two indexes by the same engine: one of the headings (each with the
  // headings above it, so "outpatient uncertain diagnosis" finds IV.H
  // "Uncertain diagnosis" under the outpatient Section IV) and one of the
  // text.
  absl::flat_hash_map<std::string, std::string> titles;
  for (const GuidelineSection& section : parsed->sections) titles[section.id] = section.title;
  search::IndexBuilder headings;
  search::IndexBuilder texts;
  for (GuidelineSection& section : parsed->sections) {
    auto article = std::make_unique<KnowledgeArticle>();
    article->id = absl::StrCat("guidelines-", section.id);
    article->section = section.id;
    article->title = section.title;
    article->sources = guidelines_source_;
    article->body = std::move(section.text);
    // Section ids squashed to letters and digits collide ("III", "II.I"):
    // the index code is the section's position.
    const std::string code = absl::StrCat("GL", guidelines_.size());
    search::SearchDocument heading;
    heading.system = "GL";
    heading.code = code;
    heading.display_code = section.id;
    heading.title = article->title;
    for (std::string parent = section.id; parent.find('.') != std::string::npos;) {
      parent.resize(parent.rfind('.'));
      auto it = titles.find(parent);
      if (it != titles.end()) heading.lay_terms.push_back(it->second);
    }
    search::SearchDocument text = heading;
    text.lay_terms.clear();
    text.plain_language = article->body;
    if (absl::Status added = headings.Add(std::move(heading)); !added.ok()) return added;
    if (absl::Status added = texts.Add(std::move(text)); !added.ok()) return added;
    guideline_by_code_[code] = article.get();
    by_id_[article->id] = article.get();
    guidelines_.push_back(std::move(article));
  }
  absl::StatusOr<std::shared_ptr<const search::SearchIndex>> heading_index =
      std::move(headings).Build();
  if (!heading_index.ok()) return heading_index.status();
  absl::StatusOr<std::shared_ptr<const search::SearchIndex>> text_index = std::move(texts).Build();
  if (!text_index.ok()) return text_index.status();
  guideline_headings_ = *std::move(heading_index);
  guidelines_index_ = *std::move(text_index);
  return absl::OkStatus();
}

std::vector<ArticleHit> KnowledgeBase::SearchGuidelines(absl::string_view query,
                                                        size_t limit) const {
  // Headings first (a question names a topic, and the section about it is
  // the answer), relaxed like our articles; then the text, where only a
  // query whose every word matches counts: the guidelines' 120 pages know
  // nearly every word.
  // The PDF writes "long term" where a question writes "long-term"; single
  // letters and digits ("type 2", "A/D/S") match no indexed word.
  std::vector<std::string> kept;
  for (absl::string_view w : absl::StrSplit(absl::StrReplaceAll(query, {{"-", " "}, {"/", " "}}),
                                            ' ', absl::SkipEmpty())) {
    if (w.size() > 1) kept.emplace_back(w);
  }
  const std::string words = absl::StrJoin(kept, " ");
  std::vector<ArticleHit> hits =
      SearchIn(guideline_headings_.get(), guideline_by_code_, words, limit, /*relax=*/true);
  for (const ArticleHit& hit :
       SearchIn(guidelines_index_.get(), guideline_by_code_, words, limit, /*relax=*/false)) {
    const bool seen = std::any_of(hits.begin(), hits.end(),
                                  [&](const ArticleHit& h) { return h.article == hit.article; });
    if (!seen && hits.size() < limit) hits.push_back(hit);
  }
  return hits;
}

std::vector<ArticleHit> KnowledgeBase::Search(absl::string_view query, size_t limit) const {
  return SearchIn(index_.get(), by_code_, query, limit, /*relax=*/true);
}

const KnowledgeArticle* KnowledgeBase::Find(absl::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

}  // namespace openencoder::assistant
