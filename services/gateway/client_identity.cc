#include "services/gateway/client_identity.h"

#include <arpa/inet.h>
#include <sodium.h>

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/secure_random.h"

namespace openencoder::gateway {
namespace {

// Parses an address; returns the family (AF_INET/AF_INET6) or 0. An
// IPv4-mapped IPv6 address is read as IPv4.
int ParseAddress(absl::string_view text, unsigned char out[16]) {
  std::string s(absl::StripAsciiWhitespace(text));
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  if (inet_pton(AF_INET, s.c_str(), out) == 1) return AF_INET;
  if (inet_pton(AF_INET6, s.c_str(), out) == 1) {
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(out, kMapped, sizeof kMapped) == 0) {
      std::memmove(out, out + 12, 4);
      return AF_INET;
    }
    return AF_INET6;
  }
  return 0;
}

std::string Base64Url(const unsigned char* data, size_t n) {
  std::string out;
  absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<const char*>(data), n), &out);
  return out;
}

}  // namespace

absl::StatusOr<Cidr> Cidr::Parse(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  Cidr c;
  std::pair<absl::string_view, absl::string_view> parts = absl::StrSplit(text, '/');
  c.family_ = ParseAddress(parts.first, c.bytes_);
  const int bits = c.family_ == AF_INET ? 32 : 128;
  c.prefix_ = bits;
  if (c.family_ == 0 || (!parts.second.empty() && (!absl::SimpleAtoi(parts.second, &c.prefix_) ||
                                                   c.prefix_ < 0 || c.prefix_ > bits))) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an address or network (e.g. 10.0.0.0/8): ", text));
  }
  return c;
}

bool Cidr::Contains(absl::string_view address) const {
  unsigned char a[16] = {};
  if (ParseAddress(address, a) != family_) return false;
  const int whole = prefix_ / 8;
  if (std::memcmp(a, bytes_, whole) != 0) return false;
  const int rest = prefix_ % 8;
  if (rest == 0) return true;
  const unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (a[whole] & mask) == (bytes_[whole] & mask);
}

absl::StatusOr<std::vector<Cidr>> ParseCidrList(absl::string_view text) {
  std::vector<Cidr> out;
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    absl::StatusOr<Cidr> c = Cidr::Parse(part);
    if (!c.ok()) return c.status();
    out.push_back(*c);
  }
  return out;
}

std::string ClientAddress(absl::string_view peer, absl::string_view forwarded_for,
                          const std::vector<Cidr>& trusted_proxies) {
  auto trusted = [&](absl::string_view a) {
    for (const Cidr& c : trusted_proxies) {
      if (c.Contains(a)) return true;
    }
    return false;
  };
  if (forwarded_for.empty() || !trusted(peer)) return std::string(peer);
  std::vector<absl::string_view> hops = absl::StrSplit(forwarded_for, ',');
  std::string client(peer);
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    absl::string_view hop = absl::StripAsciiWhitespace(*it);
    unsigned char scratch[16];
    if (ParseAddress(hop, scratch) == 0) break;  // garbage: stop at the last good hop
    client = std::string(hop);
    if (!trusted(hop)) break;
  }
  return client;
}

DeviceSigner::DeviceSigner(std::string key) : key_(std::move(key)) {
  if (key_.size() != crypto_auth_hmacsha256_KEYBYTES) {
    key_.assign(crypto_auth_hmacsha256_KEYBYTES, '\0');
    randombytes_buf(key_.data(), key_.size());
  }
  crypto_auth_hmacsha256_init(&keyed_, reinterpret_cast<const unsigned char*>(key_.data()),
                              key_.size());
}

std::string DeviceSigner::Tag(absl::string_view id) const {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state = keyed_;
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(id.data()),
                                id.size());
  crypto_auth_hmacsha256_final(&state, mac);
  sodium_memzero(&state, sizeof state);
  return Base64Url(mac, 16);  // 128 bits of tag is plenty for a rate-limit key
}

std::string DeviceSigner::NewValue(std::string* id_out) const {
  unsigned char raw[16];
  common::SecureRandomBytes(raw, sizeof raw);
  const std::string id = Base64Url(raw, sizeof raw);
  std::string value = absl::StrCat(id, ".", Tag(id));
  if (id_out != nullptr) *id_out = id;
  return value;
}

std::string DeviceSigner::IdOf(absl::string_view value) const {
  const size_t dot = value.find('.');
  if (dot == absl::string_view::npos || dot != 22 || value.size() != 22 + 1 + 22) return "";
  const absl::string_view id = value.substr(0, dot);
  const std::string expected = Tag(id);
  const absl::string_view tag = value.substr(dot + 1);
  if (sodium_memcmp(expected.data(), tag.data(), expected.size()) != 0) return "";
  return std::string(id);
}

std::string DeviceCookie(absl::string_view value, bool secure) {
  return absl::StrCat(kDeviceCookie, "=", value, "; Max-Age=31536000; Path=/; HttpOnly",
                      "; SameSite=Lax", secure ? "; Secure" : "");
}

}  // namespace openencoder::gateway
