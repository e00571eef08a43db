#include "services/jobs/redis_job_store.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/redis/redis_errors.h"
#include "services/common/store_status.h"
#include "services/common/time_proto.h"
#include "services/jobs/application_id.h"
#include "services/jobs/redis_keys.h"

namespace openencoder::jobs {
namespace {

// Replicas only need recent changes (a new replica loads everything first);
// the cap keeps the stream from growing without end.
constexpr char kChangeStreamMaxLen[] = "200000";
constexpr int kBatch = 500;

absl::Status StoreStatus(absl::Status status) {
  return common::StoreStatus(std::move(status), "job store");
}

std::string Num(int64_t n) { return std::to_string(n); }

int64_t ToInt(const redis::RedisReply& r) {
  if (r.is_integer()) return r.integer();
  int64_t n = 0;
  if (!absl::SimpleAtoi(r.str(), &n)) return 0;
  return n;
}

const redis::LuaScript& InsertScript() {
  // KEYS: posting. ARGV: data, status, closes_at.
  static const auto* s = new redis::LuaScript(R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.error_reply('ALREADY_EXISTS posting id taken')
end
redis.call('HSET', KEYS[1], 'data', ARGV[1], 'status', ARGV[2], 'closes_at', ARGV[3],
           'version', 1, 'applicants', 0)
return 1)lua");
  return *s;
}

const redis::LuaScript& ReplaceScript() {
  // KEYS: posting. ARGV: expected version, data, status, closes_at.
  static const auto* s = new redis::LuaScript(R"lua(
local v = redis.call('HGET', KEYS[1], 'version')
if not v then return redis.error_reply('NOT_FOUND no such posting') end
if tonumber(ARGV[1]) ~= 0 and tonumber(v) ~= tonumber(ARGV[1]) then
  return redis.error_reply('ABORTED the posting was changed meanwhile; re-read and retry')
end
local next = tonumber(v) + 1
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'status', ARGV[3], 'closes_at', ARGV[4],
           'version', next)
return next)lua");
  return *s;
}

const redis::LuaScript& ChargeScript() {
  // KEYS: day counter. ARGV: limit, ttl seconds.
  static const auto* s = new redis::LuaScript(R"lua(
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then
  return redis.error_reply('RESOURCE_EXHAUSTED daily posting limit reached; try again tomorrow')
end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return n + 1)lua");
  return *s;
}

const redis::LuaScript& ApplyScript() {
  // KEYS: posting, application, applicants. ARGV: now ms, data, time ms, coder.
  // Checks the posting is open and the coder has no application in one
  // step, so two concurrent Apply calls can never both create one.
  static const auto* s = new redis::LuaScript(R"lua(
local p = redis.call('HMGET', KEYS[1], 'status', 'closes_at')
if not p[1] then return redis.error_reply('NOT_FOUND no such posting') end
local closes = tonumber(p[2]) or 0
if p[1] ~= '3' or (closes > 0 and closes <= tonumber(ARGV[1])) then
  return redis.error_reply('NOT_FOUND the posting is not open for applications')
end
local a = redis.call('HMGET', KEYS[2], 'data', 'status')
if a[1] and a[2] == '1' then return {1, a[1], a[2]} end
redis.call('HSET', KEYS[2], 'data', ARGV[2], 'status', '1')
redis.call('HINCRBY', KEYS[1], 'applicants', 1)
if a[1] then return {1, ARGV[2], '1'} end
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
return {0, ARGV[2], '1'})lua");
  return *s;
}

const redis::LuaScript& WithdrawScript() {
  // KEYS: posting, application.
  static const auto* s = new redis::LuaScript(R"lua(
local a = redis.call('HMGET', KEYS[2], 'data', 'status')
if not a[1] then return redis.error_reply('NOT_FOUND no such application') end
if a[2] == '1' then
  redis.call('HSET', KEYS[2], 'status', '2')
  if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HINCRBY', KEYS[1], 'applicants', -1) end
end
return {a[1], '2'})lua");
  return *s;
}

const redis::LuaScript& MarkReviewedScript() {
  // KEYS: application. ARGV: reviewed ms, or "" to clear. The mark lives
  // beside the bytes (like status), so a re-application keeps it.
  static const auto* s = new redis::LuaScript(R"lua(
local a = redis.call('HMGET', KEYS[1], 'data', 'status')
if not a[1] then return redis.error_reply('NOT_FOUND no such application') end
if ARGV[1] == '' then redis.call('HDEL', KEYS[1], 'reviewed')
else redis.call('HSET', KEYS[1], 'reviewed', ARGV[1]) end
return {a[1], a[2], ARGV[1]})lua");
  return *s;
}

const redis::LuaScript& AnonymiseScript() {
  // KEYS: application, anonymised application, applicants. ARGV: the bytes
  // read (compare and swap), the anonymised bytes, coder, anonymous id.
  // Moves status and review mark along and keeps the applicant's place in
  // the list; the posting's applicant count does not change.
  static const auto* s = new redis::LuaScript(R"lua(
local a = redis.call('HMGET', KEYS[1], 'data', 'status', 'reviewed')
if not a[1] then return 0 end
if a[1] ~= ARGV[1] then
  return redis.error_reply('ABORTED the application changed meanwhile; retry')
end
redis.call('HSET', KEYS[2], 'data', ARGV[2], 'status', a[2])
if a[3] then redis.call('HSET', KEYS[2], 'reviewed', a[3]) end
local score = redis.call('ZSCORE', KEYS[3], ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[3])
if score then redis.call('ZADD', KEYS[3], score, ARGV[4]) end
redis.call('DEL', KEYS[1])
return 1)lua");
  return *s;
}

// The record minus the fields kept beside it in the hash (which scripts
// change without rewriting the bytes).
std::string PostingData(v1::JobPosting posting) {
  posting.set_version(0);
  posting.set_applicant_count(0);
  return posting.SerializeAsString();
}

std::string ClosesAtMillis(const v1::JobPosting& posting) {
  return posting.fields().has_closes_at() ? Num(common::ToMillis(posting.fields().closes_at()))
                                          : "0";
}

// HMGET data version status applicants -> posting; false when absent.
bool ParsePosting(const redis::RedisReply& reply, v1::JobPosting* posting) {
  const auto& e = reply.elements();
  if (e.size() < 4 || e[0].is_nil()) return false;
  if (!posting->ParseFromString(e[0].str())) return false;
  posting->set_version(ToInt(e[1]));
  const int64_t status = ToInt(e[2]);
  if (v1::PostingStatus_IsValid(static_cast<int>(status))) {
    posting->set_status(static_cast<v1::PostingStatus>(status));
  }
  posting->set_applicant_count(static_cast<int32_t>(ToInt(e[3])));
  return true;
}

redis::RedisCommand PostingRead(absl::string_view id) {
  return {"HMGET", keys::Posting(id), "data", "version", "status", "applicants"};
}

bool ParseApplication(const redis::RedisReply& data, const redis::RedisReply& status,
                      v1::Application* app, const redis::RedisReply* reviewed = nullptr) {
  if (data.is_nil() || !app->ParseFromString(data.str())) return false;
  const int64_t s = ToInt(status);
  if (v1::ApplicationStatus_IsValid(static_cast<int>(s))) {
    app->set_status(static_cast<v1::ApplicationStatus>(s));
  }
  if (reviewed != nullptr && !reviewed->is_nil() && ToInt(*reviewed) > 0) {
    common::SetTimestamp(absl::FromUnixMillis(ToInt(*reviewed)), app->mutable_reviewed_at());
  }
  return true;
}

}  // namespace

