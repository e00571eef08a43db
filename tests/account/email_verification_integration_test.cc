// Email verification end to end: a real redis-server, real gRPC over
// loopback, the service's real mail outbox, and either a capturing sender or
// a real SMTP relay (the aiosmtpd sink of tests/assistant/smtp_sink.py).
#include <arpa/inet.h>
#include <dirent.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "services/account/account_backend.h"
#include "services/account/session_tokens.h"
#include "services/common/server.h"
#include "services/common/tls.h"
#include "tests/account/account_service_fixture.h"
#include "tests/support/capturing_mail_sender.h"
#include "tests/support/redis_users.h"

namespace openencoder::account {
namespace {

namespace pb = ::openencoder::account::v1;

constexpr char kLinkPrefix[] = "https://oe.test/verify-email.html?token=";

using CapturingSender = test_support::CapturingMailSender;

// The token of the verification link in a mail body ("" when none).
std::string TokenIn(const std::string& body) {
  const size_t at = body.find(kLinkPrefix);
  if (at == std::string::npos) return "";
  const size_t start = at + std::string(kLinkPrefix).size();
  size_t end = start;
  while (end < body.size() && !isspace(static_cast<unsigned char>(body[end]))) ++end;
  return body.substr(start, end - start);
}

class EmailVerificationTest : public AccountServiceFixture {
 protected:
  void TearDown() override {
    AccountServiceFixture::TearDown();
    if (sink_pid_ > 0) {
      ::kill(sink_pid_, SIGKILL);
      ::waitpid(sink_pid_, nullptr, 0);
    }
  }

  // With `smtp_url` empty, mail goes to a CapturingSender (sender_).
  void StartService(AccountConfig config = {}, const std::string& smtp_url = "") {
    config.verify_url_prefix = kLinkPrefix;
    config.smtp_url = smtp_url;
    std::unique_ptr<common::mail::MailSender> sender;
    if (smtp_url.empty()) {
      auto capturing = std::make_unique<CapturingSender>();
      sender_ = capturing.get();
      sender = std::move(capturing);
    }
    MailOutboxOptions mail_options;
    mail_options.poll_interval = absl::Milliseconds(100);
    mail_options.initial_backoff = absl::Milliseconds(200);
    StartBackend(std::move(config), std::move(sender), mail_options);
  }

