// Unit tests of the assistant's pure logic: classification, the code check
// with a fake catalogue, chunking, the inbound-mail signature and form.
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "services/assistant/case_consultant.h"
#include "services/assistant/case_pilot.h"
#include "services/assistant/code_checker.h"
#include "services/assistant/conversation_store.h"
#include "services/assistant/question_classifier.h"
#include "services/gateway/inbound_mail/inbound_mail.h"
#include "tests/assistant/support/adversarial_questions.h"

namespace openencoder::assistant {
namespace {

namespace cat = catalogue::v1;

// What a previous turn leaves behind: it asked `intent` about `codes`.
TurnContext Previous(Intent intent, std::vector<CodeMention> codes) {
  TurnContext previous;
  previous.intent = intent;
  previous.codes = std::move(codes);
  return previous;
}

TEST(ClassifierTest, NamedCodeIsCodeMeaningWithCptSystem) {
  Question q = ClassifyQuestion("What is CPT code 99213?", nullptr);
  EXPECT_EQ(q.intent, Intent::kCodeMeaning);
  ASSERT_EQ(q.codes.size(), 1u);
  EXPECT_EQ(q.codes[0].code, "99213");
  EXPECT_EQ(q.codes[0].systems, std::vector<cat::CodeSystem>{cat::CODE_SYSTEM_CPT});
}

TEST(ClassifierTest, TwoCodesAreAnNcciQuestion) {
  Question q = ClassifyQuestion("Can I bill 99213 with 36415?", nullptr);
  EXPECT_EQ(q.intent, Intent::kNcciPair);
  EXPECT_EQ(q.codes.size(), 2u);
}

TEST(ClassifierTest, FollowUpInheritsCodesAndAddsModifier) {
  const TurnContext previous = Previous(
      Intent::kNcciPair, {{"99213", {cat::CODE_SYSTEM_CPT}}, {"20610", {cat::CODE_SYSTEM_CPT}}});
  Question q = ClassifyQuestion("and with modifier 59?", &previous);
  EXPECT_TRUE(q.follow_up);
  EXPECT_EQ(q.intent, Intent::kNcciPair);
  EXPECT_EQ(q.codes.size(), 2u);
  EXPECT_EQ(q.modifiers, std::vector<std::string>{"59"});
}

TEST(ClassifierTest, UnitsFeeCrosswalkModifierAndWordsAreRecognised) {
  EXPECT_EQ(ClassifyQuestion("How many units of 97153 are allowed?", nullptr).intent,
            Intent::kUnits);
  Question fee = ClassifyQuestion("Medicare fee for 99213 in Miami", nullptr);
  EXPECT_EQ(fee.intent, Intent::kFee);
  EXPECT_EQ(fee.locality, "miami");
  Question x = ClassifyQuestion("ICD-9 250.00 to ICD-10", nullptr);
  EXPECT_EQ(x.intent, Intent::kCrosswalk);
  ASSERT_FALSE(x.codes.empty());
  EXPECT_EQ(x.codes[0].systems, std::vector<cat::CodeSystem>{cat::CODE_SYSTEM_ICD9CM});
  EXPECT_EQ(ClassifyQuestion("When is modifier 25 appropriate?", nullptr).intent,
            Intent::kModifier);
  Question find = ClassifyQuestion("ICD-10 code for heart attack", nullptr);
  EXPECT_EQ(find.intent, Intent::kFindCode);
  EXPECT_EQ(find.search_words, "heart attack");
  EXPECT_EQ(ClassifyQuestion("What does Excludes1 mean?", nullptr).intent, Intent::kGuideline);
}

TEST(ClassifierTest, ANewTopicAfterACodeIsNotAFollowUp) {
  const TurnContext previous = Previous(Intent::kCodeMeaning, {{"99213", {cat::CODE_SYSTEM_CPT}}});
  Question q = ClassifyQuestion("Guidelines for E/M services", &previous);
  EXPECT_FALSE(q.follow_up);
  EXPECT_EQ(q.intent, Intent::kGuideline);
  EXPECT_TRUE(q.codes.empty());
  Question fee = ClassifyQuestion("What is the Medicare fee for it?", &previous);
  EXPECT_TRUE(fee.follow_up);
  EXPECT_EQ(fee.intent, Intent::kFee);
  EXPECT_EQ(fee.codes, previous.codes);
}

TEST(ClassifierTest, InsteadKeepsThePreviousQuestionForTheNewCode) {
  const TurnContext previous = Previous(Intent::kUnits, {{"97153", {cat::CODE_SYSTEM_CPT}}});
  Question q = ClassifyQuestion("What about 97155 instead?", &previous);
  EXPECT_EQ(q.intent, Intent::kUnits);
  ASSERT_EQ(q.codes.size(), 1u);
  EXPECT_EQ(q.codes[0].code, "97155");
}

TEST(ClassifierTest, ItPairsThePreviousCodeWithTheNewOne) {
  const TurnContext previous = Previous(Intent::kCodeMeaning, {{"93000", {cat::CODE_SYSTEM_CPT}}});
  Question q = ClassifyQuestion("Is it bundled with 93010?", &previous);
  EXPECT_EQ(q.intent, Intent::kNcciPair);
  ASSERT_EQ(q.codes.size(), 2u);
  EXPECT_EQ(q.codes[0].code, "93000");
  EXPECT_EQ(q.codes[1].code, "93010");
}

TEST(ClassifierTest, AlsoHasSearchesTheNewConditionBesideThePreviousCode) {
  const TurnContext previous =
      Previous(Intent::kCodeMeaning, {{"E119", {cat::CODE_SYSTEM_ICD10CM}}});
  Question q = ClassifyQuestion("What if the patient also has stage 3 CKD?", &previous);
  EXPECT_EQ(q.intent, Intent::kFindCode);
  EXPECT_EQ(q.search_words, "stage 3 ckd");
  EXPECT_EQ(q.also_with, previous.codes);
  EXPECT_EQ(q.system_hint, cat::CODE_SYSTEM_ICD10CM);
}

TEST(ClassifierTest, AccountQuestionsAndHcpcsHintsAreRecognised) {
  EXPECT_EQ(ClassifyQuestion("Can I see my remaining page views?", nullptr).intent,
            Intent::kAccount);
  EXPECT_EQ(ClassifyQuestion("What plan am I on?", nullptr).intent, Intent::kAccount);
  // "hcpcs code" contains "pcs code": HCPCS, not ICD-10-PCS.
  EXPECT_EQ(ClassifyQuestion("HCPCS code for a hospital bed", nullptr).system_hint,
            cat::CODE_SYSTEM_HCPCS);
}

TEST(ClassifierTest, LongRepetitiveQuestionIsCappedAndStillParsed) {
  std::string in;
  while (in.size() < 5000) in += "in ";
  Question q = ClassifyQuestion("Medicare fee for 99213 in miami " + in, nullptr);
  EXPECT_LE(q.text.size(), kMaxClassifiedChars);
  EXPECT_EQ(q.intent, Intent::kFee);
  EXPECT_EQ(q.locality.substr(0, 5), "miami");
  EXPECT_EQ(ClassifyQuestion(in, nullptr).intent, Intent::kGuideline);
}

TEST(ExtractCodesTest, StrictModeIgnoresAmountsLowerCaseAndUndottedIcd10) {
  std::vector<CodeMention> m =
      ExtractCodes("Pay $12345.00 for 99213, not e11.9; E119 and E11.9 and HbA1c", true);
  std::vector<std::string> codes;
  for (const auto& c : m) codes.push_back(c.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"99213", "E119"}));
  ASSERT_EQ(m[1].systems, std::vector<cat::CodeSystem>{cat::CODE_SYSTEM_ICD10CM});
}

