// The gateway's pipeline and pure units, without sockets or backends.
#include "services/gateway/gateway.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "services/gateway/account_routes.h"
#include "services/gateway/backends.h"
#include "services/gateway/code_routes.h"
#include "services/gateway/jobs_routes.h"
#include "services/gateway/proto_json.h"
#include "services/gateway/router.h"
#include "services/gateway/search_routes.h"
#include "services/gateway/static_files.h"

namespace openencoder::gateway {
namespace {

std::vector<Route> AllRoutes(Backends& b) {
  std::vector<Route> routes;
  for (auto* area : {&SearchRoutes, &CodeRoutes, &AccountRoutes, &JobsRoutes}) {
    for (Route& r : (*area)(b)) routes.push_back(std::move(r));
  }
  return routes;
}

class GatewayTest : public ::testing::Test {
 protected:
  // Nothing listens on port 1: every backend call fails fast with UNAVAILABLE.
  GatewayTest()
      : backends_(ConnectBackends({"127.0.0.1:1", "127.0.0.1:1", "127.0.0.1:1", "127.0.0.1:1"},
                                  absl::Seconds(2))),
        gateway_(GatewayOptions{.access_log = false}, AllRoutes(backends_), nullptr) {}
  Backends backends_;
  Gateway gateway_;
};

HttpRequest Get(std::string path) {
  HttpRequest r;
  r.method = "GET";
  r.path = std::move(path);
  r.client_address = "127.0.0.1";
  r.headers["host"] = "127.0.0.1:8080";
  return r;
}

TEST(RouterTest, MatchesTemplatesAndCollectsParameters) {
  Params p;
  EXPECT_TRUE(MatchPath("/api/v1/codes/{code}", "/api/v1/codes/E11.9", &p));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0], (std::pair<std::string, std::string>("code", "E11.9")));
  EXPECT_FALSE(MatchPath("/api/v1/codes/{code}", "/api/v1/codes", nullptr));
  EXPECT_FALSE(MatchPath("/api/v1/codes/{code}", "/api/v1/codes/a/b", nullptr));
  EXPECT_TRUE(MatchPath("/api/v1/search", "/api/v1/search/", nullptr));
  EXPECT_EQ(PathParamNames("/a/{x}/b/{y}"), (std::vector<std::string>{"x", "y"}));
}

TEST(ProtoJsonTest, QueryParametersFillNestedRepeatedAndEnumFields) {
  search::v1::SearchRequest req;
  ASSERT_TRUE(SetFieldsFromParams({{"query", "heart attack"},
                                   {"pageSize", "5"},
                                   {"filters.systems", "ICD10CM"},
                                   {"filters.systems", "CODE_SYSTEM_HCPCS"},
                                   {"filters.billable_only", "true"}},
                                  &req)
                  .ok());
  EXPECT_EQ(req.query(), "heart attack");
  EXPECT_EQ(req.page_size(), 5);
  ASSERT_EQ(req.filters().systems_size(), 2);
  EXPECT_EQ(req.filters().systems(0), catalogue::v1::CODE_SYSTEM_ICD10CM);
  EXPECT_EQ(req.filters().systems(1), catalogue::v1::CODE_SYSTEM_HCPCS);
  EXPECT_TRUE(req.filters().billable_only());
}

TEST(ProtoJsonTest, BadParametersAreNamedInTheError) {
  search::v1::SearchRequest req;
  absl::Status s = SetFieldsFromParams({{"pageSize", "many"}}, &req);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("pageSize"), absl::string_view::npos);
  EXPECT_FALSE(SetFieldsFromParams({{"nope", "1"}}, &req).ok());
  EXPECT_FALSE(SetFieldsFromParams({{"filters.systems", "MARS"}}, &req).ok());
}

