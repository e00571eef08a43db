#include "services/common/trace_context.h"

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace openencoder::common {
namespace {

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool AllZero(std::string_view s) { return s.find_first_not_of('0') == std::string_view::npos; }

// Appends 16 lower-case hex digits of a random non-zero 64-bit number. By
// hand, not StrFormat: every call (three per new trace) pays for it, and
// StrFormat cost more than the rest of the per-call metrics together.
void AppendRandomHex64(std::string& out) {
  static thread_local absl::BitGen gen;
  uint64_t v = 0;
  while (v == 0) v = absl::Uniform<uint64_t>(gen);
  static constexpr char kDigits[] = "0123456789abcdef";
  char buf[16];
  for (int i = 15; i >= 0; --i, v >>= 4) buf[i] = kDigits[v & 0xf];
  out.append(buf, sizeof(buf));
}

std::string RandomHex64() {
  std::string s;
  AppendRandomHex64(s);
  return s;
}

// Request id -> trace of the requests being served now. Sharded so that
// the many worker threads of a busy server rarely meet on one lock.
class Registry {
 public:
  void Add(const std::string& request_id, const TraceContext& trace) {
    Shard& s = ShardOf(request_id);
    absl::MutexLock lock(&s.mu);
    auto [it, inserted] = s.entries.try_emplace(request_id, Entry{trace, 0});
    ++it->second.refs;
  }
  void Remove(const std::string& request_id) {
    Shard& s = ShardOf(request_id);
    absl::MutexLock lock(&s.mu);
    auto it = s.entries.find(request_id);
    if (it != s.entries.end() && --it->second.refs == 0) s.entries.erase(it);
  }
  std::optional<TraceContext> Find(std::string_view request_id) {
    Shard& s = ShardOf(request_id);
    absl::MutexLock lock(&s.mu);
    auto it = s.entries.find(absl::string_view(request_id.data(), request_id.size()));
    if (it == s.entries.end()) return std::nullopt;
    return it->second.trace;
  }

 private:
  struct Entry {
    TraceContext trace;
    int refs;
  };
  struct Shard {
    absl::Mutex mu;
    absl::flat_hash_map<std::string, Entry> entries ABSL_GUARDED_BY(mu);
  };
  static constexpr size_t kShards = 16;
  Shard& ShardOf(std::string_view request_id) {
    return shards_[absl::Hash<absl::string_view>{}(
                       absl::string_view(request_id.data(), request_id.size())) %
                   kShards];
  }
  Shard shards_[kShards];
};

Registry& Active() {
  static Registry* registry = new Registry();  // never destroyed: used until exit
  return *registry;
}

}  // namespace

std::string TraceContext::ToTraceParent() const {
  return absl::StrCat("00-", trace_id, "-", span_id, sampled ? "-01" : "-00");
}

TraceContext NewTraceContext() {
  TraceContext t;
  t.trace_id.reserve(32);
  AppendRandomHex64(t.trace_id);
  AppendRandomHex64(t.trace_id);
  t.span_id = RandomHex64();
  return t;
}

TraceContext ChildOf(const TraceContext& parent) {
  TraceContext t = parent;
  t.span_id = RandomHex64();
  return t;
}

std::optional<TraceContext> ParseTraceParent(std::string_view value) {
  // version "-" trace-id "-" parent-id "-" flags: 2+1+32+1+16+1+2 = 55.
  if (value.size() < 55) return std::nullopt;
  std::string_view version = value.substr(0, 2);
  if (!IsLowerHex(version) || version == "ff") return std::nullopt;
  if (version == "00" && value.size() != 55) return std::nullopt;
  if (value.size() > 55 && value[55] != '-') return std::nullopt;
  if (value[2] != '-' || value[35] != '-' || value[52] != '-') return std::nullopt;
  std::string_view trace_id = value.substr(3, 32);
  std::string_view span_id = value.substr(36, 16);
  std::string_view flags = value.substr(53, 2);
  if (!IsLowerHex(trace_id) || !IsLowerHex(span_id) || !IsLowerHex(flags)) return std::nullopt;
  if (AllZero(trace_id) || AllZero(span_id)) return std::nullopt;
  TraceContext t;
  t.trace_id = std::string(trace_id);
  t.span_id = std::string(span_id);
  int flag_bits = (flags[1] >= 'a' ? flags[1] - 'a' + 10 : flags[1] - '0');
  t.sampled = (flag_bits & 1) != 0;
  return t;
}

ActiveTrace::ActiveTrace(std::string request_id, const TraceContext& trace)
    : request_id_(std::move(request_id)) {
  if (!request_id_.empty()) Active().Add(request_id_, trace);
}

ActiveTrace::~ActiveTrace() {
  if (!request_id_.empty()) Active().Remove(request_id_);
}

std::optional<TraceContext> TraceOfRequest(std::string_view request_id) {
  if (request_id.empty()) return std::nullopt;
  return Active().Find(request_id);
}

}  // namespace openencoder::common