class FakeCatalogue final : public CatalogueTools {
 public:
  std::vector<cat::CodeSummary> known;
  absl::StatusOr<cat::BatchGetCodesResponse> BatchGetCodes(const cat::BatchGetCodesRequest& r,
                                                           absl::string_view) override {
    cat::BatchGetCodesResponse out;
    for (const auto& ref : r.codes()) {
      bool found = false;
      for (const auto& k : known) {
        if (k.code() == ref.code() && k.system() == ref.system()) {
          *out.add_codes() = k;
          found = true;
        }
      }
      if (!found) *out.add_not_found() = ref;
    }
    return out;
  }
  absl::StatusOr<cat::CheckClaimResponse> CheckClaim(const cat::CheckClaimRequest&,
                                                     absl::string_view) override {
    return absl::UnimplementedError("");
  }
  absl::StatusOr<cat::GetCrosswalkResponse> GetCrosswalk(const cat::GetCrosswalkRequest&,
                                                         absl::string_view) override {
    return absl::UnimplementedError("");
  }
  absl::StatusOr<cat::GetFeeResponse> GetFee(const cat::GetFeeRequest&,
                                             absl::string_view) override {
    return absl::UnimplementedError("");
  }
  absl::StatusOr<cat::ListChangesResponse> ListChanges(const cat::ListChangesRequest&,
                                                       absl::string_view) override {
    return absl::UnimplementedError("");
  }
  absl::StatusOr<cat::ListModifiersResponse> ListModifiers(const cat::ListModifiersRequest&,
                                                           absl::string_view) override {
    return absl::UnimplementedError("");
  }
  absl::StatusOr<cat::GetEditionsResponse> GetEditions(absl::string_view) override {
    return cat::GetEditionsResponse();
  }
};

