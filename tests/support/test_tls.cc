#include "tests/support/test_tls.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "services/common/tls.h"
#include "tests/support/source_paths.h"

namespace openencoder::test_support {
namespace {

std::string* certificate_dir = nullptr;

void RemoveCertificates() {
  if (certificate_dir == nullptr) return;
  std::error_code ignored;
  std::filesystem::remove_all(*certificate_dir, ignored);
}

bool IsSet(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0';
}

}  // namespace

absl::Status UseThrowAwayCertificates() {
  // A test process presents the gateway's certificate unless a channel
  // names another: most tests stand where the gateway stands.
  common::SetDefaultTlsIdentity("gateway");
  if (certificate_dir != nullptr || IsSet("OE_TLS_DIR") || IsSet("OE_TLS_CERT")) {
    return absl::OkStatus();
  }
  if (IsSet("OE_INSECURE") && std::string(std::getenv("OE_INSECURE")) == "1") {
    return absl::OkStatus();
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "oe-test-tls-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("cannot make a temporary folder ", pattern));
  }
  std::string command =
      absl::StrCat("'", SourcePath("scripts/make-certs"), "' '", pattern, "/certs'");
  if (std::system(command.c_str()) != 0) {
    std::filesystem::remove_all(pattern);
    return absl::InternalError(absl::StrCat(command, " failed (openssl missing?)"));
  }
  certificate_dir = new std::string(pattern);
  std::atexit(RemoveCertificates);
  setenv("OE_TLS_DIR", absl::StrCat(pattern, "/certs").c_str(), 1);
  return absl::OkStatus();
}

std::string ThrowAwayCertificateDir() {
  return certificate_dir == nullptr ? "" : absl::StrCat(*certificate_dir, "/certs");
}

}  // namespace openencoder::test_support
