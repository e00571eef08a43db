// Who is on the other end, as far as abuse limits need to know:
//
//   ClientAddress  the peer's address, or the client's from X-Forwarded-For
//                  when (and only when) the peer is a trusted proxy. The
//                  header is read right to left, skipping trusted proxies, so
//                  a client cannot put a made-up address in front of the
//                  real one.
//   DeviceCookie   oe_device = "<128-bit id>.<HMAC-SHA-256 tag>", a signed
//                  first-party cookie (HttpOnly, SameSite=Lax, one year) that
//                  lets the account service cap guest sessions and
//                  registrations per browser instead of per office address.
//                  A forged or altered value is ignored and replaced.
#ifndef OPENENCODER_SERVICES_GATEWAY_CLIENT_IDENTITY_H_
#define OPENENCODER_SERVICES_GATEWAY_CLIENT_IDENTITY_H_

#include <sodium.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace openencoder::gateway {

inline constexpr char kDeviceCookie[] = "oe_device";

// An IPv4 or IPv6 network, e.g. "10.0.0.0/8", "fd00::/8", "127.0.0.1".
class Cidr {
 public:
  // INVALID_ARGUMENT for anything that is not an address with an optional
  // prefix length.
  static absl::StatusOr<Cidr> Parse(absl::string_view text);
  bool Contains(absl::string_view address) const;

 private:
  int family_ = 0;
  unsigned char bytes_[16] = {};
  int prefix_ = 0;
};

// Comma-separated networks ("10.0.0.0/8, 192.168.0.0/16"); INVALID_ARGUMENT
// names the first that does not parse.
absl::StatusOr<std::vector<Cidr>> ParseCidrList(absl::string_view text);

// The client address: `peer`, or the rightmost X-Forwarded-For entry that is
// not a trusted proxy when `peer` is one.
std::string ClientAddress(absl::string_view peer, absl::string_view forwarded_for,
                          const std::vector<Cidr>& trusted_proxies);

// Signs and checks device ids with a 32-byte key (OE_GATEWAY_DEVICE_KEY;
// random per process when unset, so ids then last until a restart).
class DeviceSigner {
 public:
  // `key` must be 32 bytes; empty: a random key.
  explicit DeviceSigner(std::string key = "");
  // A new cookie value; its device id in `id` when given (what IdOf would
  // say, without checking the tag just made).
  std::string NewValue(std::string* id = nullptr) const;
  // The device id of a value this signer made, or "" for anything else.
  std::string IdOf(absl::string_view value) const;

 private:
  std::string Tag(absl::string_view id) const;
  std::string key_;
  // HMAC-SHA256 keyed with key_ and nothing hashed yet: each tag copies it
  // instead of hashing the key's two pads again (half the compressions).
  crypto_auth_hmacsha256_state keyed_;
};

// The Set-Cookie value for a device cookie.
std::string DeviceCookie(absl::string_view value, bool secure);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_CLIENT_IDENTITY_H_
