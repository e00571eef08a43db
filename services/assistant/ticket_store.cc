#include "services/assistant/ticket_store.h"

#include <sodium.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

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

bool SameAddress(absl::string_view from, absl::string_view email) {
  const size_t open = from.rfind('<');
  if (open != absl::string_view::npos) {
    const size_t close = from.find('>', open);
    from = from.substr(open + 1, close == absl::string_view::npos ? close : close - open - 1);
  }
  from = absl::StripAsciiWhitespace(from);
  email = absl::StripAsciiWhitespace(email);
  return !email.empty() && absl::EqualsIgnoreCase(from, email);
}

}  // namespace openencoder::assistant
