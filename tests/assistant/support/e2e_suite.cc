#include "tests/assistant/support/e2e_suite.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <dirent.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "services/assistant/assistant_service.h"
#include "services/assistant/case_consultant.h"
#include "services/assistant/case_pilot.h"
#include "services/assistant/conversation_store.h"
#include "services/assistant/grpc_tools.h"
#include "services/assistant/mail_sender.h"
#include "services/assistant/outbox_worker.h"
#include "services/assistant/redis_ticket_store.h"
#include "services/common/client.h"
#include "services/common/redis/redis_client.h"
#include "services/common/server.h"
#include "services/common/tls.h"
#include "services/common/worker_pool.h"
#include "tests/support/account_sessions.h"
#include "tests/support/inprocess_services.h"
#include "tests/support/redis_server.h"
#include "tests/support/redis_users.h"

namespace openencoder::assistant::testing {
namespace {

constexpr char kAdminEmail[] = "boss@example.com";

// A loopback port that was free a moment ago (bind 0, read it, close).
absl::StatusOr<int> FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return absl::InternalError("bind");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool Accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string ReceivedMail::Header(const std::string& name) const {
  // Headers end at the first blank line; folded lines are not used by us.
  for (absl::string_view line : absl::StrSplit(raw, '\n')) {
    line = absl::StripSuffix(line, "\r");
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    if (absl::EqualsIgnoreCase(line.substr(0, colon), name)) {
      return std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
    }
  }
  return "";
}

struct E2eSuite::Parts {
  std::unique_ptr<test_support::RedisServer> redis_server;
  std::unique_ptr<test_support::InProcessServices> account;
  std::unique_ptr<GrpcCatalogueTools> catalogue;
  std::unique_ptr<GrpcSearchTools> search;
  std::unique_ptr<GrpcQuotaTools> quota;
  std::unique_ptr<AnswerEngine> engine;
  std::unique_ptr<redis::RedisClient> redis;
  std::unique_ptr<RedisConversationStore> conversations;
  std::unique_ptr<RedisTicketStore> tickets;
  std::unique_ptr<CurlSmtpSender> smtp;
  std::unique_ptr<OutboxWorker> outbox;
  std::unique_ptr<CasePilot> pilot;
  std::unique_ptr<CaseConsultant> consultant;
  std::unique_ptr<common::WorkerPool> pool;
  std::unique_ptr<AccountErasure> erasure;
  std::unique_ptr<AssistantServiceImpl> service;
  std::unique_ptr<common::RunningServer> assistant_server;
};

E2eSuite::~E2eSuite() {
  if (parts_ != nullptr) {
    if (parts_->assistant_server) parts_->assistant_server->Shutdown();
    if (parts_->outbox) parts_->outbox->Stop();
    parts_->account.reset();
  }
  StopSmtpSink();
  if (!mail_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(mail_dir_, ignored);
  }
}

absl::StatusOr<std::unique_ptr<E2eSuite>> E2eSuite::Start(E2eOptions options) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  auto suite = std::unique_ptr<E2eSuite>(new E2eSuite());
  suite->parts_ = std::make_unique<Parts>();
  Parts& p = *suite->parts_;

  absl::StatusOr<std::unique_ptr<test_support::RedisServer>> redis_server =
      test_support::RedisServer::Start();
  if (!redis_server.ok()) return redis_server.status();
  p.redis_server = *std::move(redis_server);
  redis::RedisOptions redis_options = test_support::RedisOptionsAs(*p.redis_server, "account");
  redis_options.pool_size = 8;

  // The account service: default plan limits (a guest has 3 questions a
  // day) and one admin who can hand out ROLE_CONSULTANT.
  test_support::InProcessOptions account_options;
  account_options.redis = redis_options;
  test_support::InProcessAccount& account = account_options.account.emplace();
  account.config.admin_emails = {kAdminEmail};
  account.config.hash_workers = 2;
  absl::StatusOr<std::unique_ptr<test_support::InProcessServices>> account_service =
      test_support::InProcessServices::Start(std::move(account_options));
  if (!account_service.ok()) return account_service.status();
  p.account = *std::move(account_service);
  suite->sessions_ = std::make_unique<test_support::AccountSessions>(p.account->account_address());

