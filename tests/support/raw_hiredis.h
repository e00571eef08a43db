// Raw hiredis for the test harness (redis_server.cc, redis_cluster.cc): the
// harness must not depend on oe_redis, the client it is used to test.
#ifndef OPENENCODER_TESTS_SUPPORT_RAW_HIREDIS_H_
#define OPENENCODER_TESTS_SUPPORT_RAW_HIREDIS_H_

#include <hiredis/hiredis.h>

#include <memory>
#include <string>
#include <vector>

namespace openencoder::test_support::raw {

struct ContextCloser {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyFreer {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Context = std::unique_ptr<redisContext, ContextCloser>;
using Reply = std::unique_ptr<redisReply, ReplyFreer>;

// Sends one command, binary-safe; null if the connection failed (the
// reason is in context.errstr).
inline Reply SendArgv(redisContext& context, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  return Reply(static_cast<redisReply*>(
      redisCommandArgv(&context, static_cast<int>(argv.size()), argv.data(), lengths.data())));
}

}  // namespace openencoder::test_support::raw

#endif  // OPENENCODER_TESTS_SUPPORT_RAW_HIREDIS_H_
