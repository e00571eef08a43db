#include "services/assistant/answer_composer.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "services/assistant/official_guidelines.h"

namespace openencoder::assistant {
namespace {

namespace cat = catalogue::v1;

constexpr char kConsultantOffer[] =
    "You can ask **CaseConsultant**: email the question and a certified coder answers it.";

std::string EditionOf(const Evidence& e, const cat::CodeSummary& code) {
  auto it = e.edition_labels.find(code.edition_id());
  if (it != e.edition_labels.end()) return it->second;
  return code.edition_id().empty() ? SystemLabel(code.system()) : code.edition_id();
}

v1::Citation CodeCitation(const Evidence& e, const cat::CodeSummary& code,
                          const std::string& source, const std::string& fact) {
  v1::Citation c;
  c.set_system(code.system());
  c.set_code(DisplayCode(code));
  c.set_edition(EditionOf(e, code));
  c.set_source(source);
  c.set_fact(fact);
  return c;
}

// What a code is, in the words we may show: our plain language first, then
// the official title (never empty for non-CPT systems).
std::string Description(const cat::CodeSummary& code) {
  if (!code.plain_language().empty()) return code.plain_language();
  if (!code.title().empty()) return code.title();
  if (!code.short_title().empty()) return code.short_title();
  return "";
}

const cat::CodeSummary* FindCode(const Evidence& e, absl::string_view canonical) {
  for (const cat::CodeSummary& c : e.codes) {
    if (c.code() == canonical) return &c;
  }
  return nullptr;
}

std::string CodeLabel(const Evidence& e, absl::string_view canonical) {
  const cat::CodeSummary* c = FindCode(e, canonical);
  return c != nullptr ? DisplayCode(*c) : std::string(canonical);
}

std::string IndicatorText(cat::ModifierIndicator indicator) {
  switch (indicator) {
    case cat::MODIFIER_INDICATOR_NOT_ALLOWED:
      return "modifier indicator 0: no modifier allows the two to be paid together";
    case cat::MODIFIER_INDICATOR_ALLOWED:
      return "modifier indicator 1: an NCCI-associated modifier (such as 59 or XS) may allow "
             "both when the services were truly distinct and the record supports it";
    case cat::MODIFIER_INDICATOR_NOT_APPLICABLE:
      return "modifier indicator 9: the edit is not applied (it was deleted on its effective "
             "date)";
    default:
      return "modifier indicator not stated";
  }
}

std::string AdjudicationText(const cat::Mue& mue) {
  switch (mue.adjudication()) {
    case cat::MUE_ADJUDICATION_LINE:
      return "MAI 1 (line edit): the limit applies to each claim line; units above it on a line "
             "are denied, and more units may be reported on separate lines with an appropriate "
             "modifier when they are medically necessary";
    case cat::MUE_ADJUDICATION_DATE_OF_SERVICE_POLICY:
      return "MAI 2 (date of service, policy): the limit applies to all lines for the same date "
             "of service and is an absolute policy limit; units above it are denied and an "
             "appeal cannot change that";
    case cat::MUE_ADJUDICATION_DATE_OF_SERVICE_CLINICAL:
      return "MAI 3 (date of service, clinical): the limit applies to all lines for the same "
             "date of service; units above it are denied, but an appeal with documentation of "
             "medical necessity may succeed";
    default:
      return mue.adjudication_explanation().empty() ? "adjudication indicator not stated"
                                                    : mue.adjudication_explanation();
  }
}

std::string Dollars(int64_t cents) { return absl::StrFormat("$%d.%02d", cents / 100, cents % 100); }

// Paragraphs of an article, up to about `limit` characters, whole
// paragraphs only so that no list or sentence is left half-written: the
// first one (what the article is about), then those that name most of the
// question's words, then the rest in order; shown in the article's order.
std::string Excerpt(const std::string& body, size_t limit, absl::string_view words = "") {
  std::vector<std::string> paragraphs = absl::StrSplit(body, "\n\n", absl::SkipWhitespace());
  std::vector<std::string> wanted =
      absl::StrSplit(absl::AsciiStrToLower(words), ' ', absl::SkipWhitespace());
  std::vector<std::pair<int, size_t>> order;  // (-score, index)
  for (size_t i = 1; i < paragraphs.size(); ++i) {
    const std::string lower = absl::AsciiStrToLower(paragraphs[i]);
    int score = 0;
    for (const std::string& w : wanted) score += w.size() > 2 && absl::StrContains(lower, w);
    order.emplace_back(-score, i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<bool> keep(paragraphs.size(), false);
  size_t size = paragraphs.empty() ? 0 : paragraphs[0].size();
  if (!paragraphs.empty()) keep[0] = true;
  for (const auto& [score, i] : order) {
    if (size + paragraphs[i].size() > limit) continue;
    keep[i] = true;
    size += paragraphs[i].size() + 2;
  }
  std::string out;
  for (size_t i = 0; i < paragraphs.size(); ++i) {
    if (!keep[i]) continue;
    if (!out.empty()) out += "\n\n";
    out += paragraphs[i];
  }
  return out;
}

// ICD-9-CM codes are written with their dot after the category: "250.00",
// "V54.13", "E880.9" (GEMs carry them without it).
std::string Icd9Display(const std::string& code) {
  if (code.find('.') != std::string::npos) return code;
  const size_t category = !code.empty() && code[0] == 'E' ? 4 : 3;
  if (code.size() <= category) return code;
  return absl::StrCat(code.substr(0, category), ".", code.substr(category));
}

ComposedAnswer Answered(std::string text, std::vector<v1::Citation> citations,
                        std::vector<std::string> follow_ups) {
  ComposedAnswer a;
  a.outcome = v1::ANSWER_OUTCOME_ANSWERED;
  a.text = std::move(text);
  a.citations = std::move(citations);
  a.follow_ups = std::move(follow_ups);
  return a;
}

std::vector<std::string> CodeFollowUps(const cat::CodeSummary& code) {
  const std::string d = DisplayCode(code);
  switch (code.system()) {
    case cat::CODE_SYSTEM_CPT:
    case cat::CODE_SYSTEM_HCPCS:
      return {absl::StrCat("How many units of ", d, " are allowed per day?"),
              absl::StrCat("What is the Medicare fee for ", d, "?"),
              "When is modifier 59 appropriate?"};
    case cat::CODE_SYSTEM_ICD10CM:
      return {absl::StrCat("What is the ICD-9 crosswalk for ", d, "?"), "What does Excludes1 mean?",
              "What does the 7th character A, D or S mean?"};
    default:
      return {"What changed in this edition?", "What does Excludes1 mean?"};
  }
}

ComposedAnswer ComposeCodeMeaning(const Evidence& e) {
  std::string text;
  std::vector<v1::Citation> citations;
  for (const cat::CodeSummary& code : e.codes) {
    const std::string d = DisplayCode(code);
    absl::StrAppend(&text, "**", SystemLabel(code.system()), " ", d, "**: ", Description(code),
                    "\n\n");
    if (!code.title().empty() && code.title() != Description(code)) {
      absl::StrAppend(&text, "- Official title: ", code.title(), "\n");
    }
    if (!code.family().empty()) absl::StrAppend(&text, "- Family: ", code.family(), "\n");
    if (code.status() == cat::CODE_STATUS_DELETED) {
      absl::StrAppend(&text,
                      "- Status: **deleted**; do not report it for current dates of "
                      "service.\n");
    } else if (code.system() == cat::CODE_SYSTEM_ICD10CM && !code.billable()) {
      absl::StrAppend(&text,
                      "- Not billable: it is a category header; report a more specific "
                      "code below it.\n");
    } else {
      absl::StrAppend(&text, "- Status: active", code.billable() ? ", billable" : "", "\n");
    }
    if (code.system() == cat::CODE_SYSTEM_CPT) {
      absl::StrAppend(&text,
                      "- CPT descriptors belong to the AMA; the description above is "
                      "OpenEncoder's own plain-language summary.\n");
    }
    absl::StrAppend(&text, "\n");
    citations.push_back(CodeCitation(e, code, EditionOf(e, code), "code description and status"));
  }
  for (const std::string& unknown : e.unknown_codes) {
    (void)unknown;  // never echoed: see ComposeAnswer
    absl::StrAppend(&text,
                    "One code you asked about is not in the loaded code sets, so I say "
                    "nothing about it.\n\n");
  }
  return Answered(text, citations, CodeFollowUps(e.codes.front()));
}

ComposedAnswer ComposeFindCode(const Evidence& e) {
  std::string text;
  std::vector<v1::Citation> citations;
  const std::string source = "OpenEncoder code search over the catalogue";
  if (!e.also_with.empty()) {
    std::vector<std::string> before;
    for (const cat::CodeSummary& c : e.also_with) {
      before.push_back(absl::StrCat("**", DisplayCode(c), "** (", Description(c), ")"));
    }
    absl::StrAppend(&text, "Besides ", absl::StrJoin(before, " and "), ", code \"",
                    e.question.search_words, "\" with:\n\n");
  } else {
    absl::StrAppend(&text, "For \"", e.question.search_words, "\" the closest codes are:\n\n");
  }
  int n = 0;
  for (const search::v1::SearchHit& hit : e.search_hits) {
    // Five: devices and supplies come in families (a cane, its tips and
    // handgrips), and the one asked for is not always ranked first.
    if (++n > 5) break;
    cat::CodeSummary as_code;
    as_code.set_system(hit.system());
    as_code.set_code(hit.code());
    as_code.set_display_code(hit.display_code());
    const std::string d = DisplayCode(as_code);
    absl::StrAppend(&text, n, ". **", SystemLabel(hit.system()), " ", d,
                    "**: ", hit.plain_language().empty() ? hit.title() : hit.plain_language(),
                    hit.billable() ? "" : " (category header, not billable)", "\n");
    for (const cat::CodeSummary& known : e.codes) {
      if (known.code() == hit.code() && known.system() == hit.system()) as_code = known;
    }
    citations.push_back(CodeCitation(e, as_code, source,
                                     absl::StrCat("matches \"", e.question.search_words, "\"")));
  }
  if (e.combination.has_value() && !e.also_with.empty()) {
    const search::v1::SearchHit& c = *e.combination;
    cat::CodeSummary as_code;
    as_code.set_system(c.system());
    as_code.set_code(c.code());
    as_code.set_display_code(c.display_code());
    const std::string d = DisplayCode(as_code);
    absl::StrAppend(
        &text,
        "\nWhen the record links the two conditions, ICD-10-CM has a **combination code**: **", d,
        "**: ", c.plain_language().empty() ? c.title() : c.plain_language(), ". It replaces ",
        DisplayCode(e.also_with.front()),
        "; keep the code above that gives the detail the combination code lacks (such "
        "as a stage) when its notes ask for an additional code.\n");
    citations.push_back(CodeCitation(e, as_code, source, "combination of both conditions"));
  }
  absl::StrAppend(&text,
                  "\nPick the code the documentation supports; check its full page for "
                  "notes such as Excludes1 before you report it.\n");
  const std::string first = citations.front().code();
  return Answered(text, citations,
                  {absl::StrCat("What is ", first, "?"), "What does Excludes1 mean?",
                   "What does the 7th character A, D or S mean?"});
}

std::string PlanName(account::v1::Plan plan) {
  switch (plan) {
    case account::v1::PLAN_GUEST:
      return "Guest";
    case account::v1::PLAN_FREE:
      return "Free";
    case account::v1::PLAN_PRO:
      return "Pro";
    case account::v1::PLAN_ENTERPRISE:
      return "Enterprise";
    default:
      return "unknown";
  }
}

// From the account service's own figures, never from a guess.
ComposedAnswer ComposeAccount(const Evidence& e) {
  const account::v1::Quota& q = *e.quota;
  std::string text = absl::StrCat("You are on the **", PlanName(q.plan()), "** plan. ");
  if (q.unlimited()) {
    absl::StrAppend(&text, "Your plan has **unlimited** code page views.\n");
  } else {
    absl::StrAppend(&text, "You have **", q.views_remaining(), " of ", q.view_limit(),
                    "** code page views left this month (", q.views_used(), " used).");
    if (q.has_window_end()) {
      const absl::Time end = absl::FromUnixSeconds(q.window_end().seconds());
      absl::StrAppend(&text, " They reset at the start of next month, on ",
                      absl::FormatTime("%B %-d, %Y", end, absl::UTCTimeZone()), " (UTC).");
    } else {
      absl::StrAppend(&text, " They reset at the start of each month (UTC).");
    }
    absl::StrAppend(&text, "\n\n");
    if (!q.upgrade_hint().empty()) {
      absl::StrAppend(&text, q.upgrade_hint(), "\n");
    } else if (q.plan() == account::v1::PLAN_GUEST) {
      absl::StrAppend(&text,
                      "Sign up for a free account for more code pages a month, or choose a paid "
                      "plan for unlimited pages.\n");
    } else {
      absl::StrAppend(&text, "A paid plan has no monthly limit.\n");
    }
  }
  absl::StrAppend(&text,
                  "\nAnswers from CasePilot do not use code page views; opening a code's full "
                  "page does (a page you already opened this month is free to reopen).\n");
  v1::Citation c;
  c.set_code("account");
  c.set_source("OpenEncoder account service");
  c.set_fact(absl::StrCat(
      PlanName(q.plan()), " plan, ",
      q.unlimited() ? std::string("unlimited")
                    : absl::StrCat(q.views_remaining(), " of ", q.view_limit(), " views left")));
  return Answered(
      text, {c},
      {"What is CPT code 99213?", "ICD-10 code for heart attack", "Guidelines for E/M services"});
}

ComposedAnswer ComposeNcci(const Evidence& e) {
  if (!e.claim.has_value()) return DontKnow("the NCCI check did not run");
  std::string text;
  std::vector<v1::Citation> citations;
  const cat::CheckClaimResponse& claim = *e.claim;
  const std::string source =
      claim.attributions_size() > 0 ? claim.attributions(0).source() : "NCCI PTP edits";
  std::vector<std::string> labels;
  for (const cat::CodeSummary& c : e.codes) labels.push_back(DisplayCode(c));
  if (claim.ncci_conflicts_size() == 0) {
    absl::StrAppend(&text, "No NCCI procedure-to-procedure edit pairs ",
                    absl::StrJoin(labels, " and "),
                    " in the loaded edition, so NCCI does not stop billing them on the same day "
                    "(payer policies and the documentation still apply).\n");
    for (const cat::CodeSummary& c : e.codes) {
      citations.push_back(CodeCitation(e, c, source, "no PTP edit with the other code"));
    }
  }
  for (const cat::NcciConflict& conflict : claim.ncci_conflicts()) {
    const cat::NcciPair& pair = conflict.pair();
    const std::string c1 = CodeLabel(e, pair.column1_code());
    const std::string c2 = CodeLabel(e, pair.column2_code());
    absl::StrAppend(&text, "**", c1, " + ", c2, "**: an NCCI PTP edit bundles column 2 code ", c2,
                    " into column 1 code ", c1, " (", IndicatorText(pair.modifier_indicator()),
                    ").");
    if (!pair.rationale().empty()) absl::StrAppend(&text, " Rationale: ", pair.rationale(), ".");
    if (pair.demo()) absl::StrAppend(&text, " (This edit is invented demo data.)");
    absl::StrAppend(&text, "\n\n");
    for (const std::string& code : {pair.column1_code(), pair.column2_code()}) {
      if (const cat::CodeSummary* s = FindCode(e, code)) {
        citations.push_back(
            CodeCitation(e, *s, source,
                         absl::StrCat("PTP edit column 1 ", c1, ", column 2 ", c2, ", ",
                                      IndicatorText(pair.modifier_indicator()))));
      }
    }
  }
  if (!e.question.modifiers.empty() && e.claim_with_modifiers.has_value()) {
    const std::string mods = absl::StrJoin(e.question.modifiers, ", ");
    bool any_bypassed = false;
    bool any_blocked = false;
    for (const cat::NcciConflict& c : e.claim_with_modifiers->ncci_conflicts()) {
      if (c.bypassed()) any_bypassed = true;
      if (!c.bypassed()) any_blocked = true;
    }
    if (claim.ncci_conflicts_size() == 0) {
      absl::StrAppend(&text, "Modifier ", mods, " is not needed for NCCI here.\n");
    } else if (any_bypassed && !any_blocked) {
      absl::StrAppend(&text, "With modifier ", mods,
                      " on the column 2 code the edit is bypassed: both may be paid, **if** the "
                      "record shows a distinct service (different session, site or encounter). "
                      "Do not add it only to get paid.\n");
    } else {
      absl::StrAppend(&text, "Modifier ", mods,
                      " does not bypass this edit: its indicator does not allow it, or the "
                      "modifier is not NCCI-associated.\n");
    }
  } else if (claim.ncci_conflicts_size() > 0) {
    bool bypassable = false;
    for (const cat::NcciConflict& c : claim.ncci_conflicts()) bypassable |= c.bypassable();
    if (bypassable) {
      absl::StrAppend(&text,
                      "A modifier such as 59 or XS on the column 2 code may allow both, "
                      "but only when the services were truly separate.\n");
    }
  }
  for (const cat::Modifier& m : e.modifiers) {
    v1::Citation c;
    c.set_system(m.system());
    c.set_code(m.code());
    c.set_source("Modifier list");
    c.set_fact(m.name());
    citations.push_back(c);
  }
  std::vector<std::string> follow_ups;
  if (e.question.modifiers.empty()) {
    follow_ups.push_back("And with modifier 59?");
  } else {
    follow_ups.push_back("When is modifier 59 appropriate?");
  }
  follow_ups.push_back(absl::StrCat("How many units of ", labels.front(), " are allowed?"));
  follow_ups.push_back("What are NCCI procedure-to-procedure edits?");
  return Answered(text, citations, follow_ups);
}

ComposedAnswer ComposeUnits(const Evidence& e) {
  std::string text;
  std::vector<v1::Citation> citations;
  for (const cat::CodeSummary& code : e.codes) {
    const std::string d = DisplayCode(code);
    auto it = e.mues.find(code.code());
    if (it == e.mues.end()) {
      absl::StrAppend(&text, "**", d,
                      "**: no Medically Unlikely Edit is published for it in the loaded MUE "
                      "table, so MUE sets no unit limit (other edits and policies still "
                      "apply).\n\n");
      citations.push_back(CodeCitation(e, code, e.mue_source, "no MUE published"));
      continue;
    }
    const cat::Mue& mue = it->second;
    absl::StrAppend(
        &text, "**", d, "**: the MUE is **", mue.units(), " unit", mue.units() == 1 ? "" : "s",
        "** per ",
        mue.adjudication() == cat::MUE_ADJUDICATION_LINE ? "claim line" : "day (date of service)",
        ". ", AdjudicationText(mue), ".");
    if (!mue.rationale().empty()) absl::StrAppend(&text, " Rationale: ", mue.rationale(), ".");
    if (mue.demo()) absl::StrAppend(&text, " (This value is invented demo data.)");
    absl::StrAppend(&text, "\n\n");
    citations.push_back(
        CodeCitation(e, code, e.mue_source,
                     absl::StrCat("MUE ", mue.units(), ", ", mue.adjudication_explanation())));
    if (e.question.units > 0) {
      if (e.question.units > mue.units()) {
        absl::StrAppend(&text, e.question.units, " units exceed this limit.\n\n");
      } else {
        absl::StrAppend(&text, e.question.units, " units are within this limit.\n\n");
      }
    }
  }
  const std::string first = DisplayCode(e.codes.front());
  return Answered(text, citations,
                  {absl::StrCat("What is the Medicare fee for ", first, "?"),
                   "What are Medically Unlikely Edits?", absl::StrCat("What is ", first, "?")});
}

ComposedAnswer ComposeModifier(const Evidence& e) {
  std::string text;
  std::vector<v1::Citation> citations;
  for (const cat::Modifier& m : e.modifiers) {
    absl::StrAppend(&text, "**Modifier ", m.code(), "**: ", m.name(), "\n\n");
    if (!m.description().empty() && m.description() != m.name()) {
      absl::StrAppend(&text, m.description(), "\n\n");
    }
    if (!m.when_to_use().empty())
      absl::StrAppend(&text, "**When to use:** ", m.when_to_use(), "\n\n");
    if (m.ncci_associated()) {
      absl::StrAppend(&text,
                      "It is NCCI-associated: on the column 2 code it can bypass a PTP "
                      "edit whose modifier indicator is 1.\n\n");
    }
    v1::Citation c;
    c.set_system(m.system());
    c.set_code(m.code());
    c.set_edition(m.system() == cat::CODE_SYSTEM_HCPCS ? "HCPCS Level II modifiers"
                                                       : "CPT modifiers (OpenEncoder wording)");
    c.set_source("Modifier list");
    c.set_fact(m.name());
    citations.push_back(c);
  }
  if (!e.articles.empty()) {
    const KnowledgeArticle* a = e.articles.front();
    absl::StrAppend(&text, "**Guideline: ", a->title, "**\n\n", Excerpt(a->body, 900), "\n\n");
    v1::Citation c;
    c.set_code(a->id);
    c.set_source(absl::StrCat("OpenEncoder guideline: ", a->id));
    c.set_fact(a->sources);
    citations.push_back(c);
  }
  for (const std::string& m : e.unknown_modifiers) {
    absl::StrAppend(&text, "I could not find modifier ", m, " in the loaded modifier lists.\n\n");
  }
  return Answered(text, citations,
                  {"Can 99213 and 20610 be billed together?", "When is modifier 25 appropriate?",
                   "What are NCCI procedure-to-procedure edits?"});
}

ComposedAnswer ComposeCrosswalk(const Evidence& e) {
  const cat::GetCrosswalkResponse& x = *e.crosswalk;
  const bool from_icd9 = x.source().system() == cat::CODE_SYSTEM_ICD9CM;
  auto write = [](const cat::CodeSummary& s) {
    return s.system() == cat::CODE_SYSTEM_ICD9CM ? absl::StrCat("ICD-9-CM ", Icd9Display(s.code()))
                                                 : DisplayCode(s);
  };
  std::string text = absl::StrCat("**", write(x.source()), "** (", x.source().title(), ") maps to ",
                                  from_icd9 ? "ICD-10-CM" : "ICD-9-CM", ":\n\n");
  std::vector<v1::Citation> citations;
  for (const cat::CrosswalkMapping& m : x.mappings()) {
    if (m.no_map()) {
      absl::StrAppend(&text, "- no equivalent code (the GEM has a no-map entry)\n");
      continue;
    }
    cat::CodeSummary target;
    target.set_system(m.target().system());
    target.set_code(m.target().code());
    absl::StrAppend(&text, "- ", write(target), ": ", m.target_title(),
                    m.approximate() ? " (approximate)" : " (exact)",
                    m.combination() ? absl::StrCat(", combination scenario ", m.scenario(),
                                                   " choice ", m.choice_list())
                                    : "",
                    "\n");
    v1::Citation c;
    c.set_system(target.system());
    c.set_code(target.system() == cat::CODE_SYSTEM_ICD9CM ? m.target().code() : write(target));
    c.set_edition(x.edition());
    c.set_source(x.edition());
    c.set_fact(absl::StrCat("GEM mapping from ", write(x.source())));
    citations.push_back(c);
  }
  absl::StrAppend(&text,
                  "\nGEMs are a translation aid, not a coding rule: choose the target the "
                  "record supports.\n");
  return Answered(text, citations,
                  {"What does Excludes1 mean?", "What changed in this edition?",
                   "ICD-10 code for heart attack"});
}

ComposedAnswer ComposeFee(const Evidence& e) {
  const cat::GetFeeResponse& f = *e.fee;
  const std::string code = e.codes.empty() ? f.code() : DisplayCode(e.codes.front());
  const std::string where =
      f.locality().empty() ? "nationally (GPCI 1.000)" : absl::StrCat("in ", f.locality_name());
  std::string text = absl::StrCat(
      "The Medicare ", f.year(), " ", f.facility() ? "facility" : "non-facility", " fee for **",
      code, f.modifier().empty() ? "" : absl::StrCat(" with modifier ", f.modifier()), "** ", where,
      " is **", Dollars(f.amount_cents()), "**.\n\n");
  absl::StrAppend(&text, "- Formula: ", f.formula(), "\n");
  absl::StrAppend(&text, absl::StrFormat("- RVUs: work %.2f, practice expense %.2f, "
                                         "malpractice %.2f; conversion factor %.4f\n",
                                         f.work_rvu(), f.practice_expense_rvu(),
                                         f.malpractice_rvu(), f.conversion_factor()));
  if (e.locality_unknown) {
    absl::StrAppend(&text, "\nI do not know the locality \"", e.locality_asked,
                    "\", so this is the national amount.\n");
  }
  std::vector<v1::Citation> citations;
  if (!e.codes.empty()) {
    citations.push_back(CodeCitation(e, e.codes.front(),
                                     absl::StrCat("Medicare Physician Fee Schedule ", f.year()),
                                     absl::StrCat("fee ", Dollars(f.amount_cents()), " ", where)));
  }
  return Answered(text, citations,
                  {absl::StrCat("What is the Medicare fee for ", code, " in a facility?"),
                   absl::StrCat("How many units of ", code, " are allowed?"),
                   "How is the Medicare physician fee calculated?"});
}

ComposedAnswer ComposeChanges(const Evidence& e) {
  const cat::ListChangesResponse& c = *e.changes;
  int added = 0, revised = 0, deleted = 0;
  for (const cat::CodeChange& ch : c.changes()) {
    if (ch.kind() == cat::CHANGE_KIND_ADDED) ++added;
    if (ch.kind() == cat::CHANGE_KIND_REVISED) ++revised;
    if (ch.kind() == cat::CHANGE_KIND_DELETED) ++deleted;
  }
  std::string text =
      absl::StrCat("**", c.edition().label(), "** changed ", c.total_count(), " code",
                   c.total_count() == 1 ? "" : "s", " compared with the previous edition");
  if (c.changes_size() == c.total_count()) {
    absl::StrAppend(&text, ": ", added, " added, ", revised, " revised, ", deleted, " deleted");
  }
  absl::StrAppend(&text, ".\n\n");
  std::vector<v1::Citation> citations;
  int shown = 0;
  for (const cat::CodeChange& ch : c.changes()) {
    if (++shown > 12) break;
    const char* kind = ch.kind() == cat::CHANGE_KIND_ADDED     ? "added"
                       : ch.kind() == cat::CHANGE_KIND_REVISED ? "revised"
                       : ch.kind() == cat::CHANGE_KIND_DELETED ? "deleted"
                                                               : "changed";
    absl::StrAppend(&text, "- **", DisplayCode(ch.code()), "** ", kind, ": ",
                    ch.code().title().empty() ? Description(ch.code()) : ch.code().title());
    if (!ch.previous_title().empty()) {
      absl::StrAppend(&text, " (was: ", ch.previous_title(), ")");
    }
    absl::StrAppend(&text, "\n");
    v1::Citation cit;
    cit.set_system(ch.code().system());
    cit.set_code(DisplayCode(ch.code()));
    cit.set_edition(c.edition().label());
    cit.set_source(c.edition().source());
    cit.set_fact(kind);
    citations.push_back(cit);
  }
  if (c.changes_size() > shown) {
    absl::StrAppend(&text, "\n…and more; the change list on the site has them all.\n");
  }
  std::vector<std::string> follow_ups = {"What does Excludes1 mean?",
                                         "What changed in HCPCS this edition?"};
  if (!citations.empty())
    follow_ups.insert(follow_ups.begin(), absl::StrCat("What is ", citations.front().code(), "?"));
  return Answered(text, citations, follow_ups);
}

// The Official Guidelines quoted briefly, as Markdown block quotes, and
// cited by section ("Guidelines I.C.4.a.2").
void AppendOfficial(const KnowledgeArticle& s, std::string* text,
                    std::vector<v1::Citation>* citations) {
  absl::StrAppend(text, "**ICD-10-CM Official Guidelines ", s.section, ": ", s.title, "**\n\n");
  for (absl::string_view p :
       absl::StrSplit(BriefQuote(s.body, 600), "\n\n", absl::SkipWhitespace())) {
    absl::StrAppend(text, "> ", p, "\n>\n");
  }
  if (absl::EndsWith(*text, ">\n")) text->resize(text->size() - 2);
  absl::StrAppend(text, "\n(Guidelines ", s.section, ", ", s.sources, ")\n\n");
  v1::Citation c;
  c.set_code(absl::StrCat("Guidelines ", s.section));
  c.set_edition(s.sources);
  c.set_source(s.sources);
  c.set_fact(absl::StrCat("Section ", s.section, ": ", s.title));
  citations->push_back(c);
}

ComposedAnswer ComposeGuideline(const Evidence& e) {
  std::string text;
  std::vector<v1::Citation> citations;
  for (const KnowledgeArticle* s : e.official) AppendOfficial(*s, &text, &citations);
  if (!e.articles.empty()) {
    const KnowledgeArticle* a = e.articles.front();
    // Our own article is the fuller explanation when there is no official
    // section; after one it is a shorter second opinion.
    absl::StrAppend(&text, e.official.empty() ? "" : "In our own words: ", "**", a->title, "**\n\n",
                    Excerpt(a->body, e.official.empty() ? 1800 : 1000, e.question.search_words),
                    "\n");
    v1::Citation c;
    c.set_code(a->id);
    c.set_source(absl::StrCat("OpenEncoder guideline: ", a->id));
    c.set_fact(absl::StrCat("summarised from ", a->sources));
    citations.push_back(c);
  }
  std::vector<std::string> follow_ups;
  for (size_t i = 1; i < e.articles.size() && follow_ups.size() < 2; ++i) {
    follow_ups.push_back(absl::StrCat("Tell me about ", e.articles[i]->title));
  }
  if (follow_ups.size() < 2) follow_ups.push_back("When is modifier 25 appropriate?");
  if (follow_ups.size() < 3) follow_ups.push_back("What is CPT code 99213?");
  return Answered(text, citations, follow_ups);
}

}  // namespace

std::string SystemLabel(cat::CodeSystem system) {
  switch (system) {
    case cat::CODE_SYSTEM_ICD10CM:
      return "ICD-10-CM";
    case cat::CODE_SYSTEM_ICD10PCS:
      return "ICD-10-PCS";
    case cat::CODE_SYSTEM_HCPCS:
      return "HCPCS";
    case cat::CODE_SYSTEM_CPT:
      return "CPT";
    case cat::CODE_SYSTEM_ICD9CM:
      return "ICD-9-CM";
    default:
      return "code";
  }
}

std::string DisplayCode(const cat::CodeSummary& code) {
  if (!code.display_code().empty()) return code.display_code();
  if (code.system() == cat::CODE_SYSTEM_ICD10CM && code.code().size() > 3) {
    return absl::StrCat(code.code().substr(0, 3), ".", code.code().substr(3));
  }
  return code.code();
}

ComposedAnswer DontKnow(const std::string& reason) {
  ComposedAnswer a;
  a.outcome = v1::ANSWER_OUTCOME_DONT_KNOW;
  a.text = absl::StrCat("I don't know: ", reason, ".\n\n", kConsultantOffer, "\n");
  a.follow_ups = {"What is CPT code 99213?", "ICD-10 code for heart attack",
                  "When is modifier 25 appropriate?"};
  return a;
}

static ComposedAnswer ComposeFromEvidence(const Evidence& e) {
  const Question& q = e.question;
  switch (q.intent) {
    case Intent::kCodeMeaning:
      if (e.codes.empty()) {
        // The unknown code is not repeated: no code the catalogue does not
        // know ever appears in an answer.
        return DontKnow("I cannot find the code you asked about in the loaded code sets");
      }
      return ComposeCodeMeaning(e);
    case Intent::kFindCode:
      if (e.search_hits.empty()) {
        // Honest refusal: no code fits well, so none is named.
        return DontKnow(absl::StrCat("no code in the loaded code sets fits \"", q.search_words,
                                     "\" well enough to name one"));
      }
      return ComposeFindCode(e);
    case Intent::kAccount:
      if (!e.quota.has_value()) {
        return DontKnow(e.quota_problem.empty() ? std::string("I cannot read your account now")
                                                : e.quota_problem);
      }
      return ComposeAccount(e);
    case Intent::kNcciPair:
      if (!e.unknown_codes.empty() || e.codes.size() < 2) {
        return DontKnow(e.unknown_codes.empty()
                            ? "I need two codes to check NCCI"
                            : "at least one of the codes is not in the loaded code sets, so I "
                              "cannot check NCCI for it");
      }
      return ComposeNcci(e);
    case Intent::kUnits:
      if (e.codes.empty()) return DontKnow("I cannot find that code in the loaded code sets");
      return ComposeUnits(e);
    case Intent::kModifier:
      if (e.modifiers.empty()) {
        return DontKnow(absl::StrCat("I cannot find modifier ", absl::StrJoin(q.modifiers, ", "),
                                     " in the loaded modifier lists"));
      }
      return ComposeModifier(e);
    case Intent::kCrosswalk:
      if (!e.crosswalk.has_value() || e.crosswalk->mappings_size() == 0) {
        return DontKnow("the loaded GEMs have no mapping for that code");
      }
      return ComposeCrosswalk(e);
    case Intent::kFee:
      if (!e.fee.has_value()) {
        return DontKnow(e.fee_problem.empty()
                            ? std::string("the fee schedule has no amount for that")
                            : e.fee_problem);
      }
      return ComposeFee(e);
    case Intent::kChanges:
      if (!e.changes.has_value()) return DontKnow("the change list is not available");
      return ComposeChanges(e);
    case Intent::kGuideline:
    case Intent::kUnknown:
      if (e.articles.empty() && e.official.empty()) {
        return DontKnow("the knowledge base has no guideline that answers this question");
      }
      return ComposeGuideline(e);
  }
  return DontKnow("I did not understand the question");
}

ComposedAnswer ComposeAnswer(const Evidence& e) {
  ComposedAnswer a = ComposeFromEvidence(e);
  if (a.outcome == v1::ANSWER_OUTCOME_DONT_KNOW && !e.consultant_address.empty()) {
    a.text = absl::StrReplaceAll(
        a.text,
        {{kConsultantOffer, absl::StrCat("You can ask **CaseConsultant**: email the question to ",
                                         e.consultant_address,
                                         " (or use \"Ask a coder\" on the site) and a certified "
                                         "coder answers it.")}});
  }
  return a;
}

}  // namespace openencoder::assistant
