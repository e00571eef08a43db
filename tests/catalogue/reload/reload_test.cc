// The catalogue reloads its code sets without dropping a call. A copy of
// the demo data set in a temporary folder is served, then edited the way an
// operator installs a new release (a changed descriptor, a new code, a new
// edition in the manifest) and reloaded:
//   - in process, through the same CatalogueReloader main() wires to SIGHUP,
//     with a real gRPC server and client; the load is held open until the
//     clients made calls during it;
//   - through the real oe_catalogue_server binary and a real SIGHUP.
// Clients hammer GetCodePage (with and without a session; the session's
// meter is a closed port, i.e. the account service is down, so those calls
// take the asynchronous metering path and come back as teasers),
// BatchGetCodes and GetEditions meanwhile, and every call must succeed.
// Broken reloads (a missing file, an empty manifest, an emptied file, a file
// of the wrong format) must leave the old data serving, health SERVING, and
// say why in one log line each.
#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "openencoder/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/catalogue/catalogue_reloader.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/quota_client.h"
#include "services/catalogue/store/catalogue_loader.h"
#include "services/common/server.h"
#include "services/common/tls.h"

namespace openencoder::catalogue {
namespace {

namespace fs = std::filesystem;
using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

constexpr char kOldTitle[] = "Type 2 diabetes mellitus without complications";
constexpr char kNewTitle[] = "Type 2 diabetes mellitus without complication (reloaded)";
constexpr char kNewCode[] = "E1169";
constexpr char kNewCodeTitle[] = "Type 2 diabetes mellitus with other specified complication";

// Polls `done` until it holds or `timeout` passes.
template <typename Predicate>
bool Eventually(Predicate done, absl::Duration timeout = absl::Seconds(30)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes beside the target and renames over it, as an operator's deploy
// script should (readers never see half a file).
void WriteFile(const fs::path& path, const std::string& text) {
  const fs::path temporary = path.string() + ".new";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
  }
  fs::rename(temporary, path);
}

// A loopback port nothing listens on: bound, read, closed.
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t length = sizeof(addr);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  close(fd);
  return ntohs(addr.sin_port);
}

// A copy of data/demo in a fresh temporary folder, removed afterwards.
class DemoCopy {
 public:
  DemoCopy() {
    const char* root = std::getenv("OE_SOURCE_DIR");
    const fs::path source = fs::path(root != nullptr && *root != '\0' ? root : ".") / "data/demo";
    std::string pattern = (fs::temp_directory_path() / "oe-reload-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    fs::copy(source, dir_, fs::copy_options::recursive);
  }
  ~DemoCopy() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  fs::path dir() const { return dir_; }
  std::string manifest() const { return (dir_ / "manifest.tsv").string(); }
  fs::path icd10cm() const { return dir_ / "icd10cm/icd10cm-order-demo.txt"; }

  // The release an operator installs: a reworded E11.9, a new E11.69, and
  // ICD-10-CM relabelled as a new edition with a new effective date.
  void InstallNewRelease() {
    std::string text = ReadFile(icd10cm());
    std::vector<std::string> lines = absl::StrSplit(text, "\r\n");
    bool found = false;
    for (std::string& line : lines) {
      if (line.size() > 77 && line.substr(6, 7) == "E119   ") {
        line = absl::StrFormat("%s%-60s %s", line.substr(0, 16), kNewTitle, kNewTitle);
        found = true;
      }
    }
    ASSERT_TRUE(found) << "E119 is in the demo ICD-10-CM file";
    text = absl::StrJoin(lines, "\r\n");
    if (!absl::EndsWith(text, "\r\n")) text += "\r\n";
    absl::StrAppendFormat(&text, "%05d %-7s 1 %-60s %s\r\n", 200, kNewCode, kNewCodeTitle,
                          kNewCodeTitle);
    WriteFile(icd10cm(), text);
    ReplaceInManifest("icd10cm-fy2026\tICD-10-CM FY2026\t2025-10-01",
                      "icd10cm-fy2026-apr\tICD-10-CM FY2026 April update\t2026-04-01");
  }

  void ReplaceInManifest(const std::string& from, const std::string& to) {
    std::string text = ReadFile(manifest());
    ASSERT_TRUE(absl::StrContains(text, from)) << from;
    WriteFile(manifest(), absl::StrReplaceAll(text, {{from, to}}));
  }

 private:
  fs::path dir_;
};

// What a client sees of the data set.
struct Observed {
  std::string snapshot_id;
  std::vector<std::string> edition_ids;
  std::string icd10cm_effective;  // YYYY-MM-DD of the ICD-10-CM edition
  std::string e119_title;         // BatchGetCodes
  std::string e119_short_title;   // GetCodePage teaser
  bool new_code_found = false;
};

class Client {
 public:
  explicit Client(const std::string& address)
      : channel_(grpc::CreateChannel(address, *common::MakeChannelCredentials())),
        stub_(pb::CatalogueService::NewStub(channel_)),
        health_(Health::NewStub(channel_)) {}

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return context;
  }

