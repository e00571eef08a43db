// The language-model backend against a local fake server that speaks the
// OpenAI chat-completions protocol (SSE chunks, tool calls, errors, slow
// streams, garbage), with the real catalogue and search services on the demo
// data: no network, no model weights. The model's text is used only when it
// is grounded and every code in it is known; otherwise the deterministic
// answer stands.
#include "services/assistant/llm_backend.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "services/assistant/answer_engine.h"
#include "tests/assistant/support/inprocess_suite.h"

namespace openencoder::assistant {
namespace {

// One SSE event carrying a chat.completion.chunk.
std::string Chunk(const std::string& delta_json, const std::string& finish = "") {
  return absl::StrCat(
      "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
      "\"delta\":",
      delta_json, ",\"finish_reason\":", finish.empty() ? "null" : "\"" + finish + "\"", "}]}\n\n");
}
std::string Content(const std::string& text, const std::string& finish = "") {
  std::string escaped;
  for (char c : text) {
    if (c == '"' || c == '\\') escaped.push_back('\\');
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    escaped.push_back(c);
  }
  return Chunk(absl::StrCat("{\"content\":\"", escaped, "\"}"), finish);
}
const std::string kDone = "data: [DONE]\n\n";

// What the fake model does for one request: the HTTP status, the SSE pieces
// in order, a pause between pieces, and whether to cut the connection
// after them (no [DONE], no finish_reason).
struct Script {
  int status = 200;
  std::vector<std::string> pieces;
  std::chrono::milliseconds pause{0};
  bool cut = false;
};

class FakeModel {
 public:
  FakeModel() {
    server_.Post(
        "/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) {
          Script script;
          {
            absl::MutexLock lock(&mu_);
            requests_.push_back(req.body);
            if (!scripts_.empty()) {
              script = scripts_.front();
              scripts_.erase(scripts_.begin());
            }
          }
          res.status = script.status;
          if (script.status != 200) {
            res.set_content("{\"error\":{\"message\":\"overloaded\"}}", "application/json");
            return;
          }
          res.set_chunked_content_provider("text/event-stream",
                                           [script](size_t, httplib::DataSink& sink) {
                                             for (const std::string& piece : script.pieces) {
                                               if (script.pause.count() > 0)
                                                 std::this_thread::sleep_for(script.pause);
                                               if (!sink.write(piece.data(), piece.size()))
                                                 return false;
                                             }
                                             if (script.cut)
                                               return false;  // drop the connection mid-answer
                                             sink.done();
                                             return true;
                                           });
        });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeModel() {
    server_.stop();
    thread_.join();
  }
  std::string url() const {
    return absl::StrCat("http://127.0.0.1:", port_, "/v1/chat/completions");
  }
  void Then(Script s) {
    absl::MutexLock lock(&mu_);
    scripts_.push_back(std::move(s));
  }
  std::vector<std::string> requests() {
    absl::MutexLock lock(&mu_);
    return requests_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<Script> scripts_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> requests_ ABSL_GUARDED_BY(mu_);
};

class LlmBackendTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto suite = testing::InProcessSuite::Start();
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = suite->release();
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }

  // An engine like the suite's, with the backend pointed at the fake.
  EngineAnswer Ask(const std::string& question, absl::Duration timeout = absl::Seconds(5)) {
    LlmOptions options;
    options.url = model_.url();
    options.timeout = timeout;
    backend_ = std::make_unique<OpenAiCompatibleBackend>(options);
    AnswerEngine engine(EngineDeps{suite_->catalogue(), suite_->search(), suite_->knowledge(),
                                   suite_->localities(), backend_.get()});
    auto answer = engine.Answer(question, nullptr, "llm-test", [](auto, auto) {});
    EXPECT_TRUE(answer.ok()) << answer.status();
    return answer.ok() ? *answer : EngineAnswer{};
  }
  std::string Deterministic(const std::string& question) {
    auto answer = suite_->engine()->Answer(question, nullptr, "llm-test", [](auto, auto) {});
    EXPECT_TRUE(answer.ok()) << answer.status();
    return answer.ok() ? answer->text : "";
  }

