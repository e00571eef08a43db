#include "services/assistant/conversation_store.h"

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/redis/lua_script.h"

namespace openencoder::assistant {
namespace {

// Fields are separated by \x1f and list items by \x1e, characters a
// question cannot usefully contain (they are stripped from it first).
constexpr char kField = '\x1f';
constexpr char kItem = '\x1e';

std::string Clean(absl::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != kField && c != kItem) out.push_back(c);
  }
  return out;
}

// KEYS[1] turns list. ARGV: owner, turn, max_turns, ttl_ms.
// The list's first element is the owner.
const redis::LuaScript& AppendScript() {
  static const redis::LuaScript* script = new redis::LuaScript(R"lua(
local owner = redis.call('LINDEX', KEYS[1], 0)
if owner and owner ~= ARGV[1] then
  return redis.error_reply('NOT_FOUND unknown conversation')
end
if not owner then redis.call('RPUSH', KEYS[1], ARGV[1]) end
redis.call('RPUSH', KEYS[1], ARGV[2])
local len = redis.call('LLEN', KEYS[1])
local max = tonumber(ARGV[3])
if len - 1 > max then
  -- keep the owner (index 0) and the last max turns
  local turns = redis.call('LRANGE', KEYS[1], len - max, -1)
  redis.call('DEL', KEYS[1])
  redis.call('RPUSH', KEYS[1], ARGV[1], unpack(turns))
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1)lua");
  return *script;
}

}  // namespace

std::string EncodeTurn(const Turn& turn) {
  std::vector<std::string> codes;
  for (const CodeMention& m : turn.context.codes) {
    std::vector<std::string> systems;
    for (auto s : m.systems) systems.push_back(absl::StrCat(static_cast<int>(s)));
    codes.push_back(absl::StrCat(Clean(m.code), "/", absl::StrJoin(systems, "+")));
  }
  std::vector<std::string> modifiers;
  for (const std::string& m : turn.context.modifiers) modifiers.push_back(Clean(m));
  // v2 adds the answer's digest (a follow-up must not repeat it); v1
  // turns still in Redis decode without one.
  return absl::StrCat("v2", std::string(1, kField), IntentName(turn.context.intent),
                      std::string(1, kField), absl::StrJoin(codes, std::string(1, kItem)),
                      std::string(1, kField), absl::StrJoin(modifiers, std::string(1, kItem)),
                      std::string(1, kField), Clean(turn.context.locality), std::string(1, kField),
                      Clean(turn.question), std::string(1, kField),
                      Clean(turn.context.answer_digest));
}

absl::StatusOr<Turn> DecodeTurn(absl::string_view text) {
  std::vector<std::string> f = absl::StrSplit(text, kField);
  if (!(f.size() == 6 && f[0] == "v1") && !(f.size() == 7 && f[0] == "v2")) {
    return absl::InvalidArgumentError("not an encoded turn");
  }
  Turn turn;
  turn.context.intent = IntentFromName(f[1]);
  for (absl::string_view item : absl::StrSplit(f[2], kItem, absl::SkipEmpty())) {
    std::pair<std::string, std::string> parts = absl::StrSplit(item, '/');
    CodeMention m;
    m.code = parts.first;
    for (absl::string_view s : absl::StrSplit(parts.second, '+', absl::SkipEmpty())) {
      int v = 0;
      if (!absl::SimpleAtoi(s, &v) || !catalogue::v1::CodeSystem_IsValid(v)) {
        return absl::InvalidArgumentError("bad code system in turn");
      }
      m.systems.push_back(static_cast<catalogue::v1::CodeSystem>(v));
    }
    turn.context.codes.push_back(std::move(m));
  }
  for (absl::string_view item : absl::StrSplit(f[3], kItem, absl::SkipEmpty())) {
    turn.context.modifiers.emplace_back(item);
  }
  turn.context.locality = f[4];
  turn.question = f[5];
  if (f.size() == 7) turn.context.answer_digest = f[6];
  return turn;
}

std::string RedisConversationStore::Key(const std::string& conversation_id) {
  return absl::StrCat("oe:{c:", conversation_id, "}:turns");
}

std::string RedisConversationStore::OwnerKey(const std::string& owner) {
  return absl::StrCat("oe:{own:", owner, "}:conversations");
}