RedisJobStore::RedisJobStore(redis::RedisClient* client, absl::Duration timeout)
    : client_(client), timeout_(timeout) {}

redis::RedisCommand RedisJobStore::ChangeRecord(absl::string_view posting_id) const {
  return {"XADD", keys::kChanges,         "MAXLEN", "~", kChangeStreamMaxLen, "*",
          "id",   std::string(posting_id)};
}

absl::Status RedisJobStore::ChargeDailyPosting(absl::string_view employer, int daily_limit,
                                               absl::Time now) {
  const std::string day = absl::FormatTime("%Y%m%d", now, absl::UTCTimeZone());
  const std::string key = keys::EmployerDay(employer, day);
  const std::string limit = Num(daily_limit);
  auto reply = client_->Eval(ChargeScript(), {key}, {limit, "172800"}, Deadline());
  return reply.ok() ? absl::OkStatus() : StoreStatus(reply.status());
}

absl::Status RedisJobStore::InsertPosting(const v1::JobPosting& posting) {
  const std::string& id = posting.posting_id();
  const std::string key = keys::Posting(id);
  const std::string data = PostingData(posting);
  const std::string status = Num(posting.status());
  const std::string closes = ClosesAtMillis(posting);
  auto reply = client_->Eval(InsertScript(), {key}, {data, status, closes}, Deadline());
  if (!reply.ok()) return StoreStatus(reply.status());
  const std::string created = Num(common::ToMillis(posting.created_at()));
  // The record exists now; the lists are idempotent adds, and a retry of the
  // whole call after a lost reply gets ALREADY_EXISTS only for the record.
  std::vector<redis::RedisCommand> after = {
      {"ZADD", keys::EmployerPostings(posting.employer_account_id()), created, id},
      {"ZADD", keys::kAllPostings, created, id},
      ChangeRecord(id)};
  auto replies = client_->Pipeline(after, Deadline());
  return replies.ok() ? absl::OkStatus() : StoreStatus(replies.status());
}

