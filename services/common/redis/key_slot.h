#ifndef OPENENCODER_SERVICES_COMMON_REDIS_KEY_SLOT_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_KEY_SLOT_H_

// Redis Cluster key -> hash slot mapping, as in the Redis Cluster
// specification. Cluster support itself comes in a later issue; this is here
// now so that key layouts (see docs/ENGINEERING.md) can be checked today:
// every key one Lua script touches must map to the same slot.
//
// Example:
//   KeySlot("oe:{a:123}:views") == KeySlot("oe:{a:123}:sessions")  // true
//
// Pure functions; thread-safe.

#include <cstdint>

#include "absl/strings/string_view.h"

namespace openencoder::redis {

// Number of hash slots in a Redis Cluster.
inline constexpr int kClusterSlots = 16384;

// CRC16/XMODEM (polynomial 0x1021, initial value 0, no reflection), the
// checksum Redis Cluster uses. Crc16("123456789") == 0x31C3.
uint16_t Crc16(absl::string_view data);

// The part of `key` that is hashed: the text between the first '{' and the
// first '}' after it, if that text is non-empty; otherwise the whole key.
absl::string_view HashTag(absl::string_view key);

// The cluster slot of `key`, in [0, kClusterSlots).
int KeySlot(absl::string_view key);

}  // namespace openencoder::redis

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_KEY_SLOT_H_
