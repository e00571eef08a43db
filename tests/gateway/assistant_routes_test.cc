// The assistant routes' own logic: signature and form checks of the
// inbound-mail webhook (which needs no CSRF token), and the Ask relay (the
// first event decides the status; events become JSON lines; a client that
// leaves stops the stream). The relay is driven against a scripted
// AssistantService on loopback, as a stand-in for the service's timing-free
// part: which events come, then which status.
#include "services/gateway/assistant_routes.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "services/common/tls.h"
#include "services/gateway/gateway.h"
#include "services/gateway/inbound_mail/inbound_mail.h"

namespace openencoder::gateway {
namespace {

namespace av1 = assistant::v1;

constexpr char kSecret[] = "webhook-secret";
const absl::Time kNow = absl::FromUnixSeconds(1764000000);

// Streams `events`, then ends with `status`.
class ScriptedAssistant final : public av1::AssistantService::CallbackService {
 public:
  std::vector<av1::AskEvent> events;
  grpc::Status status = grpc::Status::OK;
  std::vector<std::string> questions;

  grpc::ServerWriteReactor<av1::AskEvent>* Ask(grpc::CallbackServerContext*,
                                               const av1::AskRequest* request) override {
    questions.push_back(request->question());
    // The writer owns a copy of the script: after a client cancels, gRPC may
    // still be finishing this call while the fixture (and `events`) is
    // destroyed, and serialising a freed message writes into freed memory
    // (its cached size).
    class Writer : public grpc::ServerWriteReactor<av1::AskEvent> {
     public:
      Writer(std::vector<av1::AskEvent> events, grpc::Status status)
          : events_(std::move(events)), status_(std::move(status)) {
        Next();
      }
      void OnWriteDone(bool ok) override {
        if (ok) {
          Next();
        } else {
          Finish(grpc::Status::CANCELLED);
        }
      }
      void OnDone() override { delete this; }

     private:
      void Next() {
        if (i_ < events_.size()) {
          StartWrite(&events_[i_++]);
        } else {
          Finish(status_);
        }
      }
      const std::vector<av1::AskEvent> events_;
      const grpc::Status status_;
      size_t i_ = 0;
    };
    return new Writer(events, status);
  }
};

class AssistantRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Serves grpc.health.v1 like every real server: the gateway's channels
    // watch health, and a channel whose watch is refused UNIMPLEMENTED and
    // is then torn down tripped a reference-count assertion inside gRPC
    // now and then (ref_counted.h:183, the test after this suite).
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", *common::MakeServerCredentials("assistant"), &port);
    builder.RegisterService(&assistant_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    // Account and the rest are down (port 1): the tests send a session cookie.
    backends_ = ConnectBackends({"127.0.0.1:1", "127.0.0.1:1", "127.0.0.1:1", "127.0.0.1:1",
                                 "127.0.0.1:" + std::to_string(port)},
                                absl::Seconds(5));
    AssistantRouteOptions options;
    options.inbound_mail_secret = kSecret;
    options.now = [] { return kNow; };
    gateway_ = std::make_unique<Gateway>(GatewayOptions{.access_log = false},
                                         AssistantRoutes(backends_, options), nullptr);
  }
  // Clients go first, as in the gateway: no call of theirs outlives the
  // server it talks to.
  void TearDown() override {
    gateway_.reset();
    backends_ = Backends{};
    server_->Shutdown();
  }

