#include "tests/assistant/support/question_set.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace openencoder::assistant::testing {

absl::StatusOr<std::vector<LabelledQuestion>> LoadQuestionSet(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::vector<LabelledQuestion> out;
  std::string line;
  bool header_seen = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    if (f.size() < 3) return absl::InvalidArgumentError(absl::StrCat("bad row: ", line));
    LabelledQuestion q;
    q.kind = f[0];
    q.question = f[1];
    q.must_contain = absl::StrSplit(f[2], '|', absl::SkipEmpty());
    if (f.size() > 3) q.must_not_contain = absl::StrSplit(f[3], '|', absl::SkipEmpty());
    if (f.size() > 4) q.needs = std::string(absl::StripAsciiWhitespace(f[4]));
    if (!q.needs.empty() && q.needs != "demo" && q.needs != "real" && q.needs != "pdf") {
      return absl::InvalidArgumentError(absl::StrCat("unknown needs \"", q.needs, "\": ", line));
    }
    out.push_back(std::move(q));
  }
  return out;
}

std::vector<std::string> LabelledQuestion::turns() const {
  std::vector<std::string> out;
  for (absl::string_view t : absl::StrSplit(question, " >> ", absl::SkipWhitespace())) {
    out.emplace_back(absl::StripAsciiWhitespace(t));
  }
  return out;
}

bool Applies(const LabelledQuestion& q, const DataOffered& data) {
  if (q.needs == "demo") return !data.real;
  if (q.needs == "real") return data.real && data.guidelines;
  if (q.needs == "pdf") return data.guidelines;
  return true;
}

absl::StatusOr<EngineAnswer> AskLabelled(AnswerEngine* engine, const LabelledQuestion& q,
                                         absl::string_view session_token,
                                         const ProgressSink& progress, bool* repeated) {
  *repeated = false;
  std::optional<EngineAnswer> last;
  TurnContext previous;
  for (const std::string& turn : q.turns()) {
    absl::StatusOr<EngineAnswer> answer = engine->Answer(
        turn, last.has_value() ? &previous : nullptr, "quality", progress, session_token);
    if (!answer.ok()) return answer.status();
    if (last.has_value() && last->text == answer->text) *repeated = true;
    if (std::getenv("OE_QUALITY_TRACE") != nullptr) {
      std::fprintf(stderr, "TURN %s [%s]\n%s\n", turn.c_str(),
                   std::string(IntentName(answer->question.intent)).c_str(), answer->text.c_str());
    }
    previous = ContextOf(*answer);
    last = *std::move(answer);
  }
  if (!last.has_value()) return absl::InvalidArgumentError("a question without text");
  return *std::move(last);
}

Grade GradeAnswer(const LabelledQuestion& q, const EngineAnswer& answer,
                  CatalogueTools* catalogue) {
  Grade g;
  g.dont_know = answer.outcome == v1::ANSWER_OUTCOME_DONT_KNOW;
  const std::string text = absl::AsciiStrToLower(answer.text);
  g.correct = true;
  for (const std::string& m : q.must_contain) {
    if (!absl::StrContains(text, absl::AsciiStrToLower(m))) {
      g.correct = false;
      if (g.why.empty()) g.why = absl::StrCat("missing \"", m, "\"");
    }
  }
  for (const std::string& m : q.must_not_contain) {
    if (absl::StrContains(text, absl::AsciiStrToLower(m))) {
      g.correct = false;
      if (g.why.empty()) g.why = absl::StrCat("contains \"", m, "\"");
    }
  }
  const std::vector<CodeMention> mentions = ExtractCodes(answer.text, /*strict=*/true);
  catalogue::v1::BatchGetCodesRequest request;
  for (const CodeMention& m : mentions) {
    for (auto system : m.systems) {
      auto* ref = request.add_codes();
      ref->set_system(system);
      ref->set_code(m.code);
    }
  }
  if (request.codes_size() > 0) {
    absl::StatusOr<catalogue::v1::BatchGetCodesResponse> r =
        catalogue->BatchGetCodes(request, "grade");
    if (r.ok()) {
      for (const CodeMention& m : mentions) {
        bool found = m.systems.size() == 1 && m.systems[0] == catalogue::v1::CODE_SYSTEM_ICD9CM;
        for (const auto& s : r->codes()) found |= s.code() == m.code;
        if (!found) ++g.invented_codes;
      }
    }
  }
  if (g.invented_codes > 0) {
    g.correct = false;
    if (g.why.empty()) g.why = "invented code";
  }
  return g;
}

}  // namespace openencoder::assistant::testing
