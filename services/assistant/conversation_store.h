// Remembers the last turns of a CasePilot conversation so that a follow-up
// ("and with modifier 59?") can refer back. A conversation belongs to one
// owner (account id, or session id for guests); another owner gets NOT_FOUND,
// exactly as for an unknown id, so ids cannot be probed.
//
// Redis layout (docs/ENGINEERING.md): one key per conversation,
// oe:{c:<conversation_id>}:turns, a list of encoded turns whose first
// element is the owner; trimmed to the last N turns and given a fresh TTL on
// every append, by one Lua script. Each owner's conversation ids are in a
// set oe:{own:<owner>}:conversations with the same expiry, written before
// the turn, so that erasing an account (EraseOwner) finds every one.
//
// Thread safety: implementations are safe for concurrent use.
#ifndef OPENENCODER_SERVICES_ASSISTANT_CONVERSATION_STORE_H_
#define OPENENCODER_SERVICES_ASSISTANT_CONVERSATION_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/assistant/question_classifier.h"
#include "services/common/redis/redis_client.h"

namespace openencoder::assistant {

struct Turn {
  std::string question;
  TurnContext context;
};

// Encoding of a turn as one string (exposed for tests). Decode returns
// INVALID_ARGUMENT for text Encode did not write.
std::string EncodeTurn(const Turn& turn);
absl::StatusOr<Turn> DecodeTurn(absl::string_view text);

class ConversationStore {
 public:
  virtual ~ConversationStore() = default;
  // The turns, oldest first. NOT_FOUND: unknown, expired or another owner's.
  virtual absl::StatusOr<std::vector<Turn>> Load(const std::string& conversation_id,
                                                 const std::string& owner) = 0;
  // Appends a turn, creating the conversation for `owner` if needed, keeps
  // the last `max_turns`, and restarts the expiry. NOT_FOUND when the
  // conversation belongs to another owner.
  virtual absl::Status Append(const std::string& conversation_id, const std::string& owner,
                              const Turn& turn) = 0;
  // Deletes every conversation of `owner` (the account was deleted); the
  // number deleted. Idempotent.
  virtual absl::StatusOr<int> EraseOwner(const std::string& owner) = 0;
};

struct ConversationOptions {
  int max_turns = 6;
  absl::Duration ttl = absl::Hours(2);
  absl::Duration timeout = absl::Milliseconds(300);  // per Redis call
};

class RedisConversationStore final : public ConversationStore {
 public:
  RedisConversationStore(redis::RedisClient* redis, ConversationOptions options)
      : redis_(redis), options_(options) {}
  absl::StatusOr<std::vector<Turn>> Load(const std::string& conversation_id,
                                         const std::string& owner) override;
  absl::Status Append(const std::string& conversation_id, const std::string& owner,
                      const Turn& turn) override;
  absl::StatusOr<int> EraseOwner(const std::string& owner) override;

  static std::string Key(const std::string& conversation_id);
  static std::string OwnerKey(const std::string& owner);

 private:
  redis::RedisClient* redis_;  // not owned
  const ConversationOptions options_;
};

// For unit tests: no expiry.
class InMemoryConversationStore final : public ConversationStore {
 public:
  explicit InMemoryConversationStore(int max_turns = 6) : max_turns_(max_turns) {}
  absl::StatusOr<std::vector<Turn>> Load(const std::string& conversation_id,
                                         const std::string& owner) override;
  absl::Status Append(const std::string& conversation_id, const std::string& owner,
                      const Turn& turn) override;
  absl::StatusOr<int> EraseOwner(const std::string& owner) override;

 private:
  const int max_turns_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::pair<std::string, std::vector<Turn>>> conversations_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_CONVERSATION_STORE_H_
