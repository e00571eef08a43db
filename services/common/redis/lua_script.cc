#include "services/common/redis/lua_script.h"

#include <utility>

#include "services/common/redis/sha1.h"

namespace openencoder::redis {

LuaScript::LuaScript(std::string source) : source_(std::move(source)), sha1_(Sha1Hex(source_)) {}

}  // namespace openencoder::redis
