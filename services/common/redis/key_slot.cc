#include "services/common/redis/key_slot.h"

namespace openencoder::redis {

uint16_t Crc16(absl::string_view data) {
  // Bitwise rather than table-driven: keys are short and this is not on a
  // hot path until Cluster routing exists; it can become a table then.
  uint16_t crc = 0;
  for (unsigned char byte : data) {
    crc ^= static_cast<uint16_t>(byte) << 8;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

absl::string_view HashTag(absl::string_view key) {
  const size_t open = key.find('{');
  if (open == absl::string_view::npos) return key;
  const size_t close = key.find('}', open + 1);
  // "{}" (empty tag) or no closing brace: the spec hashes the whole key.
  if (close == absl::string_view::npos || close == open + 1) return key;
  return key.substr(open + 1, close - open - 1);
}

int KeySlot(absl::string_view key) { return Crc16(HashTag(key)) & (kClusterSlots - 1); }

}  // namespace openencoder::redis
