#include "services/common/tls.h"

#include <arpa/inet.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/base/call_once.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "services/common/log.h"
#include "services/common/method_acl.h"
#include "services/common/settings.h"

namespace openencoder::common {
namespace {

constexpr char kHowToFix[] =
    "set OE_TLS_DIR to a folder with ca.crt, tls.crt and tls.key (scripts/make-certs DIR makes "
    "them), or OE_INSECURE=1 for plaintext while debugging locally";

ABSL_CONST_INIT absl::Mutex identity_mutex(absl::kConstInit);
std::string* default_identity ABSL_GUARDED_BY(identity_mutex) = nullptr;

bool IsFile(const std::string& path) { return std::ifstream(path).good(); }

absl::StatusOr<std::string> ReadPem(const std::string& path, const char* what) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return absl::FailedPreconditionError(absl::StrCat("cannot read the TLS ", what, " ", path));
  }
  if (text.str().find("-----BEGIN") == std::string::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat("the TLS ", what, " ", path, " is missing or not PEM; ", kHowToFix));
  }
  return text.str();
}

struct Pems {
  std::string ca, cert, key;
};

absl::StatusOr<Pems> LoadPems(absl::string_view identity) {
  absl::StatusOr<TlsFiles> files = TlsFilesFor(identity);
  if (!files.ok()) return files.status();
  Pems pems;
  absl::StatusOr<std::string> ca = ReadPem(files->ca_file, "CA certificate");
  if (!ca.ok()) return ca.status();
  absl::StatusOr<std::string> cert = ReadPem(files->cert_file, "certificate");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPem(files->key_file, "private key");
  if (!key.ok()) return key.status();
  return Pems{*std::move(ca), *std::move(cert), *std::move(key)};
}

bool IsIpLiteral(absl::string_view host) {
  std::string h(absl::StripSuffix(absl::StripPrefix(host, "["), "]"));
  unsigned char buf[16];
  return inet_pton(AF_INET, h.c_str(), buf) == 1 || inet_pton(AF_INET6, h.c_str(), buf) == 1;
}

}  // namespace

void SetDefaultTlsIdentity(absl::string_view identity) {
  absl::MutexLock lock(&identity_mutex);
  delete default_identity;
  default_identity = new std::string(identity);
}

std::string DefaultTlsIdentity() {
  absl::MutexLock lock(&identity_mutex);
  return default_identity == nullptr ? "" : *default_identity;
}

bool InsecureTransport() {
  static const bool insecure = [] {
    const char* value = std::getenv("OE_INSECURE");
    bool on = value != nullptr && std::string(value) == "1";
    if (on) {
      LogWarning(
          "OE_INSECURE=1: internal calls are PLAINTEXT and UNAUTHENTICATED; any process that "
          "reaches a port can call every method. For local debugging only, never deploy it");
    }
    return on;
  }();
  return insecure;
}

absl::StatusOr<TlsFiles> TlsFilesFor(absl::string_view identity) {
  std::string id = identity.empty() ? DefaultTlsIdentity() : std::string(identity);
  std::string dir = Setting("", "OE_TLS_DIR", "");
  // One identity's folder, or the folder of all of them (make-certs' layout),
  // where a name that is no identity (a test's server) gets the default's.
  for (const std::string& sub : {id, DefaultTlsIdentity()}) {
    if (!dir.empty() && !sub.empty() && IsFile(absl::StrCat(dir, "/", sub, "/tls.crt"))) {
      dir = absl::StrCat(dir, "/", sub);
      break;
    }
  }
  auto in_dir = [&dir](const char* name) {
    return dir.empty() ? std::string() : absl::StrCat(dir, "/", name);
  };
  TlsFiles files{Setting("", "OE_TLS_CA", in_dir("ca.crt")),
                 Setting("", "OE_TLS_CERT", in_dir("tls.crt")),
                 Setting("", "OE_TLS_KEY", in_dir("tls.key"))};
  if (files.ca_file.empty() || files.cert_file.empty() || files.key_file.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no TLS certificate for identity \"", id,
                     "\" (internal calls are mutual TLS): ", kHowToFix));
  }
  return files;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    absl::string_view identity) {
  if (InsecureTransport()) return grpc::InsecureServerCredentials();
  absl::StatusOr<Pems> pems = LoadPems(identity);
  if (!pems.ok()) return pems.status();
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = pems->ca;
  options.pem_key_cert_pairs.push_back({pems->key, pems->cert});
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::SslServerCredentials(options);
  credentials->SetAuthMetadataProcessor(std::make_shared<MethodAclProcessor>());
  return credentials;
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    absl::string_view identity) {
  if (InsecureTransport()) return grpc::InsecureChannelCredentials();
  absl::StatusOr<Pems> pems = LoadPems(identity);
  if (!pems.ok()) return pems.status();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = pems->ca;
  options.pem_private_key = pems->key;
  options.pem_cert_chain = pems->cert;
  return grpc::SslCredentials(options);
}

std::string ExpectedServerName(absl::string_view targets, absl::string_view server_identity) {
  if (!server_identity.empty()) return std::string(server_identity);
  absl::string_view first = targets.substr(0, targets.find(','));
  first = absl::StripAsciiWhitespace(first);
  for (absl::string_view scheme : {"ipv4:", "ipv6:"}) {
    if (absl::ConsumePrefix(&first, scheme)) return "localhost";
  }
  absl::ConsumePrefix(&first, "dns:///");
  absl::string_view host = first.substr(0, first.rfind(':'));
  if (host == "localhost" || IsIpLiteral(host)) return "localhost";
  return "";
}

std::shared_ptr<grpc::ChannelCredentials> ChannelCredentialsFor(absl::string_view targets,
                                                                absl::string_view client_identity,
                                                                absl::string_view server_identity,
                                                                grpc::ChannelArguments* args) {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      MakeChannelCredentials(client_identity);
  if (!credentials.ok()) {
    LogError("channel without TLS credentials: its calls will fail",
             {{"targets", std::string(targets)}, {"error", credentials.status().ToString()}});
    return grpc::InsecureChannelCredentials();
  }
  std::string name = ExpectedServerName(targets, server_identity);
  if (!name.empty() && !InsecureTransport()) args->SetSslTargetNameOverride(name);
  return *std::move(credentials);
}

std::string PeerIdentity(const grpc::AuthContext& auth) {
  if (!auth.IsPeerAuthenticated()) return "";
  std::vector<grpc::string_ref> names = auth.FindPropertyValues("x509_common_name");
  if (names.empty()) return "";
  return std::string(names.front().data(), names.front().size());
}

}  // namespace openencoder::common