TEST(ProtoJsonTest, ClientsCannotSetGatewayOwnedFields) {
  catalogue::v1::GetCodePageRequest page;
  EXPECT_FALSE(SetFieldsFromParams({{"session_token", "stolen"}}, &page).ok());
  account::v1::RegisterRequest reg;
  ASSERT_TRUE(ParseJsonBody(R"({"email":"a@b.c","guestSessionToken":"stolen"})", &reg).ok());
  SetGatewayFields({"cookie-token", "10.0.0.1", "ua", "rid"}, &reg);
  EXPECT_EQ(reg.guest_session_token(), "cookie-token");
  EXPECT_EQ(reg.client_address(), "10.0.0.1");
}

TEST(ProtoJsonTest, SessionTokensNeverLeaveInResponses) {
  account::v1::LoginResponse resp;
  resp.mutable_session()->set_token("secret");
  resp.mutable_session()->set_session_id("s1");
  ClearSecretFields(&resp);
  std::string json = ToJson(resp);
  EXPECT_EQ(json.find("secret"), std::string::npos);
  EXPECT_NE(json.find("\"sessionId\":\"s1\""), std::string::npos);
}

// The clearing plan is worked out once per message type: every hit of a
// repeated field is cleared, each time, and what is not gated stays.
TEST(ProtoJsonTest, GatedFieldsAreClearedInEveryHitOfEveryResponse) {
  for (int round = 0; round < 2; ++round) {
    search::v1::SearchResponse resp;
    for (const char* code : {"I21.3", "I21.9"}) {
      search::v1::SearchHit* hit = resp.add_hits();
      hit->set_code(code);
      hit->set_plain_language("gated text");
    }
    ClearGatedFields(&resp);
    ClearSecretFields(&resp);
    ASSERT_EQ(resp.hits_size(), 2);
    for (const search::v1::SearchHit& hit : resp.hits()) {
      EXPECT_EQ(hit.plain_language(), "") << "round " << round;
      EXPECT_FALSE(hit.code().empty());
    }
  }
}

// A recursive type (Struct holds Values that hold Structs) gets a plan too.
TEST(ProtoJsonTest, ClearingARecursiveTypeEnds) {
  google::protobuf::Struct s;
  (*(*s.mutable_fields())["a"].mutable_struct_value()->mutable_fields())["b"].set_string_value("c");
  ClearSecretFields(&s);
  ClearGatedFields(&s);
  EXPECT_EQ(s.fields().at("a").struct_value().fields().at("b").string_value(), "c");
}

TEST(ProtoJsonTest, MalformedBodiesAreInvalidArgument) {
  account::v1::LoginRequest req;
  EXPECT_EQ(ParseJsonBody("{not json", &req).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseJsonBody(R"({"emial":"x"})", &req).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ParseJsonBody("", &req).ok());
}

TEST(StaticFilesTest, ServesGzipWhenAcceptedAndHonoursETags) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "oe_gateway_static_test";
  std::filesystem::create_directories(dir);
  std::string html = "<!doctype html>" + std::string(2000, 'x');
  std::ofstream(dir / "index.html") << html;
  auto files = StaticFiles::Load(dir.string());
  ASSERT_TRUE(files.ok()) << files.status();
  auto plain = files->Serve("/", "", "");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->body, html);
  EXPECT_EQ(plain->content_type, "text/html; charset=utf-8");
  auto gz = files->Serve("/index.html", "br, gzip;q=0.8", "");
  ASSERT_TRUE(gz.has_value());
  EXPECT_EQ(gz->HeaderValue("Content-Encoding"), "gzip");
  EXPECT_LT(gz->body.size(), html.size());
  // It really is gzip of the file.
  std::string out(html.size() + 16, '\0');
  z_stream zs{};
  ASSERT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(gz->body.data());
  zs.avail_in = static_cast<uInt>(gz->body.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  EXPECT_EQ(out, html);
  auto refused = files->Serve("/index.html", "gzip;q=0", "");
  EXPECT_EQ(refused->HeaderValue("Content-Encoding"), "");
  auto cached = files->Serve("/index.html", "", plain->HeaderValue("ETag"));
  EXPECT_EQ(cached->status, 304);
  EXPECT_FALSE(files->Serve("/../etc/passwd", "", "").has_value());
  std::filesystem::remove_all(dir);
}

