// GatewayConfig::FromSettings: the defaults, every kind of setting read from
// the environment, and the refusals that name the setting to fix.
#include "services/gateway/gateway_config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace openencoder::gateway {
namespace {

// Sets environment variables for one test and removes them after it.
class GatewayConfigTest : public ::testing::Test {
 protected:
  void Set(const char* name, const std::string& value) {
    setenv(name, value.c_str(), 1);
    names_.push_back(name);
  }
  void TearDown() override {
    for (const char* name : names_) unsetenv(name);
  }

 private:
  std::vector<const char*> names_;
};

TEST_F(GatewayConfigTest, DefaultsAreTheDocumentedOnes) {
  absl::StatusOr<GatewayConfig> c = GatewayConfig::FromSettings();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->http.host, "127.0.0.1");
  EXPECT_EQ(c->http.port, 8080);
  EXPECT_EQ(c->http.threads, 64);
  EXPECT_EQ(c->http.io_threads, 2);
  EXPECT_EQ(c->http.max_queue, 256u);
  EXPECT_EQ(c->http.max_body_bytes, 65536u);
  EXPECT_EQ(c->rpc_timeout, absl::Seconds(3));
  EXPECT_EQ(c->assistant.ask_timeout, absl::Seconds(60));
  EXPECT_EQ(c->assistant.inbound_mail_window, absl::Minutes(5));
  EXPECT_EQ(c->backends.account, "127.0.0.1:50053");
  EXPECT_FALSE(c->gateway.secure_cookies);
  EXPECT_TRUE(c->gateway.trust_forwarded_proto);
  EXPECT_TRUE(c->gateway.access_log);
  EXPECT_TRUE(c->gateway.trusted_proxies.empty());
  EXPECT_TRUE(c->gateway.device_key.empty());
  EXPECT_TRUE(c->assistant.inbound_mail_secret.empty());
  EXPECT_EQ(c->static_dir, "services/gateway/web");
  EXPECT_EQ(c->admin_listen, "127.0.0.1:0");
}

TEST_F(GatewayConfigTest, ReadsEveryKindOfSettingFromTheEnvironment) {
  Set("OE_GATEWAY_LISTEN", "0.0.0.0:9090");
  Set("OE_GATEWAY_THREADS", "8");
  Set("OE_GATEWAY_MAX_BODY", "1024");
  Set("OE_GATEWAY_HEADER_TIMEOUT", "2s");
  Set("OE_GATEWAY_RPC_TIMEOUT", "750ms");
  Set("OE_INBOUND_MAIL_WINDOW", "1m");
  Set("OE_JOBS_ADDR", "jobs:50054");
  Set("OE_GATEWAY_SECURE_COOKIES", "always");
  Set("OE_GATEWAY_ALLOWED_ORIGINS", "https://a.example, https://b.example");
  Set("OE_GATEWAY_ACCESS_LOG", "0");
  Set("OE_GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8");
  Set("OE_GATEWAY_DEVICE_KEY", std::string(64, 'a'));
  Set("OE_INBOUND_MAIL_SECRET", std::string(32, 's'));
  Set("OE_GATEWAY_ADMIN_LISTEN", "off");
  absl::StatusOr<GatewayConfig> c = GatewayConfig::FromSettings();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->http.host, "0.0.0.0");
  EXPECT_EQ(c->http.port, 9090);
  EXPECT_EQ(c->http.threads, 8);
  EXPECT_EQ(c->http.max_body_bytes, 1024u);
  EXPECT_EQ(c->http.header_timeout, absl::Seconds(2));
  EXPECT_EQ(c->rpc_timeout, absl::Milliseconds(750));
  EXPECT_EQ(c->assistant.inbound_mail_window, absl::Minutes(1));
  EXPECT_EQ(c->backends.jobs, "jobs:50054");
  EXPECT_TRUE(c->gateway.secure_cookies);
  EXPECT_FALSE(c->gateway.trust_forwarded_proto);
  EXPECT_EQ(c->gateway.allowed_origins,
            (std::vector<std::string>{"https://a.example", "https://b.example"}));
  EXPECT_FALSE(c->gateway.access_log);
  ASSERT_EQ(c->gateway.trusted_proxies.size(), 1u);
  // A trusted proxy's connections are not capped per network.
  EXPECT_EQ(c->http.uncapped_networks.size(), 1u);
  EXPECT_EQ(c->gateway.device_key, std::string(32, '\xaa'));
  EXPECT_EQ(c->assistant.inbound_mail_secret, std::string(32, 's'));
  EXPECT_EQ(c->admin_listen, "off");
}

TEST_F(GatewayConfigTest, RefusalsNameTheSetting) {
  struct Case {
    const char* name;
    std::string value;
  };
  for (const Case& bad :
       {Case{"OE_GATEWAY_LISTEN", "no-port"}, Case{"OE_GATEWAY_THREADS", "many"},
        Case{"OE_GATEWAY_DRAIN_TIMEOUT", "soon"}, Case{"OE_GATEWAY_SECURE_COOKIES", "sometimes"},
        Case{"OE_GATEWAY_TRUSTED_PROXIES", "10.0.0.0/99"},
        Case{"OE_GATEWAY_DEVICE_KEY", std::string(64, 'z')}}) {
    SCOPED_TRACE(bad.name);
    Set(bad.name, bad.value);
    absl::StatusOr<GatewayConfig> c = GatewayConfig::FromSettings();
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(c.status().message().find(bad.name), std::string::npos) << c.status();
    unsetenv(bad.name);
  }
}

}  // namespace
}  // namespace openencoder::gateway