TEST(CodeCheckerTest, UnknownCodeIsCutOutAndKnownCodeKept) {
  FakeCatalogue catalogue;
  cat::CodeSummary e119;
  e119.set_system(cat::CODE_SYSTEM_ICD10CM);
  e119.set_code("E119");
  e119.set_display_code("E11.9");
  catalogue.known.push_back(e119);
  CodeChecker checker(&catalogue);
  auto checked = checker.Check("Use E11.9 or Q99.9.", {}, "t");
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->text, absl::StrCat("Use E11.9 or ", kRemovedCodeText, "."));
  EXPECT_EQ(checked->removed, std::vector<std::string>{"Q999"});
  ASSERT_EQ(checked->codes.size(), 1u);
  EXPECT_EQ(checked->codes[0].code(), "E119");
}

TEST(ChunkTextTest, ChunksConcatenateToTheTextAndSplitAtSpaces) {
  const std::string text = "one two three four five six seven eight nine ten ü ü ü";
  std::vector<std::string> chunks = ChunkText(text, 10);
  std::string joined;
  for (const auto& c : chunks) joined += c;
  EXPECT_EQ(joined, text);
  EXPECT_GT(chunks.size(), 3u);
}

TEST(ConversationTurnTest, EncodeDecodeRoundTrips) {
  Turn t;
  t.question = "can I bill 99213 with 20610?";
  t.context.intent = Intent::kNcciPair;
  t.context.codes = {{"99213", {cat::CODE_SYSTEM_CPT}},
                     {"J0190", {cat::CODE_SYSTEM_ICD10CM, cat::CODE_SYSTEM_HCPCS}}};
  t.context.modifiers = {"59"};
  auto back = DecodeTurn(EncodeTurn(t));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->question, t.question);
  EXPECT_EQ(back->context.intent, Intent::kNcciPair);
  EXPECT_EQ(back->context.codes, t.context.codes);
  EXPECT_EQ(back->context.modifiers, t.context.modifiers);
}

TEST(ConversationTurnTest, AnswerDigestRoundTripsAndVersionOneTurnsStillDecode) {
  Turn t;
  t.question = "What is 99213?";
  t.context.intent = Intent::kCodeMeaning;
  t.context.answer_digest = "00ff00ff00ff00ff";
  auto back = DecodeTurn(EncodeTurn(t));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->context.answer_digest, t.context.answer_digest);
  // A turn stored before the digest existed (v1: six fields).
  std::string v1 = EncodeTurn(t);
  v1 = "v1" + v1.substr(2, v1.rfind(v1[2]) - 2);
  auto old = DecodeTurn(v1);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_TRUE(old->context.answer_digest.empty());
}

TEST(RetryAfterTextTest, SaysWhenMoreQuestionsAreAvailable) {
  EXPECT_EQ(RetryAfterText(absl::Minutes(30)), "in 30 minutes");
  EXPECT_EQ(RetryAfterText(absl::Hours(5)), "in 5 hours");
}

