#include "services/assistant/answer_engine.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

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

}  // namespace

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

absl::Status AnswerEngine::Gather(Evidence* e, absl::string_view request_id,
                                  const ProgressSink& progress) {
  const Question& q = e->question;
  if (absl::Status s = EditionLabels(e, request_id); !s.ok()) return s;

  switch (q.intent) {
    case Intent::kCodeMeaning:
      return LookupCodes(e, request_id, progress);

    case Intent::kFindCode: {
      if (q.search_words.empty()) return absl::OkStatus();
      progress("search_codes", absl::StrCat("searching codes for \"", q.search_words, "\""));
      search::v1::SearchRequest request;
      request.set_query(q.search_words);
      request.set_page_size(5);
      if (q.system_hint != cat::CODE_SYSTEM_UNSPECIFIED &&
          q.system_hint != cat::CODE_SYSTEM_ICD9CM) {
        request.mutable_filters()->add_systems(q.system_hint);
      }
      absl::StatusOr<search::v1::SearchResponse> r = deps_.search->Search(request, request_id);
      if (!r.ok()) {
        return IsOutage(r.status()) ? r.status() : absl::OkStatus();
      }
      // Billable codes first: a header cannot be reported.
      std::vector<search::v1::SearchHit> hits(r->hits().begin(), r->hits().end());
      std::stable_sort(hits.begin(), hits.end(),
                       [](const auto& a, const auto& b) { return a.billable() > b.billable(); });
      // Partial matches ("cpap" matched, "machine" did not) are kept only
      // for queries of several words, where one unmatched word is likely a
      // filler; a single unmatched word means we have nothing.
      const bool several_words = q.search_words.find(' ') != std::string::npos;
      if (!r->partial() || several_words) e->search_hits = std::move(hits);
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
      if (!r.ok()) return r.status();
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
        if (!with.ok()) return with.status();
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
        if (!r.ok()) return r.status();
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
      for (const ArticleHit& hit : deps_.knowledge->Search(words, 3)) {
        // A partial match ("mean" matched, "weather" did not) is no answer.
        if (hit.all_words) e->articles.push_back(hit.article);
      }
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<EngineAnswer> AnswerEngine::Answer(absl::string_view text,
                                                  const TurnContext* previous,
                                                  absl::string_view request_id,
                                                  const ProgressSink& progress) {
  Evidence e;
  e.question = ClassifyQuestion(text, previous);
  progress("classify",
           absl::StrCat("understanding the question (", IntentName(e.question.intent), ")"));
  if (absl::Status s = Gather(&e, request_id, progress); !s.ok()) return s;

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
    progress("phrase", "phrasing the answer");
    absl::StatusOr<std::string> phrased = deps_.phraser->Phrase(text, checked->text);
    if (phrased.ok()) {
      absl::StatusOr<CheckedText> again = checker_.Check(*phrased, known, request_id);
      // The model's text is used only when every code in it is verified;
      // otherwise the composer's checked text stands.
      if (again.ok() && again->removed.empty()) {
        answer.text = again->text;
        answer.codes = again->codes;
        answer.phrased_by_model = true;
      }
    }
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