  grpc::Status Editions(pb::GetEditionsResponse* response) {
    return stub_->GetEditions(Context().get(), pb::GetEditionsRequest(), response);
  }

  grpc::Status Batch(pb::BatchGetCodesResponse* response) {
    pb::BatchGetCodesRequest request;
    for (const char* code : {"E11.9", kNewCode}) {
      pb::CodeRef* ref = request.add_codes();
      ref->set_system(pb::CODE_SYSTEM_ICD10CM);
      ref->set_code(code);
    }
    return stub_->BatchGetCodes(Context().get(), request, response);
  }

  grpc::Status Page(const std::string& session, pb::GetCodePageResponse* response) {
    pb::GetCodePageRequest request;
    request.set_code("E11.9");
    request.set_session_token(session);
    return stub_->GetCodePage(Context().get(), request, response);
  }

  HealthCheckResponse::ServingStatus Health() {
    HealthCheckRequest request;
    HealthCheckResponse response;
    grpc::Status status = health_->Check(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.status();
  }

  // Asks every question once; fails the test on any error.
  Observed Observe() {
    Observed seen;
    pb::GetEditionsResponse editions;
    grpc::Status status = Editions(&editions);
    EXPECT_TRUE(status.ok()) << status.error_message();
    seen.snapshot_id = editions.snapshot_id();
    for (const pb::Edition& e : editions.editions()) {
      seen.edition_ids.push_back(e.id());
      // The code set's edition; the Tabular List's and the Index's (FY2023)
      // are ICD-10-CM's too.
      if (e.system() == pb::CODE_SYSTEM_ICD10CM && absl::StartsWith(e.id(), "icd10cm-fy")) {
        seen.icd10cm_effective =
            absl::StrFormat("%04d-%02d-%02d", e.effective_date().year(), e.effective_date().month(),
                            e.effective_date().day());
      }
    }
    pb::BatchGetCodesResponse batch;
    status = Batch(&batch);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const pb::CodeSummary& c : batch.codes()) {
      if (c.code() == "E119") seen.e119_title = c.title();
      if (c.code() == kNewCode) seen.new_code_found = true;
    }
    pb::GetCodePageResponse page;
    status = Page("", &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    seen.e119_short_title = page.teaser().code().short_title();
    return seen;
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<pb::CatalogueService::Stub> stub_;
  std::unique_ptr<Health::Stub> health_;
};

bool Contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// Threads that call the catalogue until stopped and count every call that
// failed or returned something incomplete.
class Hammer {
 public:
  Hammer(const std::string& address, int threads) {
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([this, address] { Run(address); });
    }
  }
  ~Hammer() { Stop(); }

  void Stop() {
    stop_ = true;
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

  int64_t calls() const { return calls_; }
  int64_t failures() const { return failures_; }
  int64_t old_titles() const { return old_titles_; }
  int64_t new_titles() const { return new_titles_; }
  std::string first_failure() {
    absl::MutexLock lock(&mu_);
    return first_failure_;
  }

 private:
  void Fail(const std::string& what) {
    ++failures_;
    absl::MutexLock lock(&mu_);
    if (first_failure_.empty()) first_failure_ = what;
  }

  void Run(const std::string& address) {
    Client client(address);
    while (!stop_) {
      pb::GetCodePageResponse teaser;
      grpc::Status status = client.Page("", &teaser);
      if (!status.ok() || !teaser.has_teaser()) {
        Fail(absl::StrCat("GetCodePage (no session): ", status.error_message()));
      }
      pb::GetCodePageResponse metered;
      status = client.Page("hammer-session", &metered);
      if (!status.ok() || metered.teaser().reason() != pb::TEASER_REASON_QUOTA_UNAVAILABLE) {
        Fail(absl::StrCat("GetCodePage (metered): ", status.error_message(), " ",
                          metered.ShortDebugString()));
      }
      pb::BatchGetCodesResponse batch;
      status = client.Batch(&batch);
      if (!status.ok() || batch.codes().empty() || batch.codes(0).code() != "E119") {
        Fail(absl::StrCat("BatchGetCodes: ", status.error_message()));
      } else if (batch.codes(0).title() == kOldTitle) {
        ++old_titles_;
      } else if (batch.codes(0).title() == kNewTitle) {
        ++new_titles_;
      } else {
        Fail(absl::StrCat("BatchGetCodes: unexpected title ", batch.codes(0).title()));
      }
      pb::GetEditionsResponse editions;
      status = client.Editions(&editions);
      if (!status.ok() || editions.snapshot_id().empty()) {
        Fail(absl::StrCat("GetEditions: ", status.error_message()));
      }
      calls_ += 4;
    }
  }

  std::atomic<bool> stop_{false};
  std::atomic<int64_t> calls_{0};
  std::atomic<int64_t> failures_{0};
  std::atomic<int64_t> old_titles_{0};
  std::atomic<int64_t> new_titles_{0};
  absl::Mutex mu_;
  std::string first_failure_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_;
};

void ExpectOldData(const Observed& seen, const Observed& before) {
  EXPECT_EQ(seen.snapshot_id, before.snapshot_id);
  EXPECT_EQ(seen.e119_title, kOldTitle);
  EXPECT_EQ(seen.e119_short_title, kOldTitle);
  EXPECT_FALSE(seen.new_code_found);
  EXPECT_TRUE(Contains(seen.edition_ids, "icd10cm-fy2026"));
  EXPECT_EQ(seen.icd10cm_effective, "2025-10-01");
}

void ExpectNewData(const Observed& seen, const Observed& before) {
  EXPECT_NE(seen.snapshot_id, before.snapshot_id) << "the search refresher keys on this id";
  EXPECT_EQ(seen.e119_title, kNewTitle);
  EXPECT_EQ(seen.e119_short_title, kNewTitle);
  EXPECT_TRUE(seen.new_code_found);
  EXPECT_TRUE(Contains(seen.edition_ids, "icd10cm-fy2026-apr"));
  EXPECT_FALSE(Contains(seen.edition_ids, "icd10cm-fy2026"));
  EXPECT_EQ(seen.icd10cm_effective, "2026-04-01");
}

// ------------------------------------------------------------- in process

class InProcessReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = LoadCatalogueFromManifest(data_.manifest(), {});
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    holder_ = std::make_unique<SnapshotHolder>(loaded->snapshot);
    quota_ = std::make_unique<GrpcQuotaClient>(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", ClosedPort()),
                            *common::MakeChannelCredentials()),
        absl::Milliseconds(300));
    service_ = std::make_unique<CatalogueServiceImpl>(holder_.get(), quota_.get());
    common::ServerOptions options;
    options.service_name = "catalogue-reload-test";
    options.log_calls = false;
    auto started =
        common::RunningServer::Start(options, {common::Bind<pb::CatalogueService>(service_.get())});
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = *std::move(started);
  }

