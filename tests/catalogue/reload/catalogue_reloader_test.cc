// CatalogueReloader's bookkeeping (no overlap, at most one queued reload,
// failures keep the served snapshot) with loaders written in the test, and
// CheckReloadable's rules. Pure logic: no server, no files except the demo
// data set for the "a real data set is fit" case.
#include "services/catalogue/catalogue_reloader.h"

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace openencoder::catalogue {
namespace {

// A snapshot with one ICD-10-CM code, told apart by its id.
std::shared_ptr<const CatalogueSnapshot> Snapshot(const std::string& id) {
  SnapshotParts parts;
  parts.snapshot_id = id;
  CodeEntry& code = parts.codes.emplace_back();
  code.record.system = CodeSystem::kIcd10Cm;
  code.record.code = "E119";
  code.record.short_title = id;
  return std::make_shared<const CatalogueSnapshot>(std::move(parts));
}

// A load result that CheckReloadable accepts: one clean file, one code.
LoadResult FitResult(const std::string& id) {
  LoadResult result;
  result.snapshot = Snapshot(id);
  FileLoadReport& file = result.files.emplace_back();
  file.entry.kind = FileKind::kIcd10CmOrder;
  file.entry.path = "icd10cm-order.txt";
  file.report.rows_read = 1;
  file.report.rows_accepted = 1;
  return result;
}

// Polls `done` until it holds or `timeout` passes.
template <typename Predicate>
bool Eventually(Predicate done, absl::Duration timeout = absl::Seconds(10)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(2));
  }
  return true;
}

// A loader that blocks until Release(), so a test can act while it runs.
class GatedLoader {
 public:
  CatalogueReloader::Loader loader() {
    return [this]() -> absl::StatusOr<LoadResult> {
      absl::MutexLock lock(&mu_);
      const int n = ++started_;
      mu_.Await(absl::Condition(&released_));
      return FitResult("snap-" + std::to_string(n));
    };
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    released_ = true;
  }
  bool WaitStarted(int n) {
    absl::MutexLock lock(&mu_);
    auto reached = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return started_ >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), absl::Seconds(10));
  }
  int started() {
    absl::MutexLock lock(&mu_);
    return started_;
  }

 private:
  absl::Mutex mu_;
  bool released_ ABSL_GUARDED_BY(mu_) = false;
  int started_ ABSL_GUARDED_BY(mu_) = 0;
};

// A reloader over snap-0 whose first reload is running, held by the gate.
class ReloadInFlight : public ::testing::Test {
 protected:
  void SetUp() override {
    reloader.Request();
    ASSERT_TRUE(gate.WaitStarted(1));
  }

  SnapshotHolder holder{Snapshot("snap-0")};
  GatedLoader gate;
  CatalogueReloader reloader{&holder, "test", gate.loader()};
};

TEST_F(ReloadInFlight, RequestsDuringAReloadQueueExactlyOneMore) {
  for (int i = 0; i < 5; ++i) reloader.Request();  // one queued, four folded into it
  ReloadStats during = reloader.stats();
  EXPECT_TRUE(during.running);
  EXPECT_TRUE(during.queued);
  EXPECT_EQ(during.coalesced, 4);
  EXPECT_EQ(gate.started(), 1) << "reloads never overlap";

  gate.Release();
  ASSERT_TRUE(reloader.WaitUntilIdle(absl::Seconds(10)));
  ReloadStats after = reloader.stats();
  EXPECT_EQ(gate.started(), 2);
  EXPECT_EQ(after.requested, 6);
  EXPECT_EQ(after.succeeded, 2);
  EXPECT_EQ(after.failed, 0);
  EXPECT_EQ(holder.Current()->id(), "snap-2");
}

TEST(CatalogueReloader, SuccessfulReloadSwapsAndReleasesTheOldSnapshot) {
  SnapshotHolder holder(Snapshot("snap-old"));
  std::weak_ptr<const CatalogueSnapshot> old = holder.Current();
  CatalogueReloader reloader(&holder, "test", [] { return FitResult("snap-new"); });
  reloader.Request();
  ASSERT_TRUE(reloader.WaitUntilIdle(absl::Seconds(10)));
  EXPECT_EQ(holder.Current()->id(), "snap-new");
  EXPECT_TRUE(old.expired()) << "the reloader let go of the old snapshot";
  EXPECT_TRUE(reloader.stats().last_status.ok());
  EXPECT_EQ(reloader.stats().succeeded, 1);
}

TEST(CatalogueReloader, AReaderKeepsItsSnapshotAcrossAReloadThenTheReloaderFreesIt) {
  SnapshotHolder holder(Snapshot("snap-old"));
  std::shared_ptr<const CatalogueSnapshot> reading = holder.Current();
  std::weak_ptr<const CatalogueSnapshot> old = reading;
  CatalogueReloader reloader(&holder, "test", [] { return FitResult("snap-new"); });
  reloader.Request();
  ASSERT_TRUE(Eventually([&] { return reloader.stats().succeeded == 1; }));
  EXPECT_EQ(holder.Current()->id(), "snap-new");
  EXPECT_EQ(reading->id(), "snap-old");
  EXPECT_EQ(reading->code(0).record.short_title, "snap-old");
  EXPECT_TRUE(reloader.stats().running) << "waiting for the reader to let go";
  reading.reset();
  ASSERT_TRUE(reloader.WaitUntilIdle(absl::Seconds(5)));
  EXPECT_TRUE(old.expired());
}