TEST_F(GatewayTest, EveryRouteIsInTheOpenApiDocument) {
  google::protobuf::Struct doc;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(gateway_.openapi_json(), &doc).ok())
      << "the OpenAPI document is not valid JSON";
  EXPECT_EQ(doc.fields().at("openapi").string_value(), "3.0.3");
  const auto& paths = doc.fields().at("paths").struct_value().fields();
  ASSERT_GE(gateway_.routes().size(), 30u);
  for (const Route& r : gateway_.routes()) {
    auto p = paths.find(r.spec.path);
    ASSERT_NE(p, paths.end()) << r.spec.path << " is not documented";
    std::string method = r.spec.method;
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    EXPECT_TRUE(p->second.struct_value().fields().contains(method))
        << r.spec.method << " " << r.spec.path << " is not documented";
  }
  // Session tokens are not part of the public API.
  EXPECT_EQ(gateway_.openapi_json().find("sessionToken"), std::string::npos);
}

TEST_F(GatewayTest, ServesTheOpenApiDocumentAndHealth) {
  HttpResponse doc = gateway_.Handle(Get("/openapi.json"));
  EXPECT_EQ(doc.status, 200);
  EXPECT_EQ(doc.body, gateway_.openapi_json());
  EXPECT_EQ(gateway_.Handle(Get("/healthz")).status, 200);
}

TEST_F(GatewayTest, UnknownPathIs404AndWrongMethodIs405WithJsonBodies) {
  HttpResponse missing = gateway_.Handle(Get("/api/v1/nothing"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("\"status\":\"NOT_FOUND\""), std::string::npos);
  HttpRequest del = Get("/api/v1/search");
  del.method = "PUT";
  EXPECT_EQ(gateway_.Handle(del).status, 405);
}

TEST_F(GatewayTest, StateChangingRequestWithoutCsrfTokenIs403BeforeAnyBackendCall) {
  HttpRequest post = Get("/api/v1/account/login");
  post.method = "POST";
  post.body = R"({"email":"a@b.c","password":"x"})";
  post.headers["origin"] = "http://127.0.0.1:8080";
  HttpResponse r = gateway_.Handle(post);
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("security token"), std::string::npos);
}

TEST_F(GatewayTest, ServiceDownIs503WithRetryAfterAndRequestIdEchoed) {
  HttpRequest req = Get("/api/v1/search");
  req.query = {{"query", "heart"}};
  req.headers["x-request-id"] = "trace-123";
  HttpResponse r = gateway_.Handle(req);
  EXPECT_EQ(r.status, 503);
  EXPECT_FALSE(r.HeaderValue("Retry-After").empty());
  EXPECT_EQ(r.HeaderValue("X-Request-Id"), "trace-123");
  EXPECT_NE(r.body.find("\"requestId\":\"trace-123\""), std::string::npos);
}

TEST_F(GatewayTest, UnacceptableRequestIdsAreReplaced) {
  HttpRequest req = Get("/healthz");
  req.headers["x-request-id"] = "bad id\"with quotes";
  HttpResponse r = gateway_.Handle(req);
  EXPECT_NE(r.HeaderValue("X-Request-Id"), "bad id\"with quotes");
  EXPECT_EQ(r.HeaderValue("X-Request-Id").size(), 32u);
}

TEST_F(GatewayTest, BadQueryParameterIs400NotABackendCall) {
  HttpRequest req = Get("/api/v1/search");
  req.query = {{"pageSize", "lots"}};
  HttpResponse r = gateway_.Handle(req);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("pageSize"), std::string::npos);
}

}  // namespace
}  // namespace openencoder::gateway