  // A POST of `body` to `path` from `client` to the gateway at `host`.
  static HttpRequest Post(std::string path, std::string client, std::string host,
                          std::string body) {
    HttpRequest r;
    r.method = "POST";
    r.path = std::move(path);
    r.client_address = std::move(client);
    r.headers["host"] = std::move(host);
    r.body = std::move(body);
    return r;
  }
  // The mail provider's signed post (no cookie, no CSRF token).
  static HttpRequest Mail(std::string body, absl::Time signed_at, std::string secret = kSecret) {
    const std::string ts = std::to_string(absl::ToUnixSeconds(signed_at));
    const std::string signature = assistant::SignBody(secret, ts, body);
    HttpRequest r = Post("/api/v1/inbound-mail", "203.0.113.9", "example.org", std::move(body));
    r.headers["content-type"] = "application/x-www-form-urlencoded";
    r.headers["x-oe-mail-timestamp"] = ts;
    r.headers["x-oe-mail-signature"] = signature;
    return r;
  }
  // A guest's question from the web client, with its session and CSRF token.
  static HttpRequest Ask(std::string body) {
    HttpRequest r = Post("/api/v1/assistant/ask", "127.0.0.1", "127.0.0.1:8080", std::move(body));
    r.headers["origin"] = "http://127.0.0.1:8080";
    r.headers["cookie"] = "oe_session=guest-token; oe_csrf=c1";
    r.headers["x-csrf-token"] = "c1";
    return r;
  }
  // A client connection that takes at most `accept` pieces.
  class Collector final : public ResponseStream {
   public:
    explicit Collector(size_t accept) : accept_(accept) {}
    bool Write(absl::string_view piece) override {
      absl::MutexLock lock(&mu_);
      if (++writes_ > accept_) return false;
      // The relay may hand over what it read before the stream opened in
      // one piece; the client sees the same bytes either way.
      for (absl::string_view line : absl::StrSplit(piece, '\n', absl::SkipEmpty())) {
        pieces_.push_back(absl::StrCat(line, "\n"));
      }
      return true;
    }
    void Finish() override {
      absl::MutexLock lock(&mu_);
      finished_ = true;
    }
    size_t writes() {
      absl::MutexLock lock(&mu_);
      return writes_;
    }
    std::vector<std::string> AwaitFinish() {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&finished_), absl::Seconds(10));
      EXPECT_TRUE(finished_) << "the relay never ended the body";
      return pieces_;
    }

   private:
    const size_t accept_;
    absl::Mutex mu_;
    std::vector<std::string> pieces_ ABSL_GUARDED_BY(mu_);
    size_t writes_ ABSL_GUARDED_BY(mu_) = 0;
    bool finished_ ABSL_GUARDED_BY(mu_) = false;
  };
  // Runs a streamed body with a client that takes at most `accept` writes
  // and returns the lines it got.
  static std::vector<std::string> Drain(const HttpResponse& r, size_t accept = 100) {
    EXPECT_TRUE(static_cast<bool>(r.start_stream)) << r.status << " " << r.body;
    if (!r.start_stream) return {};
    auto collector = std::make_shared<Collector>(accept);
    r.start_stream(collector);
    return collector->AwaitFinish();
  }
  static av1::AskEvent Chunk(std::string text) {
    av1::AskEvent e;
    e.mutable_chunk()->set_text(std::move(text));
    return e;
  }

  ScriptedAssistant assistant_;
  std::unique_ptr<grpc::Server> server_;
  Backends backends_;
  std::unique_ptr<Gateway> gateway_;
};

constexpr char kForm[] =
    "from=coder%40example.com&to=ask%40openencoder.test&subject=Q&text=What+is+E11.9%3F&"
    "Message-ID=%3Cm1%40example.com%3E";

TEST_F(AssistantRoutesTest, SignedMailPassesWithoutCsrfAndReachesSubmitEmail) {
  // The scripted service leaves SubmitEmail unimplemented: reaching it is
  // what this checks (an UNIMPLEMENTED answer maps to a 5xx, not 401/400/403).
  HttpResponse r = gateway_->Handle(Mail(kForm, kNow - absl::Minutes(1)));
  EXPECT_GE(r.status, 500) << r.body;
  EXPECT_NE(r.body.find("UNIMPLEMENTED"), std::string::npos) << r.body;
}

TEST_F(AssistantRoutesTest, WrongStaleOrMissingSignaturesAre401) {
  EXPECT_EQ(gateway_->Handle(Mail(kForm, kNow, "other-secret")).status, 401);
  EXPECT_EQ(gateway_->Handle(Mail(kForm, kNow - absl::Minutes(6))).status, 401);
  EXPECT_EQ(gateway_->Handle(Mail(kForm, kNow + absl::Minutes(6))).status, 401);
  HttpRequest tampered = Mail(kForm, kNow);
  tampered.body += "&x=1";
  EXPECT_EQ(gateway_->Handle(tampered).status, 401);
  HttpRequest unsigned_post = Mail(kForm, kNow);
  unsigned_post.headers.erase("x-oe-mail-signature");
  EXPECT_EQ(gateway_->Handle(unsigned_post).status, 401);
}

