// Questions built to make a pattern matcher work hard: long runs of what a
// pattern looks for, each about 2,000 characters (the question cap). Shared
// by the classifier tests, the e2e test and bench/assistant, so the bench
// measures what the tests hold to.
#ifndef OPENENCODER_TESTS_ASSISTANT_SUPPORT_ADVERSARIAL_QUESTIONS_H_
#define OPENENCODER_TESTS_ASSISTANT_SUPPORT_ADVERSARIAL_QUESTIONS_H_

#include <string>
#include <utility>
#include <vector>

namespace openencoder::assistant::testing {

// name, question (at most `size` characters).
inline std::vector<std::pair<std::string, std::string>> AdversarialQuestions(size_t size = 2000) {
  auto fill = [size](std::string head, const std::string& unit, std::string tail = "") {
    while (head.size() + unit.size() + tail.size() <= size) head += unit;
    return head + tail;
  };
  return {
      // The locality scan: "in" starts a place name at every word.
      {"in in in", fill("Medicare fee for 99213 ", "in ")},
      // The modifier list: a repeated group after "modifier".
      {"modifier list", fill("can I bill 99213 with modifier 25", ", 25 and 59 or 91 / 76")},
      {"modifier modifier", fill("", "modifier ")},
      // Digits before "unit(s)" with long runs of spaces between.
      {"units", fill("how many units of 97110 ", "1          ", "unit")},
      // Code-dash-modifier shapes, chained.
      {"code-dash chain", fill("99213", "-25")},
      // Code-shaped tokens everywhere (the code extractor and lookups).
      {"code tokens", fill("what about ", "E11.9 99213 A0425 ")},
      // One 2,000-character word.
      {"one long word", fill("", "a")},
  };
}

}  // namespace openencoder::assistant::testing

#endif  // OPENENCODER_TESTS_ASSISTANT_SUPPORT_ADVERSARIAL_QUESTIONS_H_