absl::StatusOr<v1::JobPosting> RedisJobStore::GetPosting(absl::string_view posting_id) {
  auto postings = GetPostings({std::string(posting_id)});
  if (!postings.ok()) return postings.status();
  if (postings->empty()) return absl::NotFoundError("no such posting");
  return std::move(postings->front());
}

absl::StatusOr<std::vector<v1::JobPosting>> RedisJobStore::GetPostings(
    const std::vector<std::string>& ids) {
  std::vector<v1::JobPosting> out;
  out.reserve(ids.size());
  for (size_t start = 0; start < ids.size(); start += kBatch) {
    std::vector<redis::RedisCommand> commands;
    for (size_t i = start; i < ids.size() && i < start + kBatch; ++i) {
      commands.push_back(PostingRead(ids[i]));
    }
    auto replies = client_->Pipeline(commands, Deadline());
    if (!replies.ok()) return StoreStatus(replies.status());
    for (const redis::RedisReply& reply : *replies) {
      if (reply.is_error()) return redis::ErrorReplyToStatus(reply.str());
      v1::JobPosting posting;
      if (ParsePosting(reply, &posting)) out.push_back(std::move(posting));
    }
  }
  return out;
}

absl::StatusOr<v1::JobPosting> RedisJobStore::ReplacePosting(v1::JobPosting posting,
                                                             int64_t expected_version) {
  const std::string& id = posting.posting_id();
  const std::string key = keys::Posting(id);
  const std::string expected = Num(expected_version);
  const std::string data = PostingData(posting);
  const std::string status = Num(posting.status());
  const std::string closes = ClosesAtMillis(posting);
  auto reply = client_->Eval(ReplaceScript(), {key}, {expected, data, status, closes}, Deadline());
  if (!reply.ok()) return StoreStatus(reply.status());
  posting.set_version(reply->integer());
  std::vector<redis::RedisCommand> after;
  if (posting.status() == v1::POSTING_STATUS_PENDING_APPROVAL) {
    after.push_back(
        {"ZADD", keys::kPending, "NX", Num(common::ToMillis(posting.updated_at())), id});
  } else {
    after.push_back({"ZREM", keys::kPending, id});
  }
  after.push_back(ChangeRecord(id));
  auto replies = client_->Pipeline(after, Deadline());
  if (!replies.ok()) return StoreStatus(replies.status());
  return posting;
}

absl::StatusOr<StorePage<std::string>> RedisJobStore::RangeIds(absl::string_view key,
                                                               int64_t offset, int limit,
                                                               bool newest_first) {
  const std::string start = Num(offset);
  const std::string stop = Num(offset + limit);  // one extra: is there a next page?
  auto reply =
      client_->Command({newest_first ? "ZREVRANGE" : "ZRANGE", key, start, stop}, Deadline());
  if (!reply.ok()) return StoreStatus(reply.status());
  StorePage<std::string> page;
  for (const redis::RedisReply& e : reply->elements()) page.items.push_back(e.str());
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next_offset = offset + limit;
  }
  return page;
}