TEST_F(AssistantRoutesTest, NoSecretConfiguredRefusesEverything) {
  AssistantRouteOptions options;
  options.now = [] { return kNow; };
  Gateway open(GatewayOptions{.access_log = false}, AssistantRoutes(backends_, options), nullptr);
  EXPECT_EQ(open.Handle(Mail(kForm, kNow, "")).status, 401);
}

TEST_F(AssistantRoutesTest, SignedFormWithoutRequiredFieldsIs400) {
  HttpResponse r = gateway_->Handle(Mail("from=a%40b.c&subject=no+text", kNow));
  EXPECT_EQ(r.status, 400) << r.body;
}

TEST_F(AssistantRoutesTest, AskRelaysEveryEventAsAJsonLine) {
  av1::AskEvent progress;
  progress.mutable_progress()->set_step("lookup_code");
  progress.mutable_progress()->set_message("looking up E11.9");
  av1::AskEvent final_event;
  final_event.mutable_final()->set_outcome(av1::ANSWER_OUTCOME_ANSWERED);
  final_event.mutable_final()->set_answer_text("E11.9 is type 2 diabetes.");
  assistant_.events = {progress, Chunk("E11.9 is "), Chunk("type 2 diabetes."), final_event};

  HttpResponse r = gateway_->Handle(Ask(R"({"question":"What is E11.9?"})"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type.rfind("application/x-ndjson", 0), 0u) << r.content_type;
  std::vector<std::string> lines = Drain(r);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[0].find("\"progress\":{\"step\":\"lookup_code\""), std::string::npos) << lines[0];
  EXPECT_EQ(lines[1], "{\"chunk\":{\"text\":\"E11.9 is \"}}\n");
  EXPECT_NE(lines[3].find("\"outcome\":\"ANSWER_OUTCOME_ANSWERED\""), std::string::npos);
  ASSERT_EQ(assistant_.questions.size(), 1u);
  EXPECT_EQ(assistant_.questions[0], "What is E11.9?");
}

TEST_F(AssistantRoutesTest, ErrorBeforeTheFirstEventIsAnOrdinaryErrorReply) {
  assistant_.status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the question is empty");
  HttpResponse r = gateway_->Handle(Ask(R"({"question":""})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(static_cast<bool>(r.start_stream));
  EXPECT_NE(r.body.find("the question is empty"), std::string::npos) << r.body;
}

TEST_F(AssistantRoutesTest, ErrorAfterTheFirstEventIsTheLastLine) {
  assistant_.events = {Chunk("partial")};
  assistant_.status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "catalogue went away");
  HttpResponse r = gateway_->Handle(Ask(R"({"question":"q"})"));
  ASSERT_EQ(r.status, 200);
  std::vector<std::string> lines = Drain(r);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].rfind("{\"error\":{\"code\":503", 0), 0u) << lines[1];
}

TEST_F(AssistantRoutesTest, AClientThatLeavesStopsTheRelay) {
  for (int i = 0; i < 50; ++i) assistant_.events.push_back(Chunk("x"));
  HttpResponse r = gateway_->Handle(Ask(R"({"question":"q"})"));
  ASSERT_EQ(r.status, 200);
  // Once a write fails the relay writes nothing more (it cancels the call)
  // and still ends the body.
  auto client = std::make_shared<Collector>(/*accept=*/1);
  ASSERT_TRUE(static_cast<bool>(r.start_stream));
  r.start_stream(client);
  client->AwaitFinish();
  EXPECT_LE(client->writes(), 2u);
}

TEST_F(AssistantRoutesTest, AskNeedsTheCsrfTokenAndValidJson) {
  HttpRequest no_token = Ask(R"({"question":"q"})");
  no_token.headers.erase("x-csrf-token");
  EXPECT_EQ(gateway_->Handle(no_token).status, 403);
  EXPECT_EQ(gateway_->Handle(Ask("{not json")).status, 400);
}

}  // namespace
}  // namespace openencoder::gateway
