#include "services/assistant/question_classifier.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "re2/re2.h"

namespace openencoder::assistant {
namespace {

using catalogue::v1::CodeSystem;

struct IntentNameRow {
  Intent intent;
  absl::string_view name;
};
constexpr IntentNameRow kIntentNames[] = {
    {Intent::kUnknown, "unknown"},     {Intent::kCodeMeaning, "code_meaning"},
    {Intent::kFindCode, "find_code"},  {Intent::kNcciPair, "ncci"},
    {Intent::kUnits, "mue"},           {Intent::kModifier, "modifier"},
    {Intent::kCrosswalk, "crosswalk"}, {Intent::kFee, "fee"},
    {Intent::kChanges, "changes"},     {Intent::kGuideline, "guideline"},
    {Intent::kAccount, "account"},
};

// One pattern per code system, matched against a whole token (upper case).
// RE2, not the standard library's regular expressions: RE2's matching time
// is linear in the input whatever the pattern (no backtracking, and no
// recursion a long question could drive into the stack limit; issue 18).
// Compiled once.
struct Patterns {
  RE2 cpt{"[0-9]{4}[0-9FTU]"};
  RE2 hcpcs{"[A-V][0-9]{4}"};
  RE2 icd10cm_dotted{"[A-Z][0-9][0-9A-Z]\\.[0-9A-Z]{1,4}"};
  RE2 icd10cm_category{"[A-Z][0-9][0-9A-Z]"};
  RE2 icd10cm_undotted{"[A-Z][0-9][0-9A-Z][0-9A-Z]{1,4}"};
  RE2 icd10pcs{"[0-9A-HJ-NP-Z]{7}"};
  RE2 icd9{"[0-9]{3}(?:\\.[0-9]{1,2})?|V[0-9]{2}(?:\\.[0-9]{1,2})?|E[0-9]{3}(?:\\.[0-9])?"};
  RE2 icd9_undotted{"[0-9]{3,5}|V[0-9]{2,4}"};
  // Two groups: the first modifier, and the list that follows it.
  RE2 modifier_after{
      "\\bmodifiers?\\s+-?([0-9a-z]{2})\\b((?:\\s*(?:,|and|or|&|/)\\s*-?[0-9a-z]{2}\\b)*)"};
  RE2 modifier_before{"\\b-?([0-9]{2}|[a-z][a-z0-9]|[0-9][a-z])\\s+modifier"};
  RE2 code_dash_modifier{"\\b([0-9]{4}[0-9ft]|[a-v][0-9]{4})-([0-9a-z]{2})\\b"};
  RE2 units{"\\b([0-9]{1,4})\\s*units?\\b"};
  RE2 locality_id{"\\b([0-9]{5}-[0-9]{2})\\b"};
};

const Patterns& P() {
  static const Patterns* patterns = new Patterns();
  return *patterns;
}

bool WholeMatch(absl::string_view token, const RE2& re) {
  return RE2::FullMatch(re2::StringPiece(token.data(), token.size()), re);
}

// Calls fn(groups) for each non-overlapping match of `re` (which has
// `kGroups` groups; groups[0] is the whole match) in `text`, left to right.
// Each search starts where the last match ended but sees the text before
// it, so a word boundary there is judged as in a scan of the whole text.
template <int kGroups, typename Fn>
void ForEachMatch(absl::string_view text, const RE2& re, Fn fn) {
  const re2::StringPiece whole(text.data(), text.size());
  re2::StringPiece groups[kGroups + 1];
  size_t pos = 0;
  while (pos <= whole.size() &&
         re.Match(whole, pos, whole.size(), RE2::UNANCHORED, groups, kGroups + 1)) {
    std::array<absl::string_view, kGroups + 1> views;
    for (int g = 0; g <= kGroups; ++g) {
      views[g] = absl::string_view(groups[g].data(), groups[g].size());
    }
    fn(views);
    const size_t end = static_cast<size_t>(groups[0].data() - whole.data()) + groups[0].size();
    pos = groups[0].empty() ? end + 1 : end;
  }
}

// The first group of the first match of `re` in `text`, if any.
std::optional<std::string> FirstGroup(absl::string_view text, const RE2& re) {
  std::string group;
  if (!RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re, &group)) {
    return std::nullopt;
  }
  return group;
}

bool HasDigit(absl::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return absl::ascii_isdigit(c); });
}
bool HasAlpha(absl::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return absl::ascii_isalpha(c); });
}
bool IsUpper(absl::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return absl::ascii_islower(c); });
}

