// The network a client address belongs to, for abuse limits that must not
// punish an office behind one NAT address, nor let one person rotate through
// the addresses of a home IPv6 prefix: IPv4 addresses count per /24, IPv6
// per /64 (what one customer is usually given).
#ifndef OPENENCODER_SERVICES_ACCOUNT_CLIENT_NETWORK_H_
#define OPENENCODER_SERVICES_ACCOUNT_CLIENT_NETWORK_H_

#include <string>

#include "absl/strings/string_view.h"

namespace openencoder::account {

// "4:192.0.2" for 192.0.2.77, "6:20010db8000000a1" for 2001:db8:0:a1::5
// (an IPv4-mapped IPv6 address counts as IPv4). Something that is not an IP
// address becomes "x:" + its first 64 characters; empty becomes "-".
std::string ClientNetwork(absl::string_view address);

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_CLIENT_NETWORK_H_
