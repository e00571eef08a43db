#include "services/common/redis/cluster_protocol.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/redis/key_slot.h"

namespace openencoder::redis::internal {
namespace {

absl::StatusOr<RedisEndpoint> NodeEndpoint(const RedisReply& node, absl::string_view asked_host) {
  if (!node.is_array() || node.elements().size() < 2 || !node.elements()[0].is_string() ||
      !node.elements()[1].is_integer()) {
    return absl::InternalError(
        absl::StrCat("malformed node in CLUSTER SLOTS reply: ", node.DebugString()));
  }
  RedisEndpoint endpoint;
  endpoint.host = node.elements()[0].str();
  // Redis reports "" (or "?" for an unknown hostname) when it does not know
  // its own address as clients see it; that is the address we asked.
  if (endpoint.host.empty() || endpoint.host == "?") {
    endpoint.host = std::string(asked_host);
  }
  endpoint.port = static_cast<int>(node.elements()[1].integer());
  return endpoint;
}

void AddUnique(std::vector<RedisEndpoint>& list, const RedisEndpoint& e) {
  if (std::find(list.begin(), list.end(), e) == list.end()) list.push_back(e);
}

}  // namespace

std::optional<RedisEndpoint> SlotMap::Owner(int slot) const {
  if (slot < 0 || slot >= static_cast<int>(slot_owner.size()) || slot_owner[slot] < 0) {
    return std::nullopt;
  }
  return primaries[slot_owner[slot]];
}

absl::StatusOr<SlotMap> ParseClusterSlots(const RedisReply& reply, absl::string_view asked_host) {
  if (!reply.is_array()) {
    return absl::InternalError(
        absl::StrCat("CLUSTER SLOTS did not return an array: ", reply.DebugString()));
  }
  SlotMap map;
  map.slot_owner.assign(kClusterSlots, -1);
  std::vector<RedisEndpoint> replicas;
  for (const RedisReply& range : reply.elements()) {
    const std::vector<RedisReply>& fields = range.elements();
    if (!range.is_array() || fields.size() < 3 || !fields[0].is_integer() ||
        !fields[1].is_integer()) {
      return absl::InternalError(
          absl::StrCat("malformed slot range in CLUSTER SLOTS reply: ", range.DebugString()));
    }
    const int64_t first = fields[0].integer();
    const int64_t last = fields[1].integer();
    if (first < 0 || last >= kClusterSlots || first > last) {
      return absl::InternalError(
          absl::StrCat("slot range out of bounds in CLUSTER SLOTS reply: ", first, "-", last));
    }
    absl::StatusOr<RedisEndpoint> primary = NodeEndpoint(fields[2], asked_host);
    if (!primary.ok()) return primary.status();
    auto it = std::find(map.primaries.begin(), map.primaries.end(), *primary);
    const int index = static_cast<int>(it - map.primaries.begin());
    if (it == map.primaries.end()) map.primaries.push_back(*primary);
    for (int64_t slot = first; slot <= last; ++slot) {
      map.slot_owner[slot] = index;
    }
    for (size_t i = 3; i < fields.size(); ++i) {
      absl::StatusOr<RedisEndpoint> replica = NodeEndpoint(fields[i], asked_host);
      if (!replica.ok()) return replica.status();
      AddUnique(replicas, *replica);
    }
  }
  map.nodes = map.primaries;
  for (const RedisEndpoint& replica : replicas) AddUnique(map.nodes, replica);
  return map;
}

std::optional<Redirect> ParseRedirect(absl::string_view error_text, absl::string_view asked_host) {
  std::vector<absl::string_view> words = absl::StrSplit(error_text, ' ', absl::SkipEmpty());
  if (words.size() != 3) return std::nullopt;
  Redirect redirect;
  if (words[0] == "MOVED") {
    redirect.kind = Redirect::Kind::kMoved;
  } else if (words[0] == "ASK") {
    redirect.kind = Redirect::Kind::kAsk;
  } else {
    return std::nullopt;
  }
  if (!absl::SimpleAtoi(words[1], &redirect.slot) || redirect.slot < 0 ||
      redirect.slot >= kClusterSlots) {
    return std::nullopt;
  }
  const size_t colon = words[2].rfind(':');
  if (colon == absl::string_view::npos ||
      !absl::SimpleAtoi(words[2].substr(colon + 1), &redirect.target.port)) {
    return std::nullopt;
  }
  absl::string_view host = words[2].substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  redirect.target.host = std::string(host.empty() ? asked_host : host);
  return redirect;
}

}  // namespace openencoder::redis::internal
