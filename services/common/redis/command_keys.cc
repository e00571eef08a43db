#include "services/common/redis/command_keys.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"

namespace openencoder::redis {
namespace {

// Commands that take no key although they may take arguments.
constexpr absl::string_view kKeyless[] = {
    "ACL",      "ASKING",   "AUTH",      "BGREWRITEAOF", "BGSAVE",    "CLIENT",    "CLUSTER",
    "COMMAND",  "CONFIG",   "DBSIZE",    "DEBUG",        "DISCARD",   "ECHO",      "EXEC",
    "FAILOVER", "FLUSHALL", "FLUSHDB",   "FUNCTION",     "HELLO",     "INFO",      "KEYS",
    "LASTSAVE", "LATENCY",  "LOLWUT",    "MONITOR",      "MULTI",     "PING",      "PUBLISH",
    "PUBSUB",   "QUIT",     "RANDOMKEY", "READONLY",     "READWRITE", "REPLICAOF", "RESET",
    "ROLE",     "SAVE",     "SCAN",      "SCRIPT",       "SELECT",    "SHUTDOWN",  "SLAVEOF",
    "SLOWLOG",  "SWAPDB",   "TIME",      "UNWATCH",      "WAIT",
};

constexpr absl::string_view kScripts[] = {"EVAL",       "EVALSHA", "EVAL_RO",
                                          "EVALSHA_RO", "FCALL",   "FCALL_RO"};

constexpr absl::string_view kSubcommandThenKey[] = {"OBJECT", "MEMORY", "XINFO", "XGROUP"};

bool IsOneOf(absl::string_view name, absl::Span<const absl::string_view> set) {
  for (absl::string_view candidate : set) {
    if (absl::EqualsIgnoreCase(name, candidate)) return true;
  }
  return false;
}

}  // namespace

std::optional<absl::string_view> RoutingKey(absl::Span<const absl::string_view> args) {
  if (args.size() < 2) return std::nullopt;
  const absl::string_view name = args[0];
  if (IsOneOf(name, kKeyless)) return std::nullopt;
  if (IsOneOf(name, kScripts)) {
    int num_keys = 0;
    if (args.size() < 4 || !absl::SimpleAtoi(args[2], &num_keys) || num_keys < 1) {
      return std::nullopt;
    }
    return args[3];
  }
  if (absl::EqualsIgnoreCase(name, "XREAD") || absl::EqualsIgnoreCase(name, "XREADGROUP")) {
    for (size_t i = 1; i + 1 < args.size(); ++i) {
      if (absl::EqualsIgnoreCase(args[i], "STREAMS")) return args[i + 1];
    }
    return std::nullopt;
  }
  if (IsOneOf(name, kSubcommandThenKey)) {
    if (args.size() < 3) return std::nullopt;
    return args[2];
  }
  return args[1];
}

}  // namespace openencoder::redis