  pb::RegisterResponse Register(const std::string& email) {
    pb::RegisterRequest req;
    req.set_email(email);
    req.set_password(kPassword);
    req.set_display_name("Ann Coder");
    req.set_role(pb::ROLE_CODER);
    req.set_client_address("10.0.0.1");
    pb::RegisterResponse resp;
    grpc::ClientContext ctx;
    WithDeadline(&ctx);
    grpc::Status s = stub_->Register(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  grpc::Status Verify(const std::string& token) {
    pb::VerifyEmailRequest req;
    req.set_token(token);
    pb::VerifyEmailResponse resp;
    grpc::ClientContext ctx;
    WithDeadline(&ctx);
    return stub_->VerifyEmail(&ctx, req, &resp);
  }

  grpc::Status RequestVerification(const std::string& session_token) {
    pb::RequestEmailVerificationRequest req;
    req.set_session_token(session_token);
    pb::RequestEmailVerificationResponse resp;
    grpc::ClientContext ctx;
    WithDeadline(&ctx);
    return stub_->RequestEmailVerification(&ctx, req, &resp);
  }

  bool Verified(const std::string& session_token) {
    pb::GetAccountRequest req;
    req.set_session_token(session_token);
    pb::GetAccountResponse resp;
    grpc::ClientContext ctx;
    WithDeadline(&ctx);
    grpc::Status s = stub_->GetAccount(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.account().email_verified();
  }

  // Every key name and every stored value in Redis, as one text. Read as
  // the admin user: the account service's own user may not list keys.
  std::string EverythingInRedis() {
    absl::StatusOr<std::unique_ptr<redis::RedisClient>> admin =
        redis::RedisClient::Create(test_support::RedisOptionsAs(*redis_, "admin"));
    EXPECT_TRUE(admin.ok()) << admin.status();
    if (!admin.ok()) return "";
    redis::RedisClient* r = admin->get();
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    absl::StatusOr<redis::RedisReply> names = r->Command({"KEYS", "*"}, deadline);
    EXPECT_TRUE(names.ok());
    std::string all;
    for (const redis::RedisReply& name : names->elements()) {
      const std::string key = name.str();
      absl::StrAppend(&all, key, "\n");
      absl::StatusOr<redis::RedisReply> type = r->Command({"TYPE", key}, deadline);
      const std::string t = type.ok() ? type->str() : "";
      absl::StatusOr<redis::RedisReply> value =
          t == "string" ? r->Command({"GET", key}, deadline)
          : t == "hash" ? r->Command({"HGETALL", key}, deadline)
          : t == "zset" ? r->Command({"ZRANGE", key, "0", "-1"}, deadline)
          : t == "set"  ? r->Command({"SMEMBERS", key}, deadline)
                        : absl::StatusOr<redis::RedisReply>(absl::NotFoundError(t));
      if (!value.ok()) continue;
      if (value->is_array()) {
        for (const redis::RedisReply& e : value->elements()) absl::StrAppend(&all, e.str(), "\n");
      } else if (value->is_string()) {
        absl::StrAppend(&all, value->str(), "\n");
      }
    }
    return all;
  }

  CapturingSender* sender_ = nullptr;  // owned by backend_
  pid_t sink_pid_ = -1;
};

TEST_F(EmailVerificationTest, RegisterMailsALinkThatVerifiesTheAccountExactlyOnce) {
  StartService();
  testing::internal::CaptureStderr();
  const pb::RegisterResponse reg = Register("ann@example.com");
  std::vector<common::mail::OutgoingMail> mails = sender_->WaitFor(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to, "ann@example.com");
  const std::string token = TokenIn(mails[0].body);
  ASSERT_FALSE(token.empty()) << mails[0].body;
  EXPECT_FALSE(reg.account().email_verified());
  EXPECT_FALSE(Verified(reg.session().token()));

  grpc::Status first = Verify(token);
  EXPECT_TRUE(first.ok()) << first.error_message();
  EXPECT_TRUE(Verified(reg.session().token()));
  // Used up: a second use is refused and changes nothing.
  EXPECT_EQ(Verify(token).error_code(), grpc::StatusCode::NOT_FOUND);
  const std::string logs = testing::internal::GetCapturedStderr();
  EXPECT_EQ(logs.find(token.substr(33)), std::string::npos) << "the token was logged";
  EXPECT_EQ(logs.find("ann@example.com"), std::string::npos) << "the email was logged";
}

TEST_F(EmailVerificationTest, RedisHoldsOnlyTheTokenHashNeverTheToken) {
  StartService();
  Register("ann@example.com");
  // Right after Register the mail may still be queued: its body is sealed.
  const std::string queued = EverythingInRedis();
  const std::string token = TokenIn(sender_->WaitFor(1).at(0).body);
  ASSERT_FALSE(token.empty());
  const std::string secret = token.substr(33);  // the random part
  EXPECT_EQ(queued.find(secret), std::string::npos);
  const std::string after = EverythingInRedis();
  EXPECT_EQ(after.find(secret), std::string::npos);
  EXPECT_NE(after.find(":verify:"), std::string::npos) << "the token's hash should be stored";
  EXPECT_NE(after.find(VerificationTokenHash(token)), std::string::npos);
  EXPECT_TRUE(Verify(token).ok());
  EXPECT_EQ(EverythingInRedis().find(":verify:"), std::string::npos) << "used token not deleted";
}

TEST_F(EmailVerificationTest, ExpiredTokenIsRefused) {
  AccountConfig config;
  config.verification_ttl = absl::Milliseconds(300);
  StartService(config);
  const pb::RegisterResponse reg = Register("ann@example.com");
  const std::string token = TokenIn(sender_->WaitFor(1).at(0).body);
  ASSERT_FALSE(token.empty());
  absl::SleepFor(absl::Seconds(1));  // past the TTL (Redis expires the key)
  EXPECT_EQ(Verify(token).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_FALSE(Verified(reg.session().token()));
}

TEST_F(EmailVerificationTest, ConcurrentUsesOfOneTokenSucceedExactlyOnce) {
  StartService();
  Register("ann@example.com");
  const std::string token = TokenIn(sender_->WaitFor(1).at(0).body);
  ASSERT_FALSE(token.empty());
  std::atomic<int> ok{0}, not_found{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      const grpc::StatusCode c = Verify(token).error_code();
      if (c == grpc::StatusCode::OK) {
        ++ok;
      } else if (c == grpc::StatusCode::NOT_FOUND) {
        ++not_found;
      } else {
        ++other;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(not_found.load(), 15);
  EXPECT_EQ(other.load(), 0);
}

TEST_F(EmailVerificationTest, WrongAndMalformedTokensAreRefused) {
  StartService();
  const pb::RegisterResponse reg = Register("ann@example.com");
  const std::string token = TokenIn(sender_->WaitFor(1).at(0).body);
  ASSERT_EQ(token.size(), 32u + 1 + 43);
  EXPECT_EQ(Verify("").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Verify("not-a-token").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Verify(token + "x").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Well formed, right account, wrong secret.
  std::string wrong = token;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(Verify(wrong).error_code(), grpc::StatusCode::NOT_FOUND);
  // Well formed, unknown account: the same answer.
  EXPECT_EQ(Verify(std::string(32, 'a') + token.substr(32)).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_FALSE(Verified(reg.session().token()));
  EXPECT_TRUE(Verify(token).ok());  // the right one still works afterwards
}

TEST_F(EmailVerificationTest, RequestSendsANewLinkIsRateLimitedAndStopsOnceVerified) {
  AccountConfig config;
  config.verification_requests_per_day = 2;
  StartService(config);
  const pb::RegisterResponse reg = Register("ann@example.com");
  const std::string session = reg.session().token();
  sender_->WaitFor(1);
  EXPECT_TRUE(RequestVerification(session).ok());
  EXPECT_TRUE(RequestVerification(session).ok());
  EXPECT_EQ(RequestVerification(session).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  std::vector<common::mail::OutgoingMail> mails = sender_->WaitFor(3);
  ASSERT_EQ(mails.size(), 3u);
  const std::string t1 = TokenIn(mails[1].body);
  const std::string t2 = TokenIn(mails[2].body);
  ASSERT_FALSE(t1.empty());
  ASSERT_FALSE(t2.empty());
  EXPECT_NE(t1, t2);
  EXPECT_TRUE(Verify(t2).ok());
  EXPECT_TRUE(Verified(session));
  EXPECT_EQ(RequestVerification(session).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(RequestVerification("").error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(EmailVerificationTest, DuplicateRegistrationMailsTheOwnerANoticeAndNoToken) {
  StartService();
  Register("ann@example.com");
  const pb::RegisterResponse dup = Register("ann@example.com");
  EXPECT_TRUE(RequestVerification(dup.session().token()).ok());  // same answer as an owner's
  std::vector<common::mail::OutgoingMail> mails = sender_->WaitFor(3);
  ASSERT_EQ(mails.size(), 3u);
  int with_token = 0;
  for (const auto& m : mails) {
    EXPECT_EQ(m.to, "ann@example.com");
    if (!TokenIn(m.body).empty()) ++with_token;
  }
  EXPECT_EQ(with_token, 1) << "only the owner's registration may carry a link";
  EXPECT_FALSE(Verified(dup.session().token()));
}

// Starts the aiosmtpd sink the assistant's end-to-end tests use (each message
// it receives becomes a file in a new folder); returns "<smtp url>|<folder>".
std::string StartSinkAndService(pid_t* sink_pid) {
  // A free port: bind to 0, read it, close (the sink binds it right after).
  int port = 0;
  {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    ::close(fd);
  }
  char dir_template[] = "/tmp/oe-acct-mail-XXXXXX";
  EXPECT_NE(::mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  const std::string script = test_support::SourcePath("tests/assistant/smtp_sink.py");
  const std::string port_text = std::to_string(port);
  const pid_t parent = ::getpid();
  *sink_pid = ::fork();
  EXPECT_GE(*sink_pid, 0);
  if (*sink_pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(1);
    ::execl("/usr/bin/python3", "python3", script.c_str(), port_text.c_str(), dir.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return absl::StrCat("smtp://127.0.0.1:", port, "|", dir);
}

// Waits (up to 20 s) until the sink folder holds `n` messages; returns them
// in arrival order.
std::vector<std::string> MailsIn(const std::string& dir, size_t n) {
  std::vector<std::string> mails;
  for (int i = 0; i < 400; ++i) {
    std::vector<std::string> names;
    if (DIR* d = ::opendir(dir.c_str()); d != nullptr) {
      while (dirent* e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (!name.empty() && name[0] != '.') names.push_back(name);
      }
      ::closedir(d);
    }
    if (names.size() >= n) {
      std::sort(names.begin(), names.end());
      for (const std::string& name : names) {
        std::ifstream in(dir + "/" + name);
        std::stringstream text;
        text << in.rdbuf();
        mails.push_back(text.str());
      }
      return mails;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return mails;
}

// The same flow through a real SMTP relay.
TEST_F(EmailVerificationTest, VerificationMailArrivesThroughARealSmtpRelay) {
  const std::string relay = StartSinkAndService(&sink_pid_);
  const std::string url = relay.substr(0, relay.find('|'));
  const std::string dir = relay.substr(relay.find('|') + 1);
  StartService({}, url);
  // The outbox retries until the sink listens, so no wait is needed here.
  const pb::RegisterResponse reg = Register("ann@example.com");
  const std::vector<std::string> mails = MailsIn(dir, 1);
  ASSERT_EQ(mails.size(), 1u) << "no mail reached the SMTP sink";
  const std::string& message = mails[0];
  EXPECT_NE(message.find("To: ann@example.com"), std::string::npos) << message;
  const std::string token = TokenIn(message);
  ASSERT_EQ(token.size(), 32u + 1 + 43) << message;
  EXPECT_TRUE(Verify(token).ok());
  EXPECT_TRUE(Verified(reg.session().token()));
  EXPECT_EQ(Verify(token).error_code(), grpc::StatusCode::NOT_FOUND);
}

// "Forgot password" through the real relay: the same answer for an unknown
// address, a single-use link that ends every session, and only its hash in
// Redis.
TEST_F(EmailVerificationTest, PasswordResetByMailWorksOnceAndEndsEverySession) {
  const std::string relay = StartSinkAndService(&sink_pid_);
  const std::string dir = relay.substr(relay.find('|') + 1);
  AccountConfig config;
  config.reset_url_prefix = "https://oe.test/reset-password.html?token=";
  StartService(config, relay.substr(0, relay.find('|')));
  const pb::RegisterResponse reg = Register("ann@example.com");
  ASSERT_EQ(MailsIn(dir, 1).size(), 1u) << "the verification mail";

  auto ask = [&](const std::string& email) {
    pb::RequestPasswordResetRequest req;
    req.set_email(email);
    req.set_client_address("10.0.0.1");
    pb::RequestPasswordResetResponse resp;
    grpc::ClientContext ctx;
    WithDeadline(&ctx);
    return stub_->RequestPasswordReset(&ctx, req, &resp);
  };
  EXPECT_TRUE(ask("ann@example.com").ok());
  EXPECT_TRUE(ask("nobody@example.com").ok()) << "the same answer for an unknown address";
  const std::vector<std::string> mails = MailsIn(dir, 2);
  ASSERT_EQ(mails.size(), 2u) << "one reset mail, none for the unknown address";
  const std::string& message = mails[1];
  EXPECT_NE(message.find("To: ann@example.com"), std::string::npos) << message;
  const std::string prefix = "https://oe.test/reset-password.html?token=";
  const size_t at = message.find(prefix);
  ASSERT_NE(at, std::string::npos) << message;
  size_t end = at + prefix.size();
  while (end < message.size() && !isspace(static_cast<unsigned char>(message[end]))) ++end;
  const std::string token = message.substr(at + prefix.size(), end - at - prefix.size());
  ASSERT_EQ(token.size(), 32u + 1 + 43) << "256 random bits after the account id";
  EXPECT_EQ(EverythingInRedis().find(token.substr(33)), std::string::npos)
      << "Redis holds only the token's hash";

  auto reset = [&](const std::string& password) {
    pb::ResetPasswordRequest req;
    req.set_token(token);
    req.set_new_password(password);
    pb::ResetPasswordResponse resp;
    grpc::ClientContext ctx;
    WithDeadline(&ctx);
    return stub_->ResetPassword(&ctx, req, &resp);
  };
  ASSERT_TRUE(reset("a-whole-new-passphrase").ok());
  EXPECT_EQ(reset("yet-another-passphrase").error_code(), grpc::StatusCode::NOT_FOUND);
  pb::GetAccountRequest get;
  get.set_session_token(reg.session().token());
  pb::GetAccountResponse got;
  grpc::ClientContext ctx;
  WithDeadline(&ctx);
  EXPECT_EQ(stub_->GetAccount(&ctx, get, &got).error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << "the reset ends every session";
}

}  // namespace
}  // namespace openencoder::account