TEST(InboundMailTest, ValidSignatureInsideWindowIsAccepted) {
  const absl::Time now = absl::FromUnixSeconds(1700000000);
  const std::string body = "from=a%40b.org&text=hi&Message-ID=%3Cx%40y%3E";
  const std::string sig = SignBody("s3cret", "1700000000", body);
  EXPECT_TRUE(VerifySignature("s3cret", "1700000000", body, sig, now, absl::Minutes(5)).ok());
}

TEST(InboundMailTest, TamperedBodyStaleTimestampAndWrongSecretAreRejected) {
  const absl::Time now = absl::FromUnixSeconds(1700000000);
  const std::string body = "from=a%40b.org&text=hi&Message-ID=%3Cx%40y%3E";
  const std::string sig = SignBody("s3cret", "1700000000", body);
  EXPECT_TRUE(absl::IsUnauthenticated(
      VerifySignature("s3cret", "1700000000", body + "x", sig, now, absl::Minutes(5))));
  EXPECT_TRUE(absl::IsUnauthenticated(VerifySignature("s3cret", "1700000000", body, sig,
                                                      now + absl::Minutes(6), absl::Minutes(5))));
  EXPECT_TRUE(absl::IsUnauthenticated(
      VerifySignature("other", "1700000000", body, sig, now, absl::Minutes(5))));
  EXPECT_TRUE(
      absl::IsUnauthenticated(VerifySignature("s3cret", "abc", body, sig, now, absl::Minutes(5))));
}

TEST(InboundMailTest, ProviderFormIsParsedAndIncompleteFormRejected) {
  auto r = ParseProviderForm(
      "from=Ann+%3Cann%40clinic.org%3E&to=ask%40oe.local&subject=Q&text=What+is+99213%3F"
      "&Message-ID=%3Cm1%40clinic%3E&In-Reply-To=&spam_score=0");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->from_address(), "Ann <ann@clinic.org>");
  EXPECT_EQ(r->text(), "What is 99213?");
  EXPECT_EQ(r->message_id(), "<m1@clinic>");
  EXPECT_TRUE(absl::IsInvalidArgument(ParseProviderForm("from=a%40b&text=x").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      ParseProviderForm("from=a%40b&text=x&Message-ID=1&Message-ID=2").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      ParseProviderForm("from=a%40b%0d%0aBcc:x&text=x&Message-ID=1").status()));
}

TEST(CaseConsultantTest, QuotedThreadIsNotPartOfTheQuestion) {
  EXPECT_EQ(CaseConsultant::QuestionOf("And with modifier 59?\n\nOn Mon, Ann wrote:\n> old"),
            "And with modifier 59?");
}

TEST(ClassifierTest, AdversarialQuestionsAreClassified) {
  for (const auto& [name, question] : ::openencoder::assistant::testing::AdversarialQuestions()) {
    ASSERT_LE(question.size(), kMaxClassifiedChars) << name;
    Question q = ClassifyQuestion(question, nullptr);
    EXPECT_FALSE(q.text.empty()) << name;
  }
  // They still find what they contain.
  auto questions = ::openencoder::assistant::testing::AdversarialQuestions();
  EXPECT_EQ(ClassifyQuestion(questions[1].second, nullptr).modifiers,
            (std::vector<std::string>{"25", "59", "91", "76"}));
  EXPECT_EQ(ClassifyQuestion(questions[4].second, nullptr).modifiers,
            (std::vector<std::string>{"25"}));
}

TEST(ClassifierTest, ModifiersUnitsAndLocalityIdsAreFoundAsBefore) {
  Question q = ClassifyQuestion("Is 99213-25 ok with modifier 59, 91 and 76 for 2 units?", nullptr);
  EXPECT_EQ(q.modifiers, (std::vector<std::string>{"59", "91", "76", "25"}));
  EXPECT_EQ(q.units, 2);
  EXPECT_EQ(ClassifyQuestion("fee for 99213 in locality 01112-05", nullptr).locality, "01112-05");
  EXPECT_EQ(ClassifyQuestion("can I add a 25 modifier to 99213?", nullptr).modifiers,
            (std::vector<std::string>{"25"}));
}

}  // namespace
}  // namespace openencoder::assistant