absl::StatusOr<std::vector<Turn>> RedisConversationStore::Load(const std::string& conversation_id,
                                                               const std::string& owner) {
  const std::string key = Key(conversation_id);
  absl::StatusOr<redis::RedisReply> reply =
      redis_->Command({"LRANGE", key, "0", "-1"}, absl::Now() + options_.timeout);
  if (!reply.ok()) return reply.status();
  const auto& items = reply->elements();
  if (items.empty() || items[0].str() != owner) {
    return absl::NotFoundError("unknown conversation");
  }
  std::vector<Turn> turns;
  for (size_t i = 1; i < items.size(); ++i) {
    absl::StatusOr<Turn> turn = DecodeTurn(items[i].str());
    if (turn.ok()) turns.push_back(*std::move(turn));
  }
  return turns;
}

absl::Status RedisConversationStore::Append(const std::string& conversation_id,
                                            const std::string& owner, const Turn& turn) {
  const std::string key = Key(conversation_id);
  const std::string encoded = EncodeTurn(turn);
  const std::string max = absl::StrCat(options_.max_turns);
  const std::string ttl = absl::StrCat(absl::ToInt64Milliseconds(options_.ttl));
  // The owner's index first: a turn is never stored where EraseOwner cannot
  // find it.
  const std::string owner_key = OwnerKey(owner);
  const redis::RedisCommand index[] = {{"SADD", owner_key, conversation_id},
                                       {"PEXPIRE", owner_key, ttl}};
  absl::StatusOr<std::vector<redis::RedisReply>> indexed =
      redis_->Pipeline(index, absl::Now() + options_.timeout);
  if (!indexed.ok()) return indexed.status();
  absl::StatusOr<redis::RedisReply> reply = redis_->Eval(
      AppendScript(), {key}, {owner, encoded, max, ttl}, absl::Now() + options_.timeout);
  return reply.status();
}

absl::StatusOr<int> RedisConversationStore::EraseOwner(const std::string& owner) {
  const std::string owner_key = OwnerKey(owner);
  absl::StatusOr<redis::RedisReply> ids =
      redis_->Command({"SMEMBERS", owner_key}, absl::Now() + options_.timeout);
  if (!ids.ok()) return ids.status();
  int erased = 0;
  for (const redis::RedisReply& id : ids->elements()) {
    // Only the owner's own: the first element names it.
    const std::string key = Key(id.str());
    absl::StatusOr<redis::RedisReply> first =
        redis_->Command({"LINDEX", key, "0"}, absl::Now() + options_.timeout);
    if (!first.ok()) return first.status();
    if (first->is_nil() || first->str() != owner) continue;
    absl::StatusOr<redis::RedisReply> del =
        redis_->Command({"DEL", key}, absl::Now() + options_.timeout);
    if (!del.ok()) return del.status();
    erased += static_cast<int>(del->integer());
  }
  absl::StatusOr<redis::RedisReply> del =
      redis_->Command({"DEL", owner_key}, absl::Now() + options_.timeout);
  if (!del.ok()) return del.status();
  return erased;
}

absl::StatusOr<std::vector<Turn>> InMemoryConversationStore::Load(
    const std::string& conversation_id, const std::string& owner) {
  absl::MutexLock lock(&mu_);
  auto it = conversations_.find(conversation_id);
  if (it == conversations_.end() || it->second.first != owner) {
    return absl::NotFoundError("unknown conversation");
  }
  return it->second.second;
}

absl::Status InMemoryConversationStore::Append(const std::string& conversation_id,
                                               const std::string& owner, const Turn& turn) {
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = conversations_.try_emplace(conversation_id, owner, std::vector<Turn>());
  if (it->second.first != owner) return absl::NotFoundError("unknown conversation");
  std::vector<Turn>& turns = it->second.second;
  turns.push_back(turn);
  if (static_cast<int>(turns.size()) > max_turns_) turns.erase(turns.begin());
  return absl::OkStatus();
}

absl::StatusOr<int> InMemoryConversationStore::EraseOwner(const std::string& owner) {
  absl::MutexLock lock(&mu_);
  int erased = 0;
  for (auto it = conversations_.begin(); it != conversations_.end();) {
    if (it->second.first == owner) {
      conversations_.erase(it++);
      ++erased;
    } else {
      ++it;
    }
  }
  return erased;
}

}  // namespace openencoder::assistant