TEST(CatalogueReloader, FailedLoadKeepsTheServedSnapshotAndCountsTheFailure) {
  SnapshotHolder holder(Snapshot("snap-old"));
  CatalogueReloader reloader(&holder, "test", []() -> absl::StatusOr<LoadResult> {
    return absl::NotFoundError("icd10cm-order file x.txt: cannot open");
  });
  reloader.Request();
  ASSERT_TRUE(reloader.WaitUntilIdle(absl::Seconds(10)));
  reloader.Request();
  ASSERT_TRUE(reloader.WaitUntilIdle(absl::Seconds(10)));
  ReloadStats stats = reloader.stats();
  EXPECT_EQ(stats.failed, 2);
  EXPECT_EQ(stats.succeeded, 0);
  EXPECT_EQ(stats.last_status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(holder.Current()->id(), "snap-old");
}

TEST(CatalogueReloader, UnfitDataSetKeepsTheServedSnapshot) {
  SnapshotHolder holder(Snapshot("snap-old"));
  CatalogueReloader reloader(&holder, "test", [] {
    LoadResult result = FitResult("snap-new");
    result.files[0].report.rows_read = 0;  // an empty file
    result.files[0].report.rows_accepted = 0;
    return result;
  });
  reloader.Request();
  ASSERT_TRUE(reloader.WaitUntilIdle(absl::Seconds(10)));
  EXPECT_EQ(reloader.stats().failed, 1);
  EXPECT_EQ(reloader.stats().last_status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(holder.Current()->id(), "snap-old");
}

TEST_F(ReloadInFlight, StopDropsAQueuedReloadAndIgnoresLaterRequests) {
  reloader.Request();  // queued
  std::thread stopper([&] { reloader.Stop(); });
  // Stop drops the queued reload at once, then waits for the running load.
  ASSERT_TRUE(Eventually([&] { return !reloader.stats().queued; }));
  gate.Release();
  stopper.join();
  reloader.Request();
  EXPECT_EQ(gate.started(), 1) << "the queued reload was dropped";
  EXPECT_EQ(reloader.stats().succeeded, 1) << "the running one still swapped";
  EXPECT_EQ(holder.Current()->id(), "snap-1");
}

TEST(CheckReloadable, TheDemoDataSetIsFit) {
  const char* root = std::getenv("OE_SOURCE_DIR");
  const std::string manifest =
      std::string(root != nullptr && *root != '\0' ? root : ".") + "/data/demo/manifest.tsv";
  absl::StatusOr<LoadResult> demo = LoadCatalogueFromManifest(manifest, {});
  ASSERT_TRUE(demo.ok()) << demo.status();
  EXPECT_TRUE(CheckReloadable(*demo).ok()) << CheckReloadable(*demo);
}

TEST(CheckReloadable, AManifestThatNamesNoFileIsRefused) {
  LoadResult result = FitResult("snap");
  result.files.clear();
  absl::Status status = CheckReloadable(result);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("names no file"), absl::string_view::npos) << status;
}

TEST(CheckReloadable, AFileWithoutDataRowsIsRefusedByName) {
  LoadResult result = FitResult("snap");
  result.files[0].report.rows_read = 0;
  absl::Status status = CheckReloadable(result);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("icd10cm-order file icd10cm-order.txt has no data rows"),
            absl::string_view::npos)
      << status;
}

// A fit result whose one file read `rows_read` data rows and rejected
// `rejected` (line, reason) of them.
LoadResult WithRejectedRows(int64_t rows_read,
                            const std::vector<std::pair<int64_t, std::string>>& rejected) {
  LoadResult result = FitResult("snap");
  ImportReport& report = result.files[0].report;
  report.rows_read = rows_read;
  report.rows_accepted = rows_read - static_cast<int64_t>(rejected.size());
  for (const auto& [line, reason] : rejected) report.Reject(line, reason);
  return result;
}

TEST(CheckReloadable, AFileWithMostRowsRejectedIsRefusedWithTheFirstReason) {
  LoadResult result =
      WithRejectedRows(3, {{7, "billable flag in column 15 is \"x\", not 0 or 1"}, {9, "another"}});
  absl::Status status = CheckReloadable(result);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("2 of 3 data rows rejected"), absl::string_view::npos) << status;
  EXPECT_NE(status.message().find("line 7: billable flag"), absl::string_view::npos) << status;
}

TEST(CheckReloadable, AFewRejectedRowsAreToleratedAsAtStartUp) {
  EXPECT_TRUE(CheckReloadable(WithRejectedRows(2, {{7, "one bad row"}})).ok());
}

TEST(CheckReloadable, ADataSetWithoutCodesIsRefused) {
  LoadResult result = FitResult("snap");
  result.snapshot = std::make_shared<const CatalogueSnapshot>(SnapshotParts{});
  EXPECT_EQ(CheckReloadable(result).code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace openencoder::catalogue