  void TearDown() override {
    reloader_.reset();
    server_.reset();
  }

  DemoCopy data_;
  std::unique_ptr<SnapshotHolder> holder_;
  std::unique_ptr<QuotaClient> quota_;
  std::unique_ptr<CatalogueServiceImpl> service_;
  std::unique_ptr<common::RunningServer> server_;
  std::unique_ptr<CatalogueReloader> reloader_;
};

TEST_F(InProcessReloadTest, CallsMadeWhileTheReloadRunsAllSucceedAndThenSeeTheNewData) {
  Client client(server_->address());
  const Observed before = client.Observe();
  ExpectOldData(before, before);

  Hammer hammer(server_->address(), 2);
  ASSERT_TRUE(Eventually([&] { return hammer.calls() >= 40; }));
  // The real manifest loader, held open until clients made calls during it.
  std::atomic<int64_t> calls_during_load{-1};
  reloader_ = std::make_unique<CatalogueReloader>(
      holder_.get(), data_.manifest(),
      [&, load = ManifestLoader(data_.manifest(), {})]() -> absl::StatusOr<LoadResult> {
        const int64_t at_start = hammer.calls();
        absl::StatusOr<LoadResult> result = load();
        Eventually([&] { return hammer.calls() >= at_start + 200; });
        calls_during_load = hammer.calls() - at_start;
        return result;
      });
  data_.InstallNewRelease();
  reloader_->Request();
  ASSERT_TRUE(reloader_->WaitUntilIdle(absl::Seconds(60)));
  const int64_t at_swap = hammer.new_titles();
  ASSERT_TRUE(Eventually([&] { return hammer.new_titles() >= at_swap + 20; }));
  hammer.Stop();

  EXPECT_EQ(hammer.failures(), 0) << hammer.first_failure();
  EXPECT_GE(calls_during_load.load(), 200);
  EXPECT_GT(hammer.old_titles(), 0);
  EXPECT_GT(hammer.new_titles(), 0);
  ReloadStats stats = reloader_->stats();
  EXPECT_EQ(stats.succeeded, 1);
  EXPECT_EQ(stats.failed, 0);
  ExpectNewData(client.Observe(), before);
}