bool ContainsAny(absl::string_view text, std::initializer_list<absl::string_view> words) {
  for (absl::string_view w : words) {
    if (absl::StrContains(text, w)) return true;
  }
  return false;
}

void AddMention(std::vector<CodeMention>* out, std::string code, std::vector<CodeSystem> systems) {
  if (systems.empty()) return;
  for (CodeMention& m : *out) {
    if (m.code == code) return;
  }
  out->push_back(CodeMention{std::move(code), std::move(systems)});
}

// Modifier codes are two characters; "in", "of"... before "modifier" are words.
bool IsModifierWord(absl::string_view m) {
  static constexpr absl::string_view kStop[] = {"is", "of", "to", "no", "an", "as", "at", "by",
                                                "do", "if", "in", "it", "me", "my", "on", "or",
                                                "so", "up", "us", "we", "be", "he", "a",  "the"};
  for (absl::string_view s : kStop) {
    if (m == s) return false;
  }
  return true;
}

// Words that carry no search meaning in "what is the ICD-10 code for X?".
bool IsQuestionWord(absl::string_view w) {
  static constexpr absl::string_view kWords[] = {
      // Asking and telling.
      "what", "whats", "what's", "which", "how", "when", "please", "tell", "explain", "give",
      "find", "say", "says",
      // Names of code sets and their kinds.
      "code", "codes", "icd", "icd-10", "icd-10-cm", "icd10", "icd10cm", "icd-10-pcs", "pcs", "cm",
      "10", "cpt", "hcpcs", "level", "ii", "diagnosis", "procedure",
      // Verbs around choosing and billing a code.
      "is", "are", "be", "do", "does", "can", "would", "should", "there", "use", "used", "work",
      "works", "mean", "means", "define", "defines", "calculate", "calculated", "choose", "pick",
      "select", "fit", "fits", "bill", "billing", "coding",
      // Words about guidance.
      "guideline", "guidelines", "rule", "rules", "official", "according", "service", "services",
      "appropriate", "right", "correct",
      // Articles, prepositions and pronouns.
      "the", "a", "an", "and", "for", "to", "of", "about", "in", "with", "by", "it", "i", "me",
      "you", "we", "our", "they"};
  for (absl::string_view s : kWords) {
    if (w == s) return true;
  }
  return false;
}

std::string SearchWords(absl::string_view question) {
  // "E/M" would split into the letters e and m, which match anything.
  const std::string lower = absl::StrReplaceAll(
      question, {{"e/m", "evaluation management"}, {"e&m", "evaluation management"}});
  std::vector<std::string> kept;
  for (absl::string_view w :
       absl::StrSplit(lower, absl::ByAnyChar(" ?!,;:\t\"()"), absl::SkipEmpty())) {
    w = absl::StripSuffix(w, ".");
    if (!IsQuestionWord(w)) kept.emplace_back(w);
  }
  return absl::StrJoin(kept, " ");
}

CodeSystem SystemHint(absl::string_view lower) {
  // Before "pcs code", which "hcpcs code" also contains.
  if (ContainsAny(lower, {"hcpcs"})) return catalogue::v1::CODE_SYSTEM_HCPCS;
  if (ContainsAny(lower, {"icd-10-pcs", "icd10pcs", "pcs code", "inpatient procedure"})) {
    return catalogue::v1::CODE_SYSTEM_ICD10PCS;
  }
  if (ContainsAny(lower, {"icd-9", "icd9"})) return catalogue::v1::CODE_SYSTEM_ICD9CM;
  if (ContainsAny(lower, {"icd-10", "icd10", "diagnosis"})) {
    return catalogue::v1::CODE_SYSTEM_ICD10CM;
  }
  if (ContainsAny(lower, {"hcpcs"})) return catalogue::v1::CODE_SYSTEM_HCPCS;
  if (ContainsAny(lower, {"cpt"})) return catalogue::v1::CODE_SYSTEM_CPT;
  return catalogue::v1::CODE_SYSTEM_UNSPECIFIED;
}

