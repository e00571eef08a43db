// Quality and latency of CasePilot's answer engine on the labelled question
// set, against the real catalogue and search services started in-process on
// a manifest (default: the shared real data, data/manifests/shared-data.tsv).
//
//   OE_SOURCE_DIR=. OE_SHARED_DATA=../shared/data oe_assistant_quality_bench [manifest]
//
// Reports the share answered correctly, the share of "I don't know", the
// invented codes (must be 0), and time to first event and to the final
// answer (p50, p99) over all questions, three rounds.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "services/assistant/question_classifier.h"
#include "tests/assistant/support/adversarial_questions.h"
#include "tests/assistant/support/inprocess_suite.h"
#include "tests/assistant/support/question_set.h"

namespace t = openencoder::assistant::testing;
namespace oa = openencoder::assistant;

namespace {
double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}
}  // namespace

int main(int argc, char** argv) {
  t::SuiteOptions options;
  options.manifest = argc > 1 ? argv[1] : t::SourceDir() + "/data/manifests/shared-data.tsv";
  const char* shared = std::getenv("OE_SHARED_DATA");
  if (shared != nullptr) options.shared_data = shared;
  if (argc > 2) options.gpci_csv = argv[2];
  const absl::Time load_start = absl::Now();
  auto suite = t::InProcessSuite::Start(options);
  if (!suite.ok()) {
    std::fprintf(stderr, "suite: %s\n", suite.status().ToString().c_str());
    return 1;
  }
  std::printf("suite up in %.1f s on %s\n", absl::ToDoubleSeconds(absl::Now() - load_start),
              options.manifest.c_str());
  auto questions = t::LoadQuestionSet(t::SourceDir() + "/data/assistant/questions.tsv");
  if (!questions.ok()) return 1;
  std::vector<double> first_ms, final_ms;
  int correct = 0, dont_know = 0, dont_know_answerable = 0, answerable = 0, invented = 0, total = 0;
  std::map<std::string, std::pair<int, int>> by_kind;  // kind -> (correct, total)
  t::DataOffered data;
  data.real = options.manifest.find("demo") == std::string::npos;
  data.guidelines = (*suite)->knowledge()->guideline_sections() > 0;
  for (int round = 0; round < 3; ++round) {
    for (const t::LabelledQuestion& q : *questions) {
      if (!t::Applies(q, data)) continue;
      if (std::getenv("OE_BENCH_TRACE") != nullptr)
        std::fprintf(stderr, "Q %s\n", q.question.c_str());
      const absl::Time start = absl::Now();
      absl::Time first = absl::InfinitePast();
      bool repeated = false;
      // A conversation's turns are timed together from the first question
      // to the last final answer: the figure is an upper bound per turn.
      auto answer = t::AskLabelled((*suite)->engine(), q, t::kQualitySession,
                                   [&](absl::string_view, const std::string&) {
                                     if (first == absl::InfinitePast()) first = absl::Now();
                                   },
                                   &repeated);
      const absl::Time end = absl::Now();
      first_ms.push_back(absl::ToDoubleMilliseconds(first - start));
      final_ms.push_back(absl::ToDoubleMilliseconds(end - start));
      if (round > 0) continue;
      ++total;
      by_kind[q.kind].second++;
      if (!answer.ok()) continue;
      t::Grade g = t::GradeAnswer(q, *answer, (*suite)->catalogue());
      if (repeated) {
        g.correct = false;
        g.why = "repeats the previous answer word for word";
      }
      correct += g.correct;
      by_kind[q.kind].first += g.correct;
      dont_know += g.dont_know;
      if (q.kind != "dont_know") {
        ++answerable;
        dont_know_answerable += g.dont_know;
      }
      invented += g.invented_codes;
      if (!g.correct)
        std::printf("wrong [%s] %s: %s\n", q.kind.c_str(), q.question.c_str(), g.why.c_str());
    }
  }
  for (const auto& [kind, counts] : by_kind) {
    std::printf("  %-14s %d/%d\n", kind.c_str(), counts.first, counts.second);
  }
  std::printf("guidelines sections loaded: %zu\n", (*suite)->knowledge()->guideline_sections());
  std::printf("I don't know on answerable questions: %.1f%% (%d of %d)\n",
              100.0 * dont_know_answerable / std::max(1, answerable), dont_know_answerable,
              answerable);
  // Adversarial 2,000-character questions (tests/assistant/support/
  // adversarial_questions.h) against a normal question, same run: the ratio
  // of their p50 costs through the whole engine and through the classifier
  // alone. Linear matching keeps them within a small factor of a normal one
  // (the question is ~60 times longer); a backtracking matcher does not.
  const std::string normal = "Medicare fee for 99213 in miami";
  auto p50_ms = [](int reps, const std::function<void()>& fn) {
    std::vector<double> ms;
    for (int i = 0; i < reps; ++i) {
      const absl::Time start = absl::Now();
      fn();
      ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    }
    return Percentile(ms, 0.5);
  };
  auto engine_ms = [&](const std::string& question) {
    return p50_ms(20, [&] {
      (void)(*suite)->engine()->Answer(question, nullptr, "bench",
                                       [](absl::string_view, const std::string&) {});
    });
  };
  auto classify_ms = [&](const std::string& question) {
    return p50_ms(200, [&] { (void)oa::ClassifyQuestion(question, nullptr); });
  };
  const double normal_engine = engine_ms(normal);
  const double normal_classify = classify_ms(normal);
  std::printf("normal question (%zu chars): answer p50 %.3f ms, classify p50 %.4f ms\n",
              normal.size(), normal_engine, normal_classify);
  for (const auto& [name, question] : t::AdversarialQuestions()) {
    const double e = engine_ms(question);
    const double c = classify_ms(question);
    std::printf(
        "adversarial \"%s\" (%zu chars): answer p50 %.3f ms (%.1fx normal), classify p50 "
        "%.4f ms (%.1fx normal)\n",
        name.c_str(), question.size(), e, e / std::max(normal_engine, 1e-6), c,
        c / std::max(normal_classify, 1e-6));
  }
  std::printf("questions %d: correct %.1f%%, dont_know %.1f%%, invented codes %d\n", total,
              100.0 * correct / total, 100.0 * dont_know / total, invented);
  std::printf("time to first event ms: p50 %.2f p99 %.2f; to final answer ms: p50 %.2f p99 %.2f\n",
              Percentile(first_ms, 0.5), Percentile(first_ms, 0.99), Percentile(final_ms, 0.5),
              Percentile(final_ms, 0.99));
  std::fflush(stdout);
  // The in-process servers' teardown can wait for their drain timeout; the
  // figures are out, so leave without it.
  std::_Exit(invented == 0 ? 0 : 2);
}