TEST_F(InProcessReloadTest, AFailedReloadKeepsServingAndTheNextGoodOneSwaps) {
  Client client(server_->address());
  const Observed before = client.Observe();
  reloader_ = std::make_unique<CatalogueReloader>(holder_.get(), data_.manifest(),
                                                  ManifestLoader(data_.manifest(), {}));
  data_.InstallNewRelease();
  fs::rename(data_.icd10cm(), data_.icd10cm().string() + ".moved");
  reloader_->Request();
  ASSERT_TRUE(reloader_->WaitUntilIdle(absl::Seconds(60)));
  ReloadStats stats = reloader_->stats();
  EXPECT_EQ(stats.failed, 1);
  EXPECT_EQ(stats.last_status.code(), absl::StatusCode::kNotFound) << stats.last_status;
  ExpectOldData(client.Observe(), before);

  fs::rename(data_.icd10cm().string() + ".moved", data_.icd10cm());
  reloader_->Request();
  ASSERT_TRUE(reloader_->WaitUntilIdle(absl::Seconds(60)));
  EXPECT_EQ(reloader_->stats().succeeded, 1);
  ExpectNewData(client.Observe(), before);
}

// ------------------------------------------------------ the real binary

// oe_catalogue_server as a child process, its log in a file. Killed with
// the test process if that dies (PR_SET_PDEATHSIG).
class ServerProcess {
 public:
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(const std::vector<std::string>& args,
                                                              const std::string& log_path) {
    std::unique_ptr<ServerProcess> process(new ServerProcess());
    process->log_path_ = log_path;
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t parent = getpid();
    // Between fork and exec only async-signal-safe calls.
    const pid_t pid = fork();
    if (pid < 0) return absl::InternalError("fork failed");
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(126);
      int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd < 0) _exit(126);
      dup2(fd, 1);
      dup2(fd, 2);
      execv(argv[0], argv.data());
      _exit(127);
    }
    process->pid_ = pid;
    // The address is in the "serving" line (the server picks a free port).
    const std::string marker = "\"msg\":\"serving\"";
    if (!Eventually([&] { return process->CountLines(marker) > 0 || process->Exited(); })) {
      return absl::DeadlineExceededError("no \"serving\" line: " + process->Log());
    }
    if (process->Exited()) return absl::InternalError("server exited: " + process->Log());
    for (absl::string_view line : absl::StrSplit(process->Log(), '\n')) {
      if (!absl::StrContains(line, marker)) continue;
      const std::string key = "\"address\":\"";
      size_t at = line.find(key);
      if (at == absl::string_view::npos) break;
      line.remove_prefix(at + key.size());
      process->address_ = std::string(line.substr(0, line.find('"')));
    }
    if (process->address_.empty()) return absl::InternalError("no address: " + process->Log());
    return process;
  }

  ~ServerProcess() {
    if (pid_ <= 0) return;
    if (!exited_) {
      kill(pid_, SIGTERM);
      if (!Eventually([&] { return Exited(); }, absl::Seconds(20))) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
      }
    }
  }

  const std::string& address() const { return address_; }
  void Signal(int signal) { ASSERT_EQ(kill(pid_, signal), 0); }
  std::string Log() const { return ReadFile(log_path_); }

  // Lines of the log that contain `text`.
  int CountLines(absl::string_view text) const {
    int n = 0;
    for (absl::string_view line : absl::StrSplit(Log(), '\n')) {
      if (absl::StrContains(line, text)) ++n;
    }
    return n;
  }

  // The last log line that contains `text`.
  std::string LastLine(absl::string_view text) const {
    std::string last;
    for (absl::string_view line : absl::StrSplit(Log(), '\n')) {
      if (absl::StrContains(line, text)) last = std::string(line);
    }
    return last;
  }

  bool Exited() {
    if (exited_) return true;
    int status = 0;
    exited_ = waitpid(pid_, &status, WNOHANG) == pid_;
    if (exited_) exit_status_ = status;
    return exited_;
  }
  int exit_status() const { return exit_status_; }

 private:
  ServerProcess() = default;
  pid_t pid_ = -1;
  bool exited_ = false;
  int exit_status_ = 0;
  std::string log_path_;
  std::string address_;
};

