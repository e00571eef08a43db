#include "services/account/client_network.h"

#include <arpa/inet.h>

#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace openencoder::account {

std::string ClientNetwork(absl::string_view address) {
  if (address.empty()) return "-";
  const std::string text(address.substr(0, 64));
  unsigned char v4[4];
  unsigned char v6[16];
  if (inet_pton(AF_INET, text.c_str(), v4) == 1) {
    return absl::StrFormat("4:%d.%d.%d", v4[0], v4[1], v4[2]);
  }
  if (inet_pton(AF_INET6, text.c_str(), v6) == 1) {
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(v6, kMapped, sizeof kMapped) == 0) {
      return absl::StrFormat("4:%d.%d.%d", v6[12], v6[13], v6[14]);
    }
    return absl::StrCat(
        "6:", absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(v6), 8)));
  }
  return absl::StrCat("x:", text);
}

}  // namespace openencoder::account
