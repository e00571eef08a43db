// Turns a free-text coding question into an intent and the codes, modifiers,
// units and locality it names, with one regular expression per code system.
// Pure logic: no I/O, no catalogue. Codes found here are only *shapes*; the
// answer engine verifies each one against the catalogue before using it.
//
// Example:
//   Question q = ClassifyQuestion("Can I bill 99213 with 36415?", nullptr);
//   q.intent == Intent::kNcciPair; q.codes == {CPT 99213, CPT 36415}
//
// A follow-up ("and with modifier 59?") inherits intent and codes from the
// previous turn when it names none itself.
#ifndef OPENENCODER_SERVICES_ASSISTANT_QUESTION_CLASSIFIER_H_
#define OPENENCODER_SERVICES_ASSISTANT_QUESTION_CLASSIFIER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "openencoder/catalogue/v1/codes.pb.h"

namespace openencoder::assistant {

enum class Intent {
  kUnknown,
  kCodeMeaning,  // "What is CPT code 99213?", "0371T"
  kFindCode,     // "ICD-10 code for heart attack"
  kNcciPair,     // "Can 99213 and 36415 be billed together?"
  kUnits,        // "How many units of 97153 are allowed?" (MUE)
  kModifier,     // "What does modifier 59 mean?"
  kCrosswalk,    // "ICD-9 410.71 to ICD-10"
  kFee,          // "Medicare fee for 99213 in Miami"
  kChanges,      // "What changed in this edition?"
  kGuideline,    // "What does Excludes1 mean?"
  kAccount,      // "How many page views do I have left?" (the asker's own account)
};

// Stable machine name ("code_meaning", ...), also used in questions.tsv.
absl::string_view IntentName(Intent intent);
// Inverse of IntentName; kUnknown for anything else.
Intent IntentFromName(absl::string_view name);

// A code shape found in text. `systems` lists every system the shape fits
// (e.g. "J0190" fits ICD-10-CM J01.90 and HCPCS J0190); the catalogue decides.
struct CodeMention {
  std::string code;  // canonical: upper case, no dot
  std::vector<catalogue::v1::CodeSystem> systems;
  friend bool operator==(const CodeMention&, const CodeMention&) = default;
};

struct Question {
  Intent intent = Intent::kUnknown;
  std::string text;                    // as asked, trimmed
  std::vector<CodeMention> codes;      // in order of appearance, no repeats
  std::vector<std::string> modifiers;  // "59", "XS", "25" (upper case)
  int units = 0;                       // "3 units" -> 3; 0 when not stated
  std::string locality;                // words or id after "in"/"locality"
  bool facility = false;               // "facility" / "hospital" setting
  catalogue::v1::CodeSystem system_hint = catalogue::v1::CODE_SYSTEM_UNSPECIFIED;
  std::string search_words;  // for kFindCode / kGuideline
  bool follow_up = false;    // inherited from the previous turn
  // "What if the patient also has stage 3 CKD?" after a diagnosis: the
  // previous turn's codes, kept beside the new condition searched for
  // (search_words), so that the answer names both and a combination code.
  std::vector<CodeMention> also_with;
};

// What a conversation remembers of a turn, enough to resolve a follow-up.
struct TurnContext {
  Intent intent = Intent::kUnknown;
  std::vector<CodeMention> codes;
  std::vector<std::string> modifiers;
  std::string locality;
  // A fingerprint of the answer text, so that the next turn never repeats
  // it word for word (empty: unknown, e.g. a turn stored before it existed).
  std::string answer_digest;
};

// Caps the text the classifier looks at: every scan is linear, and a
// question is at most 2,000 characters (case_pilot.h) anyway.
inline constexpr size_t kMaxClassifiedChars = 2000;

// Classifies `text`. `previous` (may be null) is the last turn of the same
// conversation. Never fails: an unrecognised question is kUnknown with
// search_words set, which the engine treats as a guideline search.
Question ClassifyQuestion(absl::string_view text, const TurnContext* previous);

// The code shapes in `text`, in order, without repeats. `strict` is for our
// own answers: upper case only, ICD-10-CM codes of 4+ characters must carry
// their dot, and ICD-9-CM codes are recognised only after "ICD-9-CM ".
// Non-strict (questions) accepts any case and undotted ICD-10-CM codes.
std::vector<CodeMention> ExtractCodes(absl::string_view text, bool strict);

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_QUESTION_CLASSIFIER_H_