absl::StatusOr<StorePage<std::string>> RedisJobStore::ListEmployerPostings(
    absl::string_view employer, int64_t offset, int limit) {
  return RangeIds(keys::EmployerPostings(employer), offset, limit, /*newest_first=*/true);
}

absl::StatusOr<StorePage<std::string>> RedisJobStore::ListPending(int64_t offset, int limit) {
  return RangeIds(keys::kPending, offset, limit, /*newest_first=*/false);
}

absl::StatusOr<bool> RedisJobStore::IsEmployerTrusted(absl::string_view employer) {
  auto reply = client_->Command({"EXISTS", keys::EmployerTrusted(employer)}, Deadline());
  if (!reply.ok()) return StoreStatus(reply.status());
  return reply->integer() == 1;
}

absl::Status RedisJobStore::MarkEmployerTrusted(absl::string_view employer) {
  auto reply = client_->Command({"SET", keys::EmployerTrusted(employer), "1"}, Deadline());
  return reply.ok() ? absl::OkStatus() : StoreStatus(reply.status());
}

absl::StatusOr<ApplyOutcome> RedisJobStore::Apply(const v1::Application& application,
                                                  absl::Time now) {
  const std::string& id = application.posting_id();
  const std::string& coder = application.coder_account_id();
  const std::string posting_key = keys::Posting(id);
  const std::string app_key = keys::Application(id, coder);
  const std::string applicants_key = keys::Applicants(id);
  v1::Application record = application;
  record.clear_status();
  const std::string data = record.SerializeAsString();
  const std::string now_ms = Num(absl::ToUnixMillis(now));
  const std::string created_ms = Num(common::ToMillis(application.created_at()));
  // The coder's own list lives under the coder's tag, outside the atomic
  // step, so it is written first: an application record is then always on
  // the list an account erasure walks, and an entry whose record was never
  // written (the posting had closed) is skipped when listed. NX keeps the
  // first application time on repeats.
  auto listed = client_->Command(
      {"ZADD", keys::CoderApplications(coder), "NX", created_ms, ApplicationId(id, coder)},
      Deadline());
  if (!listed.ok()) return StoreStatus(listed.status());
  auto reply = client_->Eval(ApplyScript(), {posting_key, app_key, applicants_key},
                             {now_ms, data, created_ms, coder}, Deadline());
  if (!reply.ok()) return StoreStatus(reply.status());
  const auto& e = reply->elements();
  ApplyOutcome outcome;
  if (e.size() < 3 || !ParseApplication(e[1], e[2], &outcome.application)) {
    return absl::InternalError("unexpected reply from the apply script");
  }
  outcome.existing = ToInt(e[0]) == 1;
  return outcome;
}

absl::StatusOr<v1::Application> RedisJobStore::Withdraw(absl::string_view posting_id,
                                                        absl::string_view coder) {
  const std::string posting_key = keys::Posting(posting_id);
  const std::string app_key = keys::Application(posting_id, coder);
  auto reply = client_->Eval(WithdrawScript(), {posting_key, app_key}, {}, Deadline());
  if (!reply.ok()) return StoreStatus(reply.status());
  const auto& e = reply->elements();
  v1::Application app;
  if (e.size() < 2 || !ParseApplication(e[0], e[1], &app)) {
    return absl::InternalError("unexpected reply from the withdraw script");
  }
  return app;
}

absl::StatusOr<v1::Application> RedisJobStore::MarkApplicationReviewed(
    absl::string_view posting_id, absl::string_view coder, std::optional<absl::Time> reviewed_at) {
  const std::string ms = reviewed_at ? Num(absl::ToUnixMillis(*reviewed_at)) : "";
  auto reply =
      client_->Eval(MarkReviewedScript(), {keys::Application(posting_id, coder)}, {ms}, Deadline());
  if (!reply.ok()) return StoreStatus(reply.status());
  const auto& e = reply->elements();
  v1::Application app;
  if (e.size() < 3 || !ParseApplication(e[0], e[1], &app, &e[2])) {
    return absl::InternalError("unexpected reply from the mark-reviewed script");
  }
  return app;
}