constexpr char kReloaded[] = "\"msg\":\"catalogue reloaded\"";
constexpr char kFailed[] = "\"msg\":\"catalogue reload failed; still serving the previous data\"";

class ServerProcessReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = ServerProcess::Start(
        {OE_CATALOGUE_SERVER_PATH, "--listen=127.0.0.1:0",
         absl::StrCat("--data_manifest=", data_.manifest()),
         absl::StrCat("--account_addr=127.0.0.1:", ClosedPort()), "--quota_timeout=300ms"},
        (data_.dir() / "server.log").string());
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = *std::move(started);
  }

  // Sends SIGHUP and waits until one more reload finished (either way).
  void ReloadAndWait() {
    const int before = server_->CountLines(kReloaded) + server_->CountLines(kFailed);
    server_->Signal(SIGHUP);
    ASSERT_TRUE(Eventually([&] {
      return server_->CountLines(kReloaded) + server_->CountLines(kFailed) > before;
    })) << server_->Log();
  }

  DemoCopy data_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServerProcessReloadTest, SighupServesTheNewReleaseWithoutFailingACall) {
  auto client = std::make_unique<Client>(server_->address());
  const Observed before = client->Observe();
  ExpectOldData(before, before);

  Hammer hammer(server_->address(), 2);
  ASSERT_TRUE(Eventually([&] { return hammer.calls() >= 40; }));
  data_.InstallNewRelease();
  server_->Signal(SIGHUP);
  // The search service's refresher notices a reload by GetEditions'
  // snapshot_id; so does this client->
  ASSERT_TRUE(Eventually([&] {
    pb::GetEditionsResponse editions;
    return client->Editions(&editions).ok() && editions.snapshot_id() != before.snapshot_id;
  })) << server_->Log();
  // A metered call waits for the (down) account service's answer, so the
  // clients' rounds are slow here: a few after the swap are enough.
  const int64_t at_swap = hammer.new_titles();
  ASSERT_TRUE(Eventually([&] { return hammer.new_titles() >= at_swap + 4; }));
  hammer.Stop();

  EXPECT_EQ(hammer.failures(), 0) << hammer.first_failure();
  EXPECT_GT(hammer.old_titles(), 0);
  EXPECT_GT(hammer.new_titles(), 0);
  ExpectNewData(client->Observe(), before);
  EXPECT_EQ(client->Health(), HealthCheckResponse::SERVING);
  const std::string line = server_->LastLine(kReloaded);
  EXPECT_TRUE(absl::StrContains(line, "\"previous_snapshot_id\":\"" + before.snapshot_id)) << line;
  EXPECT_TRUE(absl::StrContains(line, "\"reloads_succeeded\":1")) << line;
  EXPECT_EQ(server_->CountLines(kFailed), 0) << server_->Log();

  // SIGTERM still drains and stops the process cleanly. (The client goes
  // first: gRPC's shutdown waits seconds for an idle open connection.)
  client.reset();
  server_->Signal(SIGTERM);
  ASSERT_TRUE(Eventually([&] { return server_->Exited(); })) << server_->Log();
  EXPECT_TRUE(WIFEXITED(server_->exit_status()) && WEXITSTATUS(server_->exit_status()) == 0);
}