  static testing::InProcessSuite* suite_;
  FakeModel model_;
  std::unique_ptr<OpenAiCompatibleBackend> backend_;
};
testing::InProcessSuite* LlmBackendTest::suite_ = nullptr;

TEST_F(LlmBackendTest, ToolCallThenGroundedStreamedAnswerIsUsed) {
  // Round 1: a tool call whose arguments arrive in two pieces.
  model_.Then(Script{
      200,
      {Chunk("{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":"
             "\"function\",\"function\":{\"name\":\"lookup_code\",\"arguments\":\"{\\\"co\"}}]}"),
       Chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"de\\\":\\\"99213\\\"}\"}}"
             "]}",
             "tool_calls"),
       kDone}});
  // Round 2: the answer, streamed in pieces, citing the tool result.
  model_.Then(Script{
      200,
      {Content("**99213** is an office visit for an established "),
       Content("patient with low medical decision making [T1]."), Content("", "stop"), kDone}});
  EngineAnswer a = Ask("What is CPT code 99213?");
  EXPECT_TRUE(a.phrased_by_model) << a.model_rejected;
  EXPECT_TRUE(absl::StrContains(a.text, "[T1]")) << a.text;
  EXPECT_TRUE(absl::StrContains(a.text, "99213"));
  const std::vector<std::string> requests = model_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(absl::StrContains(requests[0], "\"stream\":true"));
  EXPECT_TRUE(absl::StrContains(requests[0], "lookup_code"));  // the tool definitions
  EXPECT_TRUE(absl::StrContains(requests[1], "call_1"));       // the tool's answer goes back
  EXPECT_TRUE(absl::StrContains(requests[1], "T1:"));
}

TEST_F(LlmBackendTest, HallucinatedCodeIsRejectedForTheDeterministicAnswer) {
  // 99299 is code-shaped but in no source and not in the catalogue.
  model_.Then(Script{
      200, {Content("Bill **99213**, or **99299** for longer visits [T0].", "stop"), kDone}});
  EngineAnswer a = Ask("What is CPT code 99213?");
  EXPECT_FALSE(a.phrased_by_model);
  EXPECT_TRUE(absl::StrContains(a.model_rejected, "99299")) << a.model_rejected;
  EXPECT_EQ(a.text, Deterministic("What is CPT code 99213?"));
  EXPECT_FALSE(absl::StrContains(a.text, "99299"));
}

TEST_F(LlmBackendTest, StreamCutMidAnswerFallsBack) {
  Script s;
  s.pieces = {Content("**99213** is an office visit "), Content("for an estab")};
  s.cut = true;
  model_.Then(s);
  EngineAnswer a = Ask("What is CPT code 99213?");
  EXPECT_FALSE(a.phrased_by_model);
  EXPECT_FALSE(a.model_rejected.empty());
  EXPECT_EQ(a.text, Deterministic("What is CPT code 99213?"));
}

TEST_F(LlmBackendTest, StreamEndingWithoutFinishOrDoneCountsAsCut) {
  // The server closes cleanly, but the model never said it was done.
  model_.Then(Script{200, {Content("**99213** is an office visit [T0].")}});
  EngineAnswer a = Ask("What is CPT code 99213?");
  EXPECT_FALSE(a.phrased_by_model);
  EXPECT_TRUE(absl::StrContains(a.model_rejected, "cut")) << a.model_rejected;
}

TEST_F(LlmBackendTest, HttpErrorFallsBack) {
  model_.Then(Script{503, {}});
  EngineAnswer a = Ask("What is CPT code 99213?");
  EXPECT_FALSE(a.phrased_by_model);
  EXPECT_TRUE(absl::StrContains(a.model_rejected, "503")) << a.model_rejected;
  EXPECT_EQ(a.text, Deterministic("What is CPT code 99213?"));
}

