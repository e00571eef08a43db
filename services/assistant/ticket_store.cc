#include "services/assistant/ticket_store.h"

#include <sodium.h>

#include <string>

namespace openencoder::assistant {

std::string TicketIdFor(absl::string_view message_id) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(message_id.data()),
                     message_id.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 16; ++i) {
    id.push_back(kHex[digest[i] >> 4]);
    id.push_back(kHex[digest[i] & 15]);
  }
  return id;
}

}  // namespace openencoder::assistant
