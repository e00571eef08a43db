// The client address behind trusted proxies and the signed device cookie.
#include "services/gateway/client_identity.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "absl/strings/escaping.h"

namespace openencoder::gateway {
namespace {

TEST(ClientAddressTest, ForwardedForIsBelievedOnlyFromATrustedProxy) {
  const std::vector<Cidr> proxies = *ParseCidrList("10.0.0.0/8, fd00::/8");
  EXPECT_EQ(ClientAddress("203.0.113.9", "198.51.100.1", proxies), "203.0.113.9");
  EXPECT_EQ(ClientAddress("10.1.2.3", "198.51.100.1", proxies), "198.51.100.1");
  // Right to left past the trusted hops; a made-up leftmost entry is ignored.
  EXPECT_EQ(ClientAddress("10.1.2.3", "6.6.6.6, 198.51.100.1, 10.9.9.9", proxies), "198.51.100.1");
  EXPECT_EQ(ClientAddress("fd00::1", "2001:db8::7", proxies), "2001:db8::7");
  EXPECT_EQ(ClientAddress("10.1.2.3", "", proxies), "10.1.2.3");
  EXPECT_EQ(ClientAddress("10.1.2.3", "198.51.100.1", {}), "10.1.2.3");
}

TEST(ClientAddressTest, CidrParsesAndMatches) {
  EXPECT_FALSE(Cidr::Parse("not-an-address").ok());
  EXPECT_FALSE(Cidr::Parse("10.0.0.0/33").ok());
  const Cidr net = *Cidr::Parse("192.168.16.0/20");
  EXPECT_TRUE(net.Contains("192.168.31.255"));
  EXPECT_FALSE(net.Contains("192.168.32.0"));
  EXPECT_TRUE(Cidr::Parse("127.0.0.1")->Contains("::ffff:127.0.0.1"));
}

TEST(DeviceSignerTest, OnlyItsOwnUnalteredValuesHaveAnId) {
  DeviceSigner signer(std::string(32, 'k'));
  const std::string value = signer.NewValue();
  const std::string id = signer.IdOf(value);
  EXPECT_EQ(id.size(), 22u);
  EXPECT_EQ(DeviceSigner(std::string(32, 'k')).IdOf(value), id) << "same key, other replica";
  EXPECT_EQ(DeviceSigner(std::string(32, 'x')).IdOf(value), "");
  std::string altered = value;
  altered[0] = altered[0] == 'A' ? 'B' : 'A';
  EXPECT_EQ(signer.IdOf(altered), "");
  EXPECT_EQ(signer.IdOf("garbage"), "");
  EXPECT_NE(signer.NewValue(), value);
}

// The tag is HMAC-SHA256(key, id) cut to 16 bytes, so cookies made before
// the keyed state was kept (one-shot HMAC) stay valid.
TEST(DeviceSignerTest, TheTagIsTheHmacOfTheIdAsBefore) {
  const std::string key(32, 'k');
  const std::string id = "AAAAAAAAAAAAAAAAAAAAAA";
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(id.data()), id.size(),
                         reinterpret_cast<const unsigned char*>(key.data()));
  std::string tag;
  absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<const char*>(mac), 16), &tag);
  DeviceSigner signer(key);
  EXPECT_EQ(signer.IdOf(id + "." + tag), id);
  EXPECT_EQ(signer.IdOf(id + "." + tag), id) << "the kept state is not used up";
}

TEST(DeviceSignerTest, NewValueNamesTheIdThatIdOfFinds) {
  DeviceSigner signer(std::string(32, 'k'));
  std::string id;
  const std::string value = signer.NewValue(&id);
  EXPECT_EQ(id.size(), 22u);
  EXPECT_EQ(signer.IdOf(value), id);
}

}  // namespace
}  // namespace openencoder::gateway