absl::StatusOr<std::vector<v1::Application>> RedisJobStore::GetApplications(
    const std::vector<std::pair<std::string, std::string>>& posting_and_coder) {
  std::vector<v1::Application> out;
  if (posting_and_coder.empty()) return out;
  std::vector<redis::RedisCommand> commands;
  for (const auto& [posting, coder] : posting_and_coder) {
    commands.push_back({"HMGET", keys::Application(posting, coder), "data", "status", "reviewed"});
  }
  auto replies = client_->Pipeline(commands, Deadline());
  if (!replies.ok()) return StoreStatus(replies.status());
  for (const redis::RedisReply& reply : *replies) {
    if (reply.is_error()) return redis::ErrorReplyToStatus(reply.str());
    v1::Application app;
    if (reply.elements().size() == 3 &&
        ParseApplication(reply.elements()[0], reply.elements()[1], &app, &reply.elements()[2])) {
      out.push_back(std::move(app));
    }
  }
  return out;
}

absl::StatusOr<StorePage<v1::Application>> RedisJobStore::ListCoderApplications(
    absl::string_view coder, int64_t offset, int limit) {
  auto ids = RangeIds(keys::CoderApplications(coder), offset, limit, true);
  if (!ids.ok()) return ids.status();
  std::vector<std::pair<std::string, std::string>> refs;
  for (const std::string& id : ids->items) {
    std::string posting, owner;
    if (SplitApplicationId(id, &posting, &owner)) refs.emplace_back(posting, owner);
  }
  auto apps = GetApplications(refs);
  if (!apps.ok()) return apps.status();
  return StorePage<v1::Application>{std::move(*apps), ids->next_offset};
}

absl::StatusOr<StorePage<v1::Application>> RedisJobStore::ListApplicants(
    absl::string_view posting_id, int64_t offset, int limit) {
  auto coders = RangeIds(keys::Applicants(posting_id), offset, limit, true);
  if (!coders.ok()) return coders.status();
  std::vector<std::pair<std::string, std::string>> refs;
  for (const std::string& coder : coders->items) {
    refs.emplace_back(std::string(posting_id), coder);
  }
  auto apps = GetApplications(refs);
  if (!apps.ok()) return apps.status();
  return StorePage<v1::Application>{std::move(*apps), coders->next_offset};
}

absl::Status RedisJobStore::SaveJob(absl::string_view account, absl::string_view posting_id,
                                    absl::Time now) {
  auto reply = client_->Command(
      {"ZADD", keys::SavedJobs(account), "NX", Num(absl::ToUnixMillis(now)), posting_id},
      Deadline());
  return reply.ok() ? absl::OkStatus() : StoreStatus(reply.status());
}

absl::Status RedisJobStore::UnsaveJob(absl::string_view account, absl::string_view posting_id) {
  auto reply = client_->Command({"ZREM", keys::SavedJobs(account), posting_id}, Deadline());
  return reply.ok() ? absl::OkStatus() : StoreStatus(reply.status());
}

absl::StatusOr<StorePage<std::string>> RedisJobStore::ListSavedJobs(absl::string_view account,
                                                                    int64_t offset, int limit) {
  return RangeIds(keys::SavedJobs(account), offset, limit, true);
}

absl::StatusOr<bool> RedisJobStore::AnonymiseApplication(absl::string_view posting_id,
                                                         absl::string_view coder,
                                                         absl::string_view anon_coder) {
  const std::string app_key = keys::Application(posting_id, coder);
  auto read = client_->Command({"HGET", app_key, "data"}, Deadline());
  if (!read.ok()) return StoreStatus(read.status());
  if (read->is_nil()) return false;
  v1::Application app;
  if (!app.ParseFromString(read->str())) {
    return absl::DataLossError("a stored application does not parse");
  }
  const std::string anonymised =
      AnonymisedApplication(std::move(app), anon_coder).SerializeAsString();
  auto reply = client_->Eval(
      AnonymiseScript(),
      {app_key, keys::Application(posting_id, anon_coder), keys::Applicants(posting_id)},
      {read->str(), anonymised, std::string(coder), std::string(anon_coder)}, Deadline());
  if (!reply.ok()) return StoreStatus(reply.status());
  return reply->integer() == 1;
}