TEST_F(ServerProcessReloadTest, BrokenReloadsKeepTheOldDataServingAndSayWhyInTheLog) {
  Client client(server_->address());
  const Observed before = client.Observe();
  Hammer hammer(server_->address(), 1);
  // Each case breaks the new release in one way; repaired, it loads.
  data_.InstallNewRelease();
  const std::string new_manifest_text = ReadFile(data_.manifest());
  const std::string new_icd10cm_text = ReadFile(data_.icd10cm());

  struct Case {
    const char* name;
    std::function<void()> break_it;
    const char* reason;  // in the log line
  };
  const std::vector<Case> cases = {
      {"missing file",
       [&] { data_.ReplaceInManifest("icd10cm/icd10cm-order-demo.txt", "icd10cm/gone.txt"); },
       "icd10cm/gone.txt"},
      {"manifest naming nothing", [&] { WriteFile(data_.manifest(), "# nothing here yet\n"); },
       "the manifest names no file"},
      {"emptied file", [&] { WriteFile(data_.icd10cm(), ""); }, "has no data rows"},
      {"file of the wrong format",
       [&] { WriteFile(data_.icd10cm(), ReadFile(data_.dir() / "hcpcs/hcpcs-demo.txt")); },
       "data rows rejected"},
  };
  int failures = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    WriteFile(data_.manifest(), new_manifest_text);
    WriteFile(data_.icd10cm(), new_icd10cm_text);
    c.break_it();
    ReloadAndWait();
    ++failures;
    ASSERT_EQ(server_->CountLines(kFailed), failures) << server_->Log();
    const std::string line = server_->LastLine(kFailed);
    EXPECT_TRUE(absl::StrContains(line, c.reason)) << line;
    EXPECT_TRUE(absl::StrContains(line, "\"level\":\"error\"")) << line;
    EXPECT_TRUE(absl::StrContains(line, absl::StrCat("\"reloads_failed\":", failures))) << line;
    EXPECT_TRUE(absl::StrContains(line, "\"snapshot_id\":\"" + before.snapshot_id)) << line;
    ExpectOldData(client.Observe(), before);
    EXPECT_EQ(client.Health(), HealthCheckResponse::SERVING);
  }
  EXPECT_EQ(server_->CountLines(kReloaded), 0);

  // Repaired, the same release loads.
  WriteFile(data_.manifest(), new_manifest_text);
  WriteFile(data_.icd10cm(), new_icd10cm_text);
  ReloadAndWait();
  EXPECT_EQ(server_->CountLines(kReloaded), 1) << server_->Log();
  ExpectNewData(client.Observe(), before);
  hammer.Stop();
  EXPECT_EQ(hammer.failures(), 0) << hammer.first_failure();
  EXPECT_GT(hammer.calls(), 0);
}

}  // namespace
}  // namespace openencoder::catalogue
