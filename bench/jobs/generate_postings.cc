// oe_jobs_bench_load: writes N synthetic published postings straight into
// Redis (RedisJobStore::BulkLoad) for the SearchJobs benchmark. Deterministic
// for a given --seed, so runs are comparable.
//
//   OE_REDIS_ADDR=127.0.0.1:6390 oe_jobs_bench_load --count=100000
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/jobs/bench_redis.h"
#include "services/common/redis/redis_client.h"
#include "services/common/time_proto.h"
#include "services/jobs/redis_job_store.h"

ABSL_FLAG(int, count, 100000, "postings to write");
ABSL_FLAG(int, seed, 42, "random seed");

namespace oe = ::openencoder;
namespace v1 = ::openencoder::jobs::v1;

namespace {

const std::vector<std::string> kRoles = {
    "Medical Coder",   "Coding Specialist", "Coding Auditor", "Risk Adjustment Coder",
    "Inpatient Coder", "Pro-Fee Coder",     "CDI Specialist", "Coding Educator"};
const std::vector<std::string> kLevels = {"I", "II", "III", "Senior", "Lead", "Remote"};
const std::vector<std::string> kSpecialties = {
    "cardiology", "oncology", "orthopedics", "radiology", "emergency", "anesthesia",
    "pediatrics", "surgery",  "dermatology", "neurology", "urology",   "gastroenterology"};
const std::vector<std::string> kCredentials = {"CPC",   "CPC-A", "COC",  "CIC",  "CRC",  "CCS",
                                               "CCS-P", "CCA",   "RHIT", "RHIA", "CPMA", "CDIP"};
const std::vector<std::string> kStates = {"TX", "CA", "NY", "FL", "IL", "PA", "OH", "GA",
                                          "NC", "MI", "NJ", "VA", "WA", "AZ", "MA", "TN"};
const std::vector<std::string> kWords = {
    "review",    "documentation", "charts",       "physician", "queries",   "compliance",
    "audit",     "denials",       "productivity", "accuracy",  "encoder",   "EHR",
    "Epic",      "Cerner",        "HCC",          "DRG",       "modifiers", "E/M",
    "ICD-10-CM", "CPT",           "HCPCS",        "team",      "training",  "benefits",
    "schedule",  "flexible",      "quality",      "revenue",   "cycle",     "claims"};

template <typename T>
const T& Pick(std::mt19937& rng, const std::vector<T>& v) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

v1::JobPosting MakePosting(int i, std::mt19937& rng, absl::Time now) {
  v1::JobPosting p;
  p.set_posting_id(absl::StrFormat("%016x", 0xbe00000000000000ULL + i));
  p.set_employer_account_id(absl::StrCat("bench-employer-", i % 500));
  p.set_status(v1::POSTING_STATUS_PUBLISHED);
  p.set_version(1);
  const std::string& specialty = Pick(rng, kSpecialties);
  v1::PostingFields* f = p.mutable_fields();
  f->set_title(absl::StrCat(Pick(rng, kRoles), " ", Pick(rng, kLevels), " - ", specialty));
  std::string description = absl::StrCat("Join our ", specialty, " coding team. ");
  for (int w = 0; w < 40; ++w) absl::StrAppend(&description, Pick(rng, kWords), " ");
  f->set_description(description);
  f->set_organization(absl::StrCat("Health System ", i % 700));
  const int arrangement = std::uniform_int_distribution<int>(1, 3)(rng);
  f->set_arrangement(static_cast<v1::WorkArrangement>(arrangement));
  if (arrangement != v1::WORK_ARRANGEMENT_REMOTE || i % 2 == 0) {
    f->mutable_location()->set_state(Pick(rng, kStates));
    f->mutable_location()->set_city("Springfield");
    f->mutable_location()->set_zip("12345");
  }
  if (arrangement == v1::WORK_ARRANGEMENT_REMOTE && i % 3 == 0) {
    for (int k = 0; k < 5; ++k) f->add_remote_states(Pick(rng, kStates));
  }
  f->set_employment_type(v1::EMPLOYMENT_TYPE_FULL_TIME);
  f->add_credentials_required(Pick(rng, kCredentials));
  f->add_credentials_preferred(Pick(rng, kCredentials));
  f->set_cpc_a_accepted(i % 4 == 0);
  f->add_settings(static_cast<v1::CodingSetting>(std::uniform_int_distribution<int>(1, 7)(rng)));
  f->add_specialties(specialty);
  f->set_min_years_experience(i % 6);
  const bool hourly = i % 2 == 0;
  f->mutable_pay()->set_model(hourly ? v1::PAY_MODEL_HOURLY : v1::PAY_MODEL_SALARY);
  const int64_t base = hourly ? std::uniform_int_distribution<int64_t>(2000, 4500)(rng)
                              : std::uniform_int_distribution<int64_t>(40000, 95000)(rng) * 100;
  f->mutable_pay()->set_min_cents(base);
  f->mutable_pay()->set_max_cents(base + base / 5);
  const absl::Time posted =
      now - absl::Minutes(std::uniform_int_distribution<int>(0, 60 * 24 * 29)(rng));
  oe::common::SetTimestamp(posted, p.mutable_created_at());
  oe::common::SetTimestamp(posted, p.mutable_posted_at());
  oe::common::SetTimestamp(posted, p.mutable_updated_at());
  oe::common::SetTimestamp(posted + absl::Hours(24 * 30), f->mutable_closes_at());
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto client = oe::jobs::bench::ConnectBenchRedis();
  if (!client.ok()) {
    std::cerr << client.status() << "\n";
    return EXIT_FAILURE;
  }
  oe::jobs::RedisJobStore store(client->get());
  std::mt19937 rng(absl::GetFlag(FLAGS_seed));
  const absl::Time now = absl::Now();
  const int count = absl::GetFlag(FLAGS_count);
  std::vector<v1::JobPosting> batch;
  for (int i = 0; i < count; ++i) {
    batch.push_back(MakePosting(i, rng, now));
    if (batch.size() == 5000 || i + 1 == count) {
      if (absl::Status s = store.BulkLoad(batch); !s.ok()) {
        std::cerr << "bulk load failed: " << s << "\n";
        return EXIT_FAILURE;
      }
      batch.clear();
    }
  }
  std::cout << "wrote " << count << " postings to " << (*client)->options().Address() << "\n";
  return EXIT_SUCCESS;
}