  absl::StatusOr<std::unique_ptr<InProcessSuite>> tools = InProcessSuite::Start();
  if (!tools.ok()) return tools.status();
  suite->tools_ = *std::move(tools);

  // The assistant, wired as services/assistant/main.cc wires it.
  common::ChannelOptions channel_options;
  channel_options.health_check = false;
  channel_options.client_identity = "assistant";  // CheckRate answers only to it
  const absl::Duration timeout = absl::Seconds(5);
  p.catalogue = std::make_unique<GrpcCatalogueTools>(
      common::MakeChannel(suite->tools_->catalogue_address(), channel_options), timeout);
  p.search = std::make_unique<GrpcSearchTools>(
      common::MakeChannel(suite->tools_->search_address(), channel_options), timeout);
  p.quota = std::make_unique<GrpcQuotaTools>(
      common::MakeChannel(p.account->account_address(), channel_options), timeout);
  EngineDeps deps{p.catalogue.get(), p.search.get(), suite->tools_->knowledge(),
                  suite->tools_->localities(), nullptr};
  deps.account = p.quota.get();
  p.engine = std::make_unique<AnswerEngine>(deps);
  // The assistant's stores log in as the assistant's own Redis user.
  redis::RedisOptions assistant_redis = redis_options;
  test_support::LogInAs(assistant_redis, "assistant");
  absl::StatusOr<std::unique_ptr<redis::RedisClient>> redis =
      redis::RedisClient::Create(assistant_redis);
  if (!redis.ok()) return redis.status();
  p.redis = *std::move(redis);
  p.conversations = std::make_unique<RedisConversationStore>(p.redis.get(), ConversationOptions{});
  p.tickets = std::make_unique<RedisTicketStore>(p.redis.get(), absl::Milliseconds(500));

  absl::StatusOr<int> smtp_port = FreePort();
  if (!smtp_port.ok()) return smtp_port.status();
  suite->smtp_port_ = *smtp_port;
  char dir_template[] = "/tmp/oe-assistant-mail-XXXXXX";
  if (::mkdtemp(dir_template) == nullptr) return absl::InternalError("mkdtemp");
  suite->mail_dir_ = dir_template;
  p.smtp = std::make_unique<CurlSmtpSender>(absl::StrCat("smtp://127.0.0.1:", suite->smtp_port_),
                                            absl::Seconds(5));
  OutboxOptions outbox_options;
  outbox_options.initial_backoff = options.send_backoff;
  // Capped low and tried often enough that a relay started seconds later
  // (a python process on a loaded machine) still finds the reply queued.
  outbox_options.max_backoff = options.send_backoff * 4;
  outbox_options.max_attempts = 40;
  outbox_options.poll_interval = absl::Milliseconds(100);
  p.outbox = std::make_unique<OutboxWorker>(p.tickets.get(), p.smtp.get(), outbox_options);
  p.erasure = std::make_unique<AccountErasure>(p.tickets.get(), p.conversations.get());
  p.pilot = std::make_unique<CasePilot>(p.engine.get(), p.quota.get(), p.conversations.get());
  OutboxWorker* outbox = p.outbox.get();
  p.consultant = std::make_unique<CaseConsultant>(p.engine.get(), p.quota.get(), p.tickets.get(),
                                                  [outbox] { outbox->Wake(); });
  p.pool = std::make_unique<common::WorkerPool>(4);
  p.service = std::make_unique<AssistantServiceImpl>(p.pilot.get(), p.consultant.get(),
                                                     p.pool.get(), p.erasure.get());
  if (options.start_smtp_sink) {
    if (absl::Status s = suite->StartSmtpSink(); !s.ok()) return s;
  }
  p.outbox->Start();
  common::ServerOptions server_options;
  server_options.log_calls = false;
  server_options.service_name = "assistant";
  absl::StatusOr<std::unique_ptr<common::RunningServer>> server = common::RunningServer::Start(
      server_options, {common::Bind<v1::AssistantService>(p.service.get())});
  if (!server.ok()) return server.status();
  p.assistant_server = *std::move(server);