absl::Status RedisJobStore::ForgetAccount(absl::string_view account, absl::Time now) {
  // Day counters live two days: today's and yesterday's may exist.
  const auto day = [](absl::Time t) { return absl::FormatTime("%Y%m%d", t, absl::UTCTimeZone()); };
  auto reply = client_->Command({"DEL", keys::CoderApplications(account), keys::SavedJobs(account),
                                 keys::EmployerPostings(account), keys::EmployerTrusted(account),
                                 keys::EmployerDay(account, day(now)),
                                 keys::EmployerDay(account, day(now - absl::Hours(24)))},
                                Deadline());
  return reply.ok() ? absl::OkStatus() : StoreStatus(reply.status());
}

absl::StatusOr<std::string> RedisJobStore::ChangeCursor() {
  auto reply = client_->Command({"XREVRANGE", keys::kChanges, "+", "-", "COUNT", "1"}, Deadline());
  if (!reply.ok()) return StoreStatus(reply.status());
  if (reply->elements().empty()) return std::string("0-0");
  return reply->elements()[0].elements()[0].str();
}

absl::StatusOr<ChangeBatch> RedisJobStore::ReadChanges(absl::string_view cursor, int limit) {
  const std::string count = Num(limit);
  auto reply =
      client_->Command({"XREAD", "COUNT", count, "STREAMS", keys::kChanges, cursor}, Deadline());
  if (!reply.ok()) return StoreStatus(reply.status());
  ChangeBatch batch;
  batch.cursor = std::string(cursor);
  // [[stream, [[entry id, [field, value, ...]], ...]]] or nil.
  for (const redis::RedisReply& stream : reply->elements()) {
    if (stream.elements().size() < 2) continue;
    for (const redis::RedisReply& entry : stream.elements()[1].elements()) {
      if (entry.elements().size() < 2) continue;
      batch.cursor = entry.elements()[0].str();
      const auto& fields = entry.elements()[1].elements();
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str() == "id") batch.posting_ids.push_back(fields[i + 1].str());
      }
    }
  }
  return batch;
}

absl::StatusOr<std::vector<std::string>> RedisJobStore::AllPostingIds() {
  auto reply = client_->Command({"ZRANGE", keys::kAllPostings, "0", "-1"},
                                absl::Now() + std::max(timeout_, absl::Seconds(10)));
  if (!reply.ok()) return StoreStatus(reply.status());
  std::vector<std::string> ids;
  ids.reserve(reply->elements().size());
  for (const redis::RedisReply& e : reply->elements()) ids.push_back(e.str());
  return ids;
}

absl::Status RedisJobStore::BulkLoad(const std::vector<v1::JobPosting>& postings) {
  for (size_t start = 0; start < postings.size(); start += kBatch) {
    std::vector<redis::RedisCommand> commands;
    for (size_t i = start; i < postings.size() && i < start + kBatch; ++i) {
      const v1::JobPosting& p = postings[i];
      const std::string created = Num(common::ToMillis(p.created_at()));
      commands.push_back({"HSET", keys::Posting(p.posting_id()), "data", PostingData(p), "status",
                          Num(p.status()), "closes_at", ClosesAtMillis(p), "version", "1",
                          "applicants", "0"});
      commands.push_back(
          {"ZADD", keys::EmployerPostings(p.employer_account_id()), created, p.posting_id()});
      commands.push_back({"ZADD", keys::kAllPostings, created, p.posting_id()});
    }
    auto replies = client_->Pipeline(commands, absl::Now() + absl::Seconds(10));
    if (!replies.ok()) return StoreStatus(replies.status());
    for (const redis::RedisReply& r : *replies) {
      if (r.is_error()) return redis::ErrorReplyToStatus(r.str());
    }
  }
  return absl::OkStatus();
}

}  // namespace openencoder::jobs
