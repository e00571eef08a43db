#include "services/assistant/answer_engine.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/assistant/official_guidelines.h"

namespace openencoder::assistant {
namespace {

namespace cat = catalogue::v1;

constexpr absl::Duration kCacheTtl = absl::Minutes(5);
// A unit count no MUE reaches: CheckClaim then reports the code's MUE (if
// one is published) as a violation, which is how the unmetered API tells us
// the limit without consuming a reader's code-page view.
constexpr int kMueProbeUnits = 9999;

// The tool could not be reached: the answer must not be guessed.
bool IsOutage(const absl::Status& s) {
  return absl::IsUnavailable(s) || absl::IsDeadlineExceeded(s) || absl::IsInternal(s) ||
         absl::IsUnknown(s) || absl::IsUnauthenticated(s) || absl::IsPermissionDenied(s);
}

std::string Shown(const CodeMention& m) { return m.code; }

std::string AsLower(absl::string_view s) { return absl::AsciiStrToLower(s); }

// Words that name no condition, device or service of their own.
bool IsFiller(absl::string_view w) {
  static constexpr absl::string_view kFillers[] = {
      "machine", "machines", "device",  "devices", "equipment", "supply",  "supplies",
      "item",    "items",    "product", "kit",     "unit",      "patient", "patients",
      "adult",   "child",    "someone", "person",  "type",      "kind",    "new",
      "my",      "their",    "his",     "her"};
  for (absl::string_view f : kFillers) {
    if (w == f) return true;
  }
  return false;
}

std::string ContentWords(absl::string_view words) {
  std::vector<absl::string_view> kept;
  for (absl::string_view w : absl::StrSplit(words, ' ', absl::SkipEmpty())) {
    if (!IsFiller(w)) kept.push_back(w);
  }
  return absl::StrJoin(kept, " ");
}

// The condition a title names, without its qualifiers: "Type 2 diabetes
// mellitus without complications" -> "type 2 diabetes mellitus";
// "Essential (primary) hypertension" -> "essential hypertension".
std::string TitleCore(absl::string_view title) {
  std::string out;
  int depth = 0;
  for (char c : AsLower(title)) {
    if (c == '(' || c == '[') ++depth;
    if (depth == 0 && c != ',') out.push_back(c);
    if ((c == ')' || c == ']') && depth > 0) --depth;
    if (c == ',' && depth == 0) break;
  }
  for (const char* cut :
       {" without ", " with ", " due to ", " in ", " of unspecified", " unspecified"}) {
    const size_t at = out.find(cut);
    if (at != std::string::npos) out.resize(at);
  }
  return std::string(absl::StripAsciiWhitespace(absl::StrReplaceAll(out, {{"  ", " "}})));
}

// One edit apart, or two in a long word (Levenshtein distance).
bool IsNearTypo(absl::string_view typed, absl::string_view corrected) {
  if (typed.empty() || corrected.empty()) return true;
  std::vector<size_t> row(corrected.size() + 1);
  for (size_t j = 0; j <= corrected.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= typed.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= corrected.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min(
          {row[j] + 1, row[j - 1] + 1, diagonal + (typed[i - 1] == corrected[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  const size_t distance = row[corrected.size()];
  return distance <= 1 || (distance == 2 && typed.size() >= 9);
}

// FNV-1a: a stable fingerprint of an answer (stored with the turn).
std::string Digest(absl::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return absl::StrCat(absl::Hex(h, absl::kZeroPad16));
}

}  // namespace

TurnContext ContextOf(const EngineAnswer& a) {
  TurnContext c;
  c.intent = a.question.intent;
  c.modifiers = a.question.modifiers;
  c.locality = a.question.locality;
  c.answer_digest = Digest(a.text);
  // Remember the verified codes, not the question's shapes, so a follow-up
  // starts from what the catalogue confirmed.
  for (const catalogue::v1::CodeSummary& s : a.codes) {
    if (a.question.intent == Intent::kFindCode || a.question.intent == Intent::kChanges ||
        a.question.intent == Intent::kGuideline) {
      break;
    }
    CodeMention m{s.code(), {s.system()}};
    bool seen = false;
    for (const CodeMention& x : c.codes) seen |= x.code == m.code;
    if (!seen) c.codes.push_back(m);
  }
  if (c.codes.empty() && a.question.intent != Intent::kFindCode) c.codes = a.question.codes;
  if (a.question.intent == Intent::kFindCode && !a.codes.empty()) {
    c.codes = {CodeMention{a.codes.front().code(), {a.codes.front().system()}}};
    c.intent = Intent::kCodeMeaning;
  }
  return c;
}

absl::Status AnswerEngine::EditionLabels(Evidence* e, absl::string_view request_id) {
  {
    absl::MutexLock lock(&mu_);
    if (absl::Now() - editions_fetched_ < kCacheTtl) {
      e->edition_labels = edition_labels_;
      return absl::OkStatus();
    }
  }
  absl::StatusOr<cat::GetEditionsResponse> editions = deps_.catalogue->GetEditions(request_id);
  if (!editions.ok()) return editions.status();
  absl::flat_hash_map<std::string, std::string> labels;
  for (const cat::Edition& ed : editions->editions()) labels[ed.id()] = ed.label();
  absl::MutexLock lock(&mu_);
  edition_labels_ = labels;
  editions_fetched_ = absl::Now();
  e->edition_labels = std::move(labels);
  return absl::OkStatus();
}

absl::Status AnswerEngine::LoadModifiers(Evidence* e, absl::string_view request_id) {
  std::vector<cat::Modifier> all;
  {
    absl::MutexLock lock(&mu_);
    if (absl::Now() - modifiers_fetched_ < kCacheTtl) all = modifiers_;
  }
  if (all.empty()) {
    cat::ListModifiersRequest request;
    request.set_page_size(500);
    for (int page = 0; page < 20; ++page) {
      absl::StatusOr<cat::ListModifiersResponse> r =
          deps_.catalogue->ListModifiers(request, request_id);
      if (!r.ok()) return r.status();
      all.insert(all.end(), r->modifiers().begin(), r->modifiers().end());
      if (r->next_page_token().empty()) break;
      request.set_page_token(r->next_page_token());
    }
    absl::MutexLock lock(&mu_);
    modifiers_ = all;
    modifiers_fetched_ = absl::Now();
  }
  for (const std::string& wanted : e->question.modifiers) {
    bool found = false;
    // CPT and HCPCS share some modifier numbers; CPT's entry comes first in
    // our answers because CPT modifiers are the ones coders ask about most.
    for (cat::CodeSystem system : {cat::CODE_SYSTEM_CPT, cat::CODE_SYSTEM_HCPCS}) {
      for (const cat::Modifier& m : all) {
        if (!found && m.system() == system && absl::AsciiStrToUpper(m.code()) == wanted) {
          e->modifiers.push_back(m);
          found = true;
        }
      }
    }
    if (!found) e->unknown_modifiers.push_back(wanted);
  }
  return absl::OkStatus();
}

absl::Status AnswerEngine::LookupCodes(Evidence* e, absl::string_view request_id,
                                       const ProgressSink& progress) {
  cat::BatchGetCodesRequest request;
  std::vector<std::string> shown;
  for (const CodeMention& m : e->question.codes) {
    shown.push_back(Shown(m));
    for (cat::CodeSystem system : m.systems) {
      cat::CodeRef* ref = request.add_codes();
      ref->set_system(system);
      ref->set_code(m.code);
    }
  }
  if (request.codes_size() == 0) return absl::OkStatus();
  progress("lookup_code", absl::StrCat("looking up ", absl::StrJoin(shown, ", ")));
  absl::StatusOr<cat::BatchGetCodesResponse> r =
      deps_.catalogue->BatchGetCodes(request, request_id);
  if (!r.ok()) return r.status();
  for (const CodeMention& m : e->question.codes) {
    const cat::CodeSummary* best = nullptr;
    for (const cat::CodeSummary& s : r->codes()) {
      if (s.code() != m.code) continue;
      // Prefer the system the question names ("HCPCS J0129"), then the
      // first shape match.
      if (best == nullptr || s.system() == e->question.system_hint) best = &s;
    }
    if (best != nullptr) {
      e->codes.push_back(*best);
    } else {
      e->unknown_codes.push_back(m.code);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<search::v1::SearchResponse> AnswerEngine::SearchCodes(const std::string& words,
                                                                     cat::CodeSystem system,
                                                                     absl::string_view request_id) {
  // The same Search RPC (and so the same query understanding: synonyms,
  // spelling, index terms) as Case2Code, filtered to the system asked for.
  search::v1::SearchRequest request;
  request.set_query(words);
  request.set_page_size(5);
  if (system != cat::CODE_SYSTEM_UNSPECIFIED && system != cat::CODE_SYSTEM_ICD9CM) {
    request.mutable_filters()->add_systems(system);
  }
  return deps_.search->Search(request, request_id);
}

absl::Status AnswerEngine::FindCodes(Evidence* e, absl::string_view request_id,
                                     const ProgressSink& progress) {
  const Question& q = e->question;
  if (q.search_words.empty()) return absl::OkStatus();
  progress("search_codes", absl::StrCat("searching codes for \"", q.search_words, "\""));
  absl::StatusOr<search::v1::SearchResponse> r =
      SearchCodes(q.search_words, q.system_hint, request_id);
  if (!r.ok()) return IsOutage(r.status()) ? r.status() : absl::OkStatus();
  // Honest refusals: a partial match ("bite" matched, "dragon" did not)
  // is the nearest unrelated code, not an answer. Only words that name no
  // condition or thing ("machine", "device") may go unmatched: the query
  // is run again without them and must then match in full.
  if (r->partial()) {
    const std::string content = ContentWords(q.search_words);
    if (content.empty() || content == q.search_words) return absl::OkStatus();
    r = SearchCodes(content, q.system_hint, request_id);
    if (!r.ok()) return IsOutage(r.status()) ? r.status() : absl::OkStatus();
    if (r->partial()) return absl::OkStatus();
  }
  // A spelling correction that changes a word into another word
  // ("sweater" -> "greater") matched something else than was asked: only
  // near-typos ("diabetis" -> "diabetes") are kept.
  if (r->hits_size() > 0) {
    for (const search::v1::MatchReason& reason : r->hits(0).reasons()) {
      if (reason.kind() != search::v1::MATCH_KIND_SPELLING) continue;
      std::pair<std::string, std::string> parts = absl::StrSplit(reason.detail(), " -> ");
      if (!IsNearTypo(parts.first, parts.second)) return absl::OkStatus();
    }
  }
  // Billable codes first: a header cannot be reported.
  std::vector<search::v1::SearchHit> hits(r->hits().begin(), r->hits().end());
  std::stable_sort(hits.begin(), hits.end(),
                   [](const auto& a, const auto& b) { return a.billable() > b.billable(); });
  e->search_hits = std::move(hits);
  if (q.also_with.empty() || e->search_hits.empty()) return absl::OkStatus();

  // "Also has ...": the previous codes as the catalogue knows them, and a
  // combination code for both conditions when one exists (E11.9 + stage 3
  // CKD -> E11.22, with the N18.3- stage code beside it).
  Evidence previous;
  previous.question.codes = q.also_with;
  previous.question.system_hint = q.system_hint;
  if (absl::Status s = LookupCodes(&previous, request_id, progress); !s.ok()) return s;
  e->also_with = previous.codes;
  if (e->also_with.empty()) return absl::OkStatus();
  const std::string before = TitleCore(e->also_with.front().title());
  const std::string added = TitleCore(e->search_hits.front().title());
  std::vector<std::string> queries = {absl::StrCat(before, " ", added)};
  const size_t last_space = before.rfind(' ');
  if (last_space != std::string::npos) {
    queries.push_back(absl::StrCat(before.substr(last_space + 1), " ", added));
  }
  progress("search_codes", "looking for a code that combines both conditions");
  for (const std::string& query : queries) {
    absl::StatusOr<search::v1::SearchResponse> c =
        SearchCodes(query, e->also_with.front().system(), request_id);
    if (!c.ok()) return IsOutage(c.status()) ? c.status() : absl::OkStatus();
    if (c->partial()) continue;
    for (const search::v1::SearchHit& hit : c->hits()) {
      const bool known =
          std::any_of(e->also_with.begin(), e->also_with.end(),
                      [&](const cat::CodeSummary& s) { return s.code() == hit.code(); });
      if (!known && hit.billable() && hit.code() != e->search_hits.front().code()) {
        e->combination = hit;
        return absl::OkStatus();
      }
    }
  }
  return absl::OkStatus();
}

absl::Status AnswerEngine::Gather(Evidence* e, absl::string_view request_id,
                                  absl::string_view session_token, const ProgressSink& progress) {
  const Question& q = e->question;
  if (absl::Status s = EditionLabels(e, request_id); !s.ok()) return s;

  switch (q.intent) {
    case Intent::kCodeMeaning:
      return LookupCodes(e, request_id, progress);

    case Intent::kFindCode:
      return FindCodes(e, request_id, progress);

    case Intent::kAccount: {
      if (deps_.account == nullptr || session_token.empty()) {
        e->quota_problem = "I cannot see your account from here: sign in on the site first";
        return absl::OkStatus();
      }
      progress("get_quota", "reading your plan and page views");
      absl::StatusOr<account::v1::Quota> quota = deps_.account->GetQuota(session_token, request_id);
      if (!quota.ok()) {
        if (absl::IsUnauthenticated(quota.status())) {
          e->quota_problem = "your session has ended: sign in again to see your plan";
          return absl::OkStatus();
        }
        return quota.status();
      }
      e->quota = *quota;
      return absl::OkStatus();
    }

    case Intent::kNcciPair: {
      if (absl::Status s = LookupCodes(e, request_id, progress); !s.ok()) return s;
      if (e->codes.size() < 2 || !e->unknown_codes.empty()) return absl::OkStatus();
      std::vector<std::string> shown;
      cat::CheckClaimRequest request;
      for (const cat::CodeSummary& c : e->codes) {
        shown.push_back(DisplayCode(c));
        cat::ClaimLine* line = request.add_lines();
        line->set_code(c.code());
        line->set_units(1);
      }
      progress("check_ncci", absl::StrCat("checking NCCI pairs for ", absl::StrJoin(shown, " + ")));
      absl::StatusOr<cat::CheckClaimResponse> r = deps_.catalogue->CheckClaim(request, request_id);
      // A diagnosis code has no NCCI edit: CheckClaim refuses it, and the
      // answer says it cannot check (never a failed turn).
      if (!r.ok()) return IsOutage(r.status()) ? r.status() : absl::OkStatus();
      e->claim = *r;
      if (!q.modifiers.empty()) {
        if (absl::Status s = LoadModifiers(e, request_id); !s.ok()) return s;
        // The modifier goes on the column 2 code, as NCCI expects.
        std::vector<std::string> column2;
        for (const cat::NcciConflict& c : r->ncci_conflicts()) {
          column2.push_back(c.pair().column2_code());
        }
        if (column2.empty()) column2.push_back(e->codes.back().code());
        for (cat::ClaimLine& line : *request.mutable_lines()) {
          if (std::find(column2.begin(), column2.end(), line.code()) != column2.end()) {
            for (const std::string& m : q.modifiers) line.add_modifiers(m);
          }
        }
        progress("check_ncci", absl::StrCat("checking NCCI pairs for ", absl::StrJoin(shown, " + "),
                                            " with modifier ", absl::StrJoin(q.modifiers, ", ")));
        absl::StatusOr<cat::CheckClaimResponse> with =
            deps_.catalogue->CheckClaim(request, request_id);
        if (!with.ok()) return IsOutage(with.status()) ? with.status() : absl::OkStatus();
        e->claim_with_modifiers = *with;
      }
      return absl::OkStatus();
    }

    case Intent::kUnits: {
      if (absl::Status s = LookupCodes(e, request_id, progress); !s.ok()) return s;
      for (const cat::CodeSummary& c : e->codes) {
        progress("check_mue", absl::StrCat("checking the MUE for ", DisplayCode(c)));
        cat::CheckClaimRequest request;
        cat::ClaimLine* line = request.add_lines();
        line->set_code(c.code());
        line->set_units(kMueProbeUnits);
        absl::StatusOr<cat::CheckClaimResponse> r =
            deps_.catalogue->CheckClaim(request, request_id);
        if (!r.ok()) {
          if (IsOutage(r.status())) return r.status();
          continue;  // not a CPT/HCPCS code: no MUE
        }
        for (const cat::MueViolation& v : r->mue_violations()) {
          e->mues[c.code()] = v.mue();
        }
        for (const cat::Attribution& a : r->attributions()) {
          if (e->mue_source.empty() || absl::StrContains(AsLower(a.source()), "mue")) {
            e->mue_source = a.source();
          }
        }
      }
      if (e->mue_source.empty()) e->mue_source = "Medically Unlikely Edits";
      return absl::OkStatus();
    }

    case Intent::kModifier: {
      progress("lookup_modifier",
               absl::StrCat("looking up modifier ", absl::StrJoin(q.modifiers, ", ")));
      if (absl::Status s = LoadModifiers(e, request_id); !s.ok()) return s;
      if (deps_.knowledge != nullptr && !q.modifiers.empty()) {
        const KnowledgeArticle* a =
            deps_.knowledge->Find(absl::StrCat("modifier-", AsLower(q.modifiers.front())));
        if (a != nullptr) {
          progress("search_guidelines",
                   absl::StrCat("reading the guideline on modifier ", q.modifiers.front()));
          e->articles.push_back(a);
        }
      }
      return absl::OkStatus();
    }

    case Intent::kCrosswalk: {
      if (q.codes.empty()) return absl::OkStatus();
      const CodeMention& m = q.codes.front();
      progress("get_crosswalk", absl::StrCat("looking up the GEM crosswalk for ", m.code));
      cat::GetCrosswalkRequest request;
      request.set_code(m.code);
      const bool icd9 =
          std::find(m.systems.begin(), m.systems.end(), cat::CODE_SYSTEM_ICD9CM) != m.systems.end();
      request.set_direction(icd9 ? cat::CROSSWALK_DIRECTION_ICD9_TO_ICD10
                                 : cat::CROSSWALK_DIRECTION_ICD10_TO_ICD9);
      absl::StatusOr<cat::GetCrosswalkResponse> r =
          deps_.catalogue->GetCrosswalk(request, request_id);
      if (!r.ok()) return IsOutage(r.status()) ? r.status() : absl::OkStatus();
      e->crosswalk = *r;
      return absl::OkStatus();
    }

    case Intent::kFee: {
      if (absl::Status s = LookupCodes(e, request_id, progress); !s.ok()) return s;
      if (e->codes.empty()) {
        e->fee_problem = "I cannot find that code in the loaded code sets";
        return absl::OkStatus();
      }
      cat::GetFeeRequest request;
      request.set_code(e->codes.front().code());
      if (!q.modifiers.empty()) request.set_modifier(q.modifiers.front());
      request.set_facility(q.facility);
      e->locality_asked = q.locality;
      if (!q.locality.empty()) {
        const std::string id =
            deps_.localities != nullptr ? deps_.localities->Resolve(q.locality) : "";
        if (id.empty()) {
          e->locality_unknown = true;
        } else {
          request.set_locality(id);
        }
      }
      progress("get_fee",
               absl::StrCat("pricing ", DisplayCode(e->codes.front()), " ",
                            request.locality().empty() ? "nationally" : "in " + q.locality));
      absl::StatusOr<cat::GetFeeResponse> r = deps_.catalogue->GetFee(request, request_id);
      if (!r.ok()) {
        if (IsOutage(r.status())) return r.status();
        e->fee_problem =
            absl::StrCat("the fee schedule has no amount for ", DisplayCode(e->codes.front()), " (",
                         r.status().message(), ")");
        return absl::OkStatus();
      }
      e->fee = *r;
      return absl::OkStatus();
    }

    case Intent::kChanges: {
      cat::ListChangesRequest request;
      request.set_system(q.system_hint == cat::CODE_SYSTEM_UNSPECIFIED ||
                                 q.system_hint == cat::CODE_SYSTEM_ICD9CM
                             ? cat::CODE_SYSTEM_ICD10CM
                             : q.system_hint);
      request.set_page_size(100);
      progress("list_changes",
               absl::StrCat("listing the changes in ", SystemLabel(request.system())));
      absl::StatusOr<cat::ListChangesResponse> r =
          deps_.catalogue->ListChanges(request, request_id);
      if (!r.ok()) return IsOutage(r.status()) ? r.status() : absl::OkStatus();
      e->changes = *r;
      return absl::OkStatus();
    }

    case Intent::kGuideline:
    case Intent::kUnknown: {
      if (deps_.knowledge == nullptr) return absl::OkStatus();
      const std::string words = q.search_words.empty() ? q.text : q.search_words;
      if (words.empty()) return absl::OkStatus();
      progress("search_guidelines", absl::StrCat("searching the guidelines for \"", words, "\""));
      // The Official Guidelines first, our own articles second. A partial
      // match ("mean" matched, "weather" did not) is no answer; a heading
      // with no text of its own is skipped for its first item.
      for (const ArticleHit& hit : deps_.knowledge->SearchGuidelines(words, 4)) {
        if (hit.all_words && !hit.article->body.empty() && e->official.size() < 2) {
          e->official.push_back(hit.article);
        }
      }
      std::vector<ArticleHit> hits = deps_.knowledge->Search(words, 3);
      // The question's own topic words ("guidelines", "services") are not
      // searched (most articles have them), but among close matches the
      // article whose title names more of them is the one asked about:
      // "Guidelines for E/M services" is the E/M overview, not modifier 25.
      const std::string asked = AsLower(q.text);
      auto title_words = [&asked](const KnowledgeArticle* a) {
        int n = 0;
        for (absl::string_view w :
             absl::StrSplit(AsLower(a->title), absl::ByAnyChar(" (),:/"), absl::SkipEmpty())) {
          if (w.size() > 4) absl::ConsumeSuffix(&w, "s");  // "characters" names "character"
          n += w.size() > 3 && absl::StrContains(asked, w);
        }
        return n;
      };
      const double best = hits.empty() ? 0 : hits.front().score;
      auto key = [&](const ArticleHit& h) {
        const bool close = h.score * 1.25 >= best;
        return std::make_tuple(close, close ? title_words(h.article) : 0, h.score);
      };
      std::stable_sort(hits.begin(), hits.end(),
                       [&](const ArticleHit& a, const ArticleHit& b) { return key(a) > key(b); });
      for (const ArticleHit& hit : hits) {
        if (hit.all_words) e->articles.push_back(hit.article);
      }
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

// The tools a language model may call: one internal call each, over the
// engine's own services, answering in the same written forms (DisplayCode)
// the deterministic answer uses, so that its codes can be checked.
class AnswerEngine::EngineModelTools final : public ModelTools {
 public:
  EngineModelTools(AnswerEngine* engine, absl::string_view request_id)
      : engine_(engine), request_id_(request_id) {}

  std::string Definitions() const override {
    return R"([
 {"type":"function","function":{"name":"lookup_code","description":"Title, status and billability of one code (any system).","parameters":{"type":"object","properties":{"code":{"type":"string"}},"required":["code"]}}},
 {"type":"function","function":{"name":"code_page","description":"The code page summary: title, plain language, family, status.","parameters":{"type":"object","properties":{"code":{"type":"string"}},"required":["code"]}}},
 {"type":"function","function":{"name":"search_codes","description":"Find codes for words, optionally in one system (ICD10CM, ICD10PCS, HCPCS, CPT).","parameters":{"type":"object","properties":{"query":{"type":"string"},"system":{"type":"string"}},"required":["query"]}}},
 {"type":"function","function":{"name":"check_ncci","description":"NCCI procedure-to-procedure edits between CPT/HCPCS codes billed together.","parameters":{"type":"object","properties":{"codes":{"type":"array","items":{"type":"string"}}},"required":["codes"]}}},
 {"type":"function","function":{"name":"guidelines","description":"The ICD-10-CM Official Guidelines sections and OpenEncoder articles for a topic.","parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}}}
])";
  }

  absl::StatusOr<std::string> Run(absl::string_view name, absl::string_view arguments) override {
    google::protobuf::Struct args;
    if (!google::protobuf::util::JsonStringToMessage(std::string(arguments), &args).ok()) {
      return absl::InvalidArgumentError("arguments are not a JSON object");
    }
    auto text = [&args](const std::string& key) {
      auto it = args.fields().find(key);
      return it == args.fields().end() ? std::string() : it->second.string_value();
    };
    if (name == "lookup_code" || name == "code_page") {
      Evidence e;
      e.question.codes = ExtractCodes(text("code"), /*strict=*/false);
      if (e.question.codes.empty()) return absl::InvalidArgumentError("no code in \"code\"");
      if (absl::Status s = engine_->LookupCodes(&e, request_id_, [](auto, auto) {}); !s.ok()) {
        return s;
      }
      std::string out;
      for (const cat::CodeSummary& c : e.codes) {
        absl::StrAppend(&out, SystemLabel(c.system()), " ", DisplayCode(c), ": ", c.title(),
                        c.status() == cat::CODE_STATUS_DELETED ? " (deleted)" : "",
                        c.billable() ? " (billable)" : "", "\n");
        if (name == "code_page") {
          if (!c.plain_language().empty()) absl::StrAppend(&out, "  ", c.plain_language(), "\n");
          if (!c.family().empty()) absl::StrAppend(&out, "  family: ", c.family(), "\n");
        }
      }
      return out.empty() ? "not in the loaded code sets" : out;
    }
    if (name == "search_codes") {
      cat::CodeSystem system = cat::CODE_SYSTEM_UNSPECIFIED;
      const std::string wanted = absl::AsciiStrToUpper(text("system"));
      if (!wanted.empty()) cat::CodeSystem_Parse("CODE_SYSTEM_" + wanted, &system);
      absl::StatusOr<search::v1::SearchResponse> r =
          engine_->SearchCodes(text("query"), system, request_id_);
      if (!r.ok()) return r.status();
      if (r->partial() || r->hits_size() == 0) return std::string("no code matches every word");
      std::string out;
      for (const search::v1::SearchHit& h : r->hits()) {
        cat::CodeSummary c;
        c.set_system(h.system());
        c.set_code(h.code());
        c.set_display_code(h.display_code());
        absl::StrAppend(&out, SystemLabel(h.system()), " ", DisplayCode(c), ": ", h.title(), "\n");
      }
      return out;
    }
    if (name == "check_ncci") {
      cat::CheckClaimRequest request;
      auto it = args.fields().find("codes");
      if (it != args.fields().end()) {
        for (const auto& v : it->second.list_value().values()) {
          cat::ClaimLine* line = request.add_lines();
          line->set_code(absl::AsciiStrToUpper(v.string_value()));
          line->set_units(1);
        }
      }
      if (request.lines_size() < 2) return absl::InvalidArgumentError("give two or more codes");
      absl::StatusOr<cat::CheckClaimResponse> r =
          engine_->deps_.catalogue->CheckClaim(request, request_id_);
      if (!r.ok()) return r.status();
      if (r->ncci_conflicts_size() == 0) return std::string("no NCCI PTP edit pairs these codes");
      std::string out;
      for (const cat::NcciConflict& c : r->ncci_conflicts()) {
        absl::StrAppend(&out, "column 1 ", c.pair().column1_code(), ", column 2 ",
                        c.pair().column2_code(), ", modifier indicator ",
                        static_cast<int>(c.pair().modifier_indicator()) - 1, "\n");
      }
      return out;
    }
    if (name == "guidelines") {
      if (engine_->deps_.knowledge == nullptr) return std::string("no guidelines loaded");
      std::string out;
      for (const ArticleHit& h : engine_->deps_.knowledge->SearchGuidelines(text("query"), 2)) {
        absl::StrAppend(&out, "Guidelines ", h.article->section, " ", h.article->title, ": ",
                        BriefQuote(h.article->body, 600), "\n\n");
      }
      for (const ArticleHit& h : engine_->deps_.knowledge->Search(text("query"), 1)) {
        absl::StrAppend(&out, "OpenEncoder article ", h.article->title, ": ",
                        BriefQuote(h.article->body, 600), "\n");
      }
      return out.empty() ? "nothing found" : out;
    }
    return absl::InvalidArgumentError(absl::StrCat("unknown tool ", name));
  }

 private:
  AnswerEngine* engine_;
  const std::string request_id_;
};

bool ModelTextIsGrounded(absl::string_view text, absl::string_view draft,
                         const std::vector<std::string>& tool_results, std::string* why) {
  // Codes the sources hold, canonical (upper case, no dot).
  absl::flat_hash_set<std::string> sourced;
  for (const CodeMention& m : ExtractCodes(draft, /*strict=*/true)) sourced.insert(m.code);
  for (const std::string& r : tool_results) {
    for (const CodeMention& m : ExtractCodes(r, /*strict=*/true)) sourced.insert(m.code);
  }
  int markers = 0;
  for (absl::string_view paragraph : absl::StrSplit(text, "\n\n", absl::SkipWhitespace())) {
    bool cited = false;
    for (size_t at = paragraph.find("[T"); at != absl::string_view::npos;
         at = paragraph.find("[T", at + 2)) {
      size_t end = paragraph.find(']', at);
      int n = -1;
      if (end == absl::string_view::npos ||
          !absl::SimpleAtoi(paragraph.substr(at + 2, end - at - 2), &n) || n < 0 ||
          static_cast<size_t>(n) > tool_results.size()) {
        *why = "the model cited a source that does not exist";
        return false;
      }
      cited = true;
      ++markers;
    }
    const std::vector<CodeMention> codes = ExtractCodes(paragraph, /*strict=*/true);
    for (const CodeMention& m : codes) {
      if (!sourced.contains(m.code)) {
        *why = absl::StrCat("the model wrote ", m.code, ", which no source holds");
        return false;
      }
    }
    if (!codes.empty() && !cited) {
      *why = "the model stated a code without citing its source";
      return false;
    }
  }
  if (markers == 0) {
    *why = "the model cited no source";
    return false;
  }
  return true;
}

absl::StatusOr<EngineAnswer> AnswerEngine::Answer(absl::string_view text,
                                                  const TurnContext* previous,
                                                  absl::string_view request_id,
                                                  const ProgressSink& progress,
                                                  absl::string_view session_token) {
  Evidence e;
  e.question = ClassifyQuestion(text, previous);
  progress("classify",
           absl::StrCat("understanding the question (", IntentName(e.question.intent), ")"));
  e.consultant_address = deps_.consultant_address;
  if (absl::Status s = Gather(&e, request_id, session_token, progress); !s.ok()) return s;

  ComposedAnswer composed = ComposeAnswer(e);
  // Codes the catalogue itself returned in this request (a crosswalk's
  // source and targets) need no second lookup.
  std::vector<cat::CodeSummary> known;
  if (e.crosswalk.has_value()) {
    known.push_back(e.crosswalk->source());
    for (const cat::CrosswalkMapping& m : e.crosswalk->mappings()) {
      if (m.target().system() != cat::CODE_SYSTEM_ICD9CM) continue;
      cat::CodeSummary s;
      s.set_system(m.target().system());
      s.set_code(m.target().code());
      s.set_title(m.target_title());
      known.push_back(s);
    }
  }

  progress("check_codes", "checking every code in the answer against the catalogue");
  absl::StatusOr<CheckedText> checked = checker_.Check(composed.text, known, request_id);
  if (!checked.ok()) return checked.status();

  EngineAnswer answer;
  answer.question = e.question;
  answer.outcome = composed.outcome;
  RecordAnswer(composed.outcome);
  answer.citations = std::move(composed.citations);
  answer.follow_ups = std::move(composed.follow_ups);
  answer.text = checked->text;
  answer.codes = checked->codes;
  answer.removed_codes = checked->removed;

  if (deps_.phraser != nullptr && composed.outcome == v1::ANSWER_OUTCOME_ANSWERED) {
    progress("phrase", "asking the language model (its answer is checked before it is shown)");
    EngineModelTools tools(this, request_id);
    size_t streamed = 0;
    absl::StatusOr<PhraseResult> phrased = deps_.phraser->Phrase(
        text, checked->text, &tools, [&](absl::string_view delta) { streamed += delta.size(); });
    std::string why;
    if (!phrased.ok()) {
      why = std::string(phrased.status().message());
    } else if (ModelTextIsGrounded(phrased->text, checked->text, phrased->tool_results, &why)) {
      absl::StatusOr<CheckedText> again = checker_.Check(phrased->text, known, request_id);
      // Every code the model wrote must be one the catalogue knows.
      if (!again.ok()) {
        why = std::string(again.status().message());
      } else if (!again->removed.empty()) {
        why = absl::StrCat("the model wrote a code the catalogue does not know (",
                           again->removed.front(), ")");
      } else {
        answer.text = again->text;
        answer.codes = again->codes;
        answer.phrased_by_model = true;
      }
    }
    if (!answer.phrased_by_model) {
      answer.model_rejected = why;
      progress("phrase", "the language model's answer was not used; the checked answer stands");
    }
  }
  // A follow-up never repeats the previous answer word for word: when the
  // tools gave the same evidence again, say so and point onwards instead.
  if (previous != nullptr && !previous->answer_digest.empty() &&
      Digest(answer.text) == previous->answer_digest) {
    const std::string first_paragraph = answer.text.substr(0, answer.text.find("\n\n"));
    answer.text = absl::StrCat(
        "The loaded data gives the same answer as for your previous "
        "question: ",
        first_paragraph, "\n\nTo go further, ask one of these:\n\n- ",
        absl::StrJoin(answer.follow_ups, "\n- "), "\n");
  }
  // Citations name only codes the checker verified (or guideline articles).
  std::vector<v1::Citation> kept;
  for (v1::Citation& c : answer.citations) {
    bool removed = false;
    for (const std::string& r : answer.removed_codes) {
      std::string canon;
      for (char ch : c.code()) {
        if (ch != '.') canon.push_back(absl::ascii_toupper(ch));
      }
      if (canon == r) removed = true;
    }
    if (!removed) kept.push_back(std::move(c));
  }
  answer.citations = std::move(kept);
  return answer;
}

}  // namespace openencoder::assistant