std::vector<std::string> FindModifiers(const std::string& lower) {
  std::vector<std::string> out;
  auto add = [&out](std::string m) {
    m = absl::AsciiStrToUpper(absl::StripPrefix(m, "-"));
    if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
  };
  // The expressions run only where they can match: a long question without
  // the word costs nothing here.
  const bool has_word = absl::StrContains(lower, "modifier");
  if (has_word) {
    ForEachMatch<2>(lower, P().modifier_after, [&](const auto& g) {
      if (IsModifierWord(g[1])) add(std::string(g[1]));
      for (absl::string_view part :
           absl::StrSplit(g[2], absl::ByAnyChar(" ,&/-"), absl::SkipEmpty())) {
        if (part.size() == 2 && part != "or" && IsModifierWord(part)) add(std::string(part));
      }
    });
    ForEachMatch<1>(lower, P().modifier_before, [&](const auto& g) {
      if (IsModifierWord(g[1])) add(std::string(g[1]));
    });
  }
  if (lower.find('-') != std::string::npos) {
    ForEachMatch<2>(lower, P().code_dash_modifier, [&](const auto& g) { add(std::string(g[2])); });
  }
  return out;
}

bool IsWordChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

// The words after the first "in"/"for" that name a place: up to "?", ",",
// "(", the end, or the word "facility", "non-facility", "setting" or
// "with". One left-to-right pass (a failed candidate is skipped past the
// character that failed it), so a 2,000-character "in in in ..." costs
// microseconds, unlike the backtracking regular expression it replaces.
std::string LocalityWords(absl::string_view lower) {
  auto word_at = [&lower](size_t k, absl::string_view w) {
    return lower.substr(k, w.size()) == w && (k == 0 || !IsWordChar(lower[k - 1])) &&
           (k + w.size() >= lower.size() || !IsWordChar(lower[k + w.size()]));
  };
  size_t i = 0;
  while (i < lower.size()) {
    const size_t keyword = word_at(i, "in") ? 2 : word_at(i, "for") ? 3 : 0;
    if (keyword == 0) {
      ++i;
      continue;
    }
    size_t j = i + keyword;
    if (j >= lower.size() || !absl::ascii_isspace(lower[j])) {
      i = j;
      continue;
    }
    while (j < lower.size() && absl::ascii_isspace(lower[j])) ++j;
    if (j >= lower.size() || !absl::ascii_islower(lower[j])) {
      i = j;
      continue;
    }
    size_t k = j;
    bool failed = false;
    while (k < lower.size()) {
      const char c = lower[k];
      if (c == '?' || c == ',' || c == '(') break;
      if (word_at(k, "facility") || word_at(k, "non-facility") || word_at(k, "nonfacility") ||
          word_at(k, "setting") || word_at(k, "with")) {
        break;
      }
      if (!(absl::ascii_islower(c) || c == ' ' || c == '.' || c == '\'' || c == '-')) {
        failed = true;
        break;
      }
      ++k;
    }
    if (!failed) return std::string(absl::StripAsciiWhitespace(lower.substr(j, k - j)));
    i = k + 1;  // every candidate before k fails at k too
  }
  return "";
}

std::string FindLocality(const std::string& lower) {
  if (std::optional<std::string> id = FirstGroup(lower, P().locality_id)) return *id;
  std::string words = LocalityWords(lower);
  // "in this edition", "in a facility" are not places.
  if (words.empty() || absl::StartsWith(words, "this") || absl::StartsWith(words, "a ") ||
      absl::StartsWith(words, "the ") || words == "medicare" || words == "a") {
    return "";
  }
  return words;
}

bool IsFollowUpPhrase(absl::string_view lower) {
  return absl::StartsWith(lower, "and") || absl::StartsWith(lower, "what about") ||
         absl::StartsWith(lower, "with") || absl::StartsWith(lower, "how about") ||
         absl::StartsWith(lower, "what if") || absl::StartsWith(lower, "same") ||
         absl::StartsWith(lower, "also") || absl::StartsWith(lower, "in ") ||
         absl::StartsWith(lower, "for ") || absl::StrContains(lower, "instead");
}