  suite->assistant_ = v1::AssistantService::NewStub(
      grpc::CreateChannel(p.assistant_server->address(), *common::MakeChannelCredentials()));
  return suite;
}

absl::StatusOr<std::string> E2eSuite::GuestSession() { return sessions_->Guest(); }

std::string E2eSuite::assistant_address() const { return parts_->assistant_server->address(); }

std::string E2eSuite::account_address() const { return parts_->account->account_address(); }

absl::StatusOr<std::pair<std::string, std::string>> E2eSuite::Register(const std::string& email) {
  absl::StatusOr<test_support::AccountSessions::Registered> registered = sessions_->Register(email);
  if (!registered.ok()) return registered.status();
  // A member who confirmed the address: a free account's questions (and
  // admin or consultant powers) come with a verified email.
  if (absl::Status s = parts_->account->VerifyEmail(email); !s.ok()) return s;
  return std::make_pair(registered->account_id, registered->token);
}

absl::StatusOr<std::string> E2eSuite::ConsultantSession(const std::string& email) {
  // The admin registers on the first call; later calls reuse its session
  // (registering the address again would not give the owner's account).
  if (admin_token_.empty()) {
    absl::StatusOr<std::pair<std::string, std::string>> admin = Register(kAdminEmail);
    if (!admin.ok()) return admin.status();
    admin_token_ = admin->second;
  }
  absl::StatusOr<std::pair<std::string, std::string>> consultant = Register(email);
  if (!consultant.ok()) return consultant.status();
  absl::StatusOr<account::v1::Account> promoted = sessions_->SetPlan(
      admin_token_, consultant->first, account::v1::PLAN_PRO, {account::v1::ROLE_CONSULTANT});
  if (!promoted.ok()) return promoted.status();
  return consultant->second;
}

absl::Status E2eSuite::StartSmtpSink() {
  if (sink_pid_ > 0) return absl::OkStatus();
  const std::string script = SourceDir() + "/tests/assistant/smtp_sink.py";
  const std::string port = absl::StrCat(smtp_port_);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return absl::InternalError("fork");
  if (pid == 0) {
    // Die with the test, so a crashed test leaves no relay behind.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(1);
    // The system python has python3-aiosmtpd.
    ::execl("/usr/bin/python3", "python3", script.c_str(), port.c_str(), mail_dir_.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  sink_pid_ = pid;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    if (Accepts(smtp_port_)) return absl::OkStatus();
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      sink_pid_ = -1;
      return absl::InternalError(absl::StrCat("smtp_sink.py exited with ", status));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  StopSmtpSink();
  return absl::DeadlineExceededError("smtp_sink.py did not accept connections in 20 s");
}

void E2eSuite::StopSmtpSink() {
  if (sink_pid_ <= 0) return;
  ::kill(sink_pid_, SIGKILL);
  ::waitpid(sink_pid_, nullptr, 0);
  sink_pid_ = -1;
}

std::vector<ReceivedMail> E2eSuite::Mails() const {
  std::vector<std::string> names;
  if (DIR* dir = ::opendir(mail_dir_.c_str()); dir != nullptr) {
    while (dirent* entry = ::readdir(dir)) {
      const std::string name = entry->d_name;
      if (!name.empty() && name[0] != '.') names.push_back(name);
    }
    ::closedir(dir);
  }
  std::sort(names.begin(), names.end());
  std::vector<ReceivedMail> mails;
  for (const std::string& name : names) {
    std::ifstream in(mail_dir_ + "/" + name, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    mails.push_back({name, text.str()});
  }
  return mails;
}

std::vector<ReceivedMail> E2eSuite::WaitForMails(size_t count, absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  std::vector<ReceivedMail> mails = Mails();
  while (mails.size() < count && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
    mails = Mails();
  }
  return mails;
}

}  // namespace openencoder::assistant::testing