TEST_F(LlmBackendTest, GarbageInTheStreamFallsBack) {
  model_.Then(Script{200, {"data: {this is not json\n\n", kDone}});
  EngineAnswer a = Ask("What is CPT code 99213?");
  EXPECT_FALSE(a.phrased_by_model);
  EXPECT_TRUE(absl::StrContains(a.model_rejected, "not JSON")) << a.model_rejected;
}

TEST_F(LlmBackendTest, ErrorEventInTheStreamFallsBack) {
  model_.Then(Script{200, {"data: {\"error\":{\"message\":\"context too long\"}}\n\n"}});
  EngineAnswer a = Ask("What is CPT code 99213?");
  EXPECT_FALSE(a.phrased_by_model);
  EXPECT_TRUE(absl::StrContains(a.model_rejected, "context too long")) << a.model_rejected;
}

TEST_F(LlmBackendTest, SlowStreamPastTheTimeoutFallsBack) {
  Script s;
  s.pieces = {Content("**99213** "),          Content("is "), Content("an "), Content("office "),
              Content("visit [T0].", "stop"), kDone};
  s.pause = std::chrono::milliseconds(250);
  model_.Then(s);
  EngineAnswer a = Ask("What is CPT code 99213?", absl::Milliseconds(500));
  EXPECT_FALSE(a.phrased_by_model);
  EXPECT_TRUE(absl::StrContains(a.model_rejected, "time")) << a.model_rejected;
  EXPECT_EQ(a.text, Deterministic("What is CPT code 99213?"));
}

TEST_F(LlmBackendTest, AnswerWithoutCitationsIsRejected) {
  model_.Then(Script{200, {Content("**99213** is an office visit.", "stop"), kDone}});
  EngineAnswer a = Ask("What is CPT code 99213?");
  EXPECT_FALSE(a.phrased_by_model);
  EXPECT_TRUE(absl::StrContains(a.model_rejected, "cit")) << a.model_rejected;
}

TEST_F(LlmBackendTest, CitationOfAToolResultThatDoesNotExistIsRejected) {
  model_.Then(Script{200, {Content("**99213** is an office visit [T3].", "stop"), kDone}});
  EngineAnswer a = Ask("What is CPT code 99213?");
  EXPECT_FALSE(a.phrased_by_model);
  EXPECT_TRUE(absl::StrContains(a.model_rejected, "does not exist")) << a.model_rejected;
}

TEST(LlmStreamParser, SplitsEventsAcrossReadsAndCrLf) {
  OpenAiCompatibleBackend::StreamParser parser;
  std::string streamed;
  auto on_delta = [&](absl::string_view d) { streamed.append(d.data(), d.size()); };
  const std::string all = Content("Hello ") + Content("world", "stop") + "data: [DONE]\r\n\r\n";
  for (size_t i = 0; i < all.size(); i += 7) {
    ASSERT_TRUE(parser.Feed(all.substr(i, 7), on_delta).ok());
  }
  EXPECT_EQ(streamed, "Hello world");
  EXPECT_EQ(parser.reply().text, "Hello world");
  EXPECT_EQ(parser.reply().finish_reason, "stop");
  EXPECT_TRUE(parser.reply().done);
}

TEST(ModelGrounding, EveryCodeNeedsASourceAndEveryCodeParagraphACitation) {
  std::string why;
  EXPECT_TRUE(
      ModelTextIsGrounded("E11.9 is type 2 diabetes [T1].", "draft", {"ICD-10-CM E11.9: x"}, &why))
      << why;
  EXPECT_FALSE(ModelTextIsGrounded("E11.9 is type 2 diabetes [T1].", "draft", {"nothing"}, &why));
  EXPECT_FALSE(ModelTextIsGrounded("E11.9 is diabetes.\n\nSee [T0].", "E11.9", {}, &why));
  EXPECT_FALSE(ModelTextIsGrounded("No codes and no citations.", "draft", {}, &why));
}

}  // namespace
}  // namespace openencoder::assistant