// Words that point back at the previous turn: "it", "that code", "them".
bool RefersBack(absl::string_view lower) {
  for (absl::string_view w : absl::StrSplit(lower, absl::ByAnyChar(" ?!.,;:"), absl::SkipEmpty())) {
    if (w == "it" || w == "its" || w == "that" || w == "this" || w == "them" || w == "those" ||
        w == "these" || w == "also" || w == "instead" || w == "same") {
      return true;
    }
  }
  return false;
}

// Questions about the asker's own account, answered from the account
// service (never from a code set).
bool IsAccountQuestion(absl::string_view lower) {
  return ContainsAny(lower, {"page view", "views left", "views do i have", "views remaining",
                             "remaining views", "my views", "my plan", "plan am i", "my account",
                             "my quota", "code pages", "upgrade", "views reset", "page views"}) &&
         !ContainsAny(lower, {"code for", "modifier"});
}

// "What if the patient also has stage 3 CKD?" -> "stage 3 ckd".
std::string AlsoHasWords(absl::string_view lower) {
  for (absl::string_view marker : {"also has ", "also have ", "also had ", "also with ",
                                   "also diagnosed with ", "has also ", "with also "}) {
    const size_t at = lower.find(marker);
    if (at != absl::string_view::npos) {
      absl::string_view rest = lower.substr(at + marker.size());
      return SearchWords(rest);
    }
  }
  return "";
}

Intent IntentFromWords(absl::string_view lower, Intent otherwise) {
  if (ContainsAny(lower, {"icd-9", "icd9", "icd 9", "crosswalk", "gem ", "gems", "map to",
                          "maps to", "convert"})) {
    return Intent::kCrosswalk;
  }
  if (ContainsAny(lower, {"fee", "pay", "paid", "cost", "price", "how much", "rvu"})) {
    return Intent::kFee;
  }
  if (ContainsAny(lower, {"unit", "mue", "medically unlikely", "how many times", "maximum"})) {
    return Intent::kUnits;
  }
  if (ContainsAny(lower, {"ncci", "ptp", "together", "bundle", "same day"})) {
    return Intent::kNcciPair;
  }
  if (ContainsAny(lower, {"what is", "what does", "mean", "describe", "tell me"}) &&
      otherwise != Intent::kUnknown) {
    return Intent::kCodeMeaning;
  }
  return otherwise;
}

}  // namespace

absl::string_view IntentName(Intent intent) {
  for (const IntentNameRow& row : kIntentNames) {
    if (row.intent == intent) return row.name;
  }
  return "unknown";
}

Intent IntentFromName(absl::string_view name) {
  for (const IntentNameRow& row : kIntentNames) {
    if (row.name == name) return row.intent;
  }
  return Intent::kUnknown;
}

std::vector<CodeMention> ExtractCodes(absl::string_view text, bool strict) {
  std::vector<CodeMention> out;
  const std::string lower = absl::AsciiStrToLower(text);
  const bool icd9_context = !strict && ContainsAny(lower, {"icd-9", "icd9", "icd 9"});
  size_t i = 0;
  while (i < text.size()) {
    if (!absl::ascii_isalnum(text[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && (absl::ascii_isalnum(text[j]) || text[j] == '.')) ++j;
    absl::string_view raw = text.substr(i, j - i);
    while (absl::ConsumeSuffix(&raw, ".")) {
    }
    const bool after_dollar = i > 0 && text[i - 1] == '$';
    const bool after_icd9_label = i >= 9 && text.substr(i - 9, 9) == "ICD-9-CM ";
    i = j;
    if (after_dollar || raw.size() < 3 || raw.size() > 8 || !HasDigit(raw)) continue;
    if (strict && !IsUpper(raw)) continue;
    const std::string token = absl::AsciiStrToUpper(raw);
    const std::string undotted = absl::StrReplaceAll(token, {{".", ""}});
    std::vector<CodeSystem> systems;
    if (strict) {
      if (after_icd9_label) {
        if (WholeMatch(token, P().icd9)) {
          AddMention(&out, undotted, {catalogue::v1::CODE_SYSTEM_ICD9CM});
        }
        continue;
      }
    } else if (icd9_context &&
               (WholeMatch(token, P().icd9) || WholeMatch(token, P().icd9_undotted))) {
      AddMention(&out, undotted, {catalogue::v1::CODE_SYSTEM_ICD9CM});
      continue;
    }
    if (WholeMatch(token, P().cpt)) systems.push_back(catalogue::v1::CODE_SYSTEM_CPT);
    if (WholeMatch(token, P().hcpcs)) systems.push_back(catalogue::v1::CODE_SYSTEM_HCPCS);
    const bool dotted = WholeMatch(token, P().icd10cm_dotted);
    const bool category =
        WholeMatch(token, P().icd10cm_category) && (IsUpper(raw) || absl::ascii_isdigit(token[2]));
    const bool undotted_cm = WholeMatch(token, P().icd10cm_undotted);
    if (dotted || category || (!strict && undotted_cm)) {
      // An undotted HCPCS-shaped token is HCPCS in our own text.
      if (!(strict && !systems.empty())) systems.push_back(catalogue::v1::CODE_SYSTEM_ICD10CM);
    }
    if (token.find('.') == std::string::npos && WholeMatch(token, P().icd10pcs) &&
        HasAlpha(token) && HasDigit(token)) {
      systems.push_back(catalogue::v1::CODE_SYSTEM_ICD10PCS);
    }
    AddMention(&out, undotted, std::move(systems));
  }
  return out;
}

Question ClassifyQuestion(absl::string_view text, const TurnContext* previous) {
  Question q;
  q.text = std::string(absl::StripAsciiWhitespace(text.substr(0, kMaxClassifiedChars)));
  const std::string lower = absl::AsciiStrToLower(q.text);
  q.codes = ExtractCodes(q.text, /*strict=*/false);
  q.modifiers = FindModifiers(lower);
  // A modifier written "99213-25" or "modifier 59" is not a code.
  if (absl::StrContains(lower, "unit")) {
    int units = 0;
    std::optional<std::string> n = FirstGroup(lower, P().units);
    if (n.has_value() && absl::SimpleAtoi(*n, &units)) q.units = units;
  }
  q.facility = (absl::StrContains(lower, "facility") &&
                !ContainsAny(lower, {"non-facility", "nonfacility", "non facility"})) ||
               absl::StrContains(lower, "hospital");
  q.system_hint = SystemHint(lower);
  const size_t n = q.codes.size();
  const bool has_previous = previous != nullptr;
  const bool previous_codes = has_previous && !previous->codes.empty();

  if (n == 0 && IsAccountQuestion(lower)) {
    q.intent = Intent::kAccount;
    return q;
  }
  if (ContainsAny(lower, {"icd-9", "icd9", "icd 9", "crosswalk", "gem ", "gems", "map to",
                          "maps to", "convert"}) &&
      n > 0) {
    q.intent = Intent::kCrosswalk;
  } else if (ContainsAny(lower, {"fee", "pay ", "pays", "paid", "payment", "reimburse", "rvu",
                                 "price", "how much", "allowed amount", "cost"}) &&
             n > 0) {
    q.intent = Intent::kFee;
    q.locality = FindLocality(lower);
  } else if (ContainsAny(lower, {"unit", "mue", "medically unlikely", "how many times",
                                 "how many can", "maximum", "max "}) &&
             n > 0) {
    q.intent = Intent::kUnits;
  } else if (n >= 2 || (n == 1 && ContainsAny(lower, {"ncci", "ptp", "together", "bundle"}) &&
                        previous_codes)) {
    q.intent = Intent::kNcciPair;
    // "Is it bundled with 93010?": the previous turn's code is the other one.
    if (n == 1) {
      std::vector<CodeMention> both = previous->codes;
      for (const CodeMention& c : q.codes) {
        if (std::find(both.begin(), both.end(), c) == both.end()) both.push_back(c);
      }
      q.codes = std::move(both);
    }
  } else if (n == 0 &&
             !ContainsAny(lower, {"e/m", "e&m", "evaluation", "framework", "guideline"}) &&
             ContainsAny(lower,
                         {"what changed", "what's new", "whats new", "new codes", "codes added",
                          "codes deleted", "deleted codes", "added codes", "revised codes",
                          "changes in", "changed in", "this edition", "new in"})) {
    q.intent = Intent::kChanges;
  } else if (n == 0 && !q.modifiers.empty()) {
    q.intent = Intent::kModifier;
  } else if (n == 0 && ContainsAny(lower, {"code for", "codes for", "code is used for",
                                           "code should i use for", "what code", "which code",
                                           "code to use for", "icd-10 for", "cpt for", "hcpcs for",
                                           "diagnosis code", "code do i use"})) {
    q.intent = Intent::kFindCode;
  } else if (n >= 1 && ContainsAny(lower, {"guideline", "how do i code", "how to code"})) {
    // "Guidelines for pain codes in category G89": the rules, not the code.
    q.intent = Intent::kGuideline;
  } else if (n >= 1) {
    q.intent = Intent::kCodeMeaning;
  }

  // "What about 97155 instead?": a code of its own, the previous question.
  if (n >= 1 && has_previous && q.intent == Intent::kCodeMeaning && IsFollowUpPhrase(lower) &&
      previous->intent != Intent::kUnknown && previous->intent != Intent::kGuideline &&
      previous->intent != Intent::kFindCode && previous->intent != Intent::kAccount &&
      previous->intent != Intent::kChanges) {
    q.follow_up = true;
    q.intent =
        previous->intent == Intent::kNcciPair && n < 2 ? Intent::kCodeMeaning : previous->intent;
    if (q.modifiers.empty()) q.modifiers = previous->modifiers;
    if (q.intent == Intent::kFee && q.locality.empty()) q.locality = previous->locality;
  }
  // "Can 93000 and 93010 be billed together with it?" after a modifier.
  if (q.modifiers.empty() && has_previous && previous->intent == Intent::kModifier &&
      RefersBack(lower)) {
    q.modifiers = previous->modifiers;
  }

  // "What if the patient also has stage 3 CKD?" after a diagnosis.
  const std::string also = AlsoHasWords(lower);
  if (n == 0 && previous_codes && !also.empty()) {
    q.follow_up = true;
    q.intent = Intent::kFindCode;
    q.also_with = previous->codes;
    q.search_words = also;
    if (q.system_hint == catalogue::v1::CODE_SYSTEM_UNSPECIFIED &&
        previous->codes.front().systems.size() == 1) {
      q.system_hint = previous->codes.front().systems.front();
    }
    return q;
  }

  // A follow-up that names no code of its own refers to the last turn,
  // but only when it points back ("it", "that code", "and in Miami?", a
  // modifier, units or a fee): "Guidelines for E/M services" after 99213
  // is a new question, not another answer about 99213.
  const bool points_back = IsFollowUpPhrase(lower) || RefersBack(lower) || !q.modifiers.empty() ||
                           q.units > 0 ||
                           IntentFromWords(lower, Intent::kUnknown) != Intent::kUnknown;
  if (n == 0 && previous_codes && points_back &&
      (q.intent == Intent::kModifier || q.intent == Intent::kUnknown)) {
    q.follow_up = true;
    q.codes = previous->codes;
    Intent intent = IntentFromWords(lower, previous->intent);
    if (q.units > 0) intent = Intent::kUnits;
    if (intent == Intent::kModifier && !q.modifiers.empty()) intent = Intent::kNcciPair;
    if (intent == Intent::kNcciPair && q.codes.size() < 2) intent = previous->intent;
    if (intent == Intent::kCodeMeaning && q.codes.size() >= 2 && !q.modifiers.empty()) {
      intent = Intent::kNcciPair;
    }
    if (intent == Intent::kUnknown || intent == Intent::kGuideline || intent == Intent::kFindCode ||
        intent == Intent::kChanges) {
      intent = Intent::kCodeMeaning;
    }
    q.intent = intent;
    if (q.modifiers.empty()) q.modifiers = previous->modifiers;
    if (q.intent == Intent::kFee) {
      q.locality = FindLocality(lower);
      if (q.locality.empty()) q.locality = previous->locality;
    }
  }
  if (q.intent == Intent::kUnknown) {
    q.intent = Intent::kGuideline;
  }
  if (q.intent == Intent::kFindCode || q.intent == Intent::kGuideline ||
      q.intent == Intent::kModifier) {
    q.search_words = SearchWords(lower);
  }
  return q;
}

}  // namespace openencoder::assistant
