// Mutual TLS for every internal call, with gRPC's own SSL credentials: each
// process holds one certificate of the deployment's small CA whose common
// name is its identity (catalogue, search, account, jobs, assistant, gateway,
// operator), servers require and verify the caller's certificate, and clients
// verify the server's. scripts/make-certs makes the CA and certificates; the
// local runner, compose, Kubernetes and the tests (tests/support) all use it.
//
// Settings (environment; file names are cert-manager's Secret keys):
//   OE_TLS_DIR   a folder with ca.crt, tls.crt, tls.key; or a folder with one
//                such sub-folder per identity (what scripts/make-certs makes),
//                from which a process takes <identity>/ (or the default
//                identity's when there is none of that name)
//   OE_TLS_CA, OE_TLS_CERT, OE_TLS_KEY   single files, each overriding the
//                folder's
//   OE_INSECURE=1   plaintext everywhere, for local debugging only: logged
//                as a warning by every server and channel that uses it.
// Certificates are read when a server or channel is made: rotation is new
// files and a restart.
//
// Which methods answer to which identity is method_acl.h.
#ifndef OPENENCODER_SERVICES_COMMON_TLS_H_
#define OPENENCODER_SERVICES_COMMON_TLS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace openencoder::common {

struct TlsFiles {
  std::string ca_file;    // PEM roots that peers' certificates must chain to
  std::string cert_file;  // this identity's certificate (chain)
  std::string key_file;   // its private key
};

// Where `identity`'s files are (see the settings above). An empty identity
// is DefaultTlsIdentity(). Errors: FAILED_PRECONDITION naming the settings
// when none is set or a file is missing.
absl::StatusOr<TlsFiles> TlsFilesFor(absl::string_view identity);

// True when OE_INSECURE=1 (plaintext). Logs the warning once per process.
bool InsecureTransport();

// The identity a process presents when the code names none: the service name
// for servers (InitServerProcess sets it), "gateway" for the gateway, and
// "gateway" for test processes (tests/support). Thread-safe.
void SetDefaultTlsIdentity(absl::string_view identity);
std::string DefaultTlsIdentity();

// Server credentials of `identity` that require a client certificate of the
// CA and check each call against the method table (method_acl.h); plaintext
// under OE_INSECURE=1. Errors: TlsFilesFor's, or a file that cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    absl::string_view identity = "");

// Channel credentials presenting `identity`'s certificate; plaintext under
// OE_INSECURE=1. Errors as MakeServerCredentials.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    absl::string_view identity = "");

// The name a server's certificate must carry for a channel to `targets`
// (client.h): `server_identity` when given; "localhost" for IP literals and
// localhost (every certificate carries it, so loopback tests and tools need
// no name); otherwise "" (the target's own host name is checked).
std::string ExpectedServerName(absl::string_view targets, absl::string_view server_identity);

// What MakeChannel (client.h) uses: `client_identity`'s credentials, with
// the expected server name set in `args`. When the certificates cannot be
// read it logs why and returns plaintext credentials, so every call fails
// UNAVAILABLE against a TLS server (servers refuse to start instead).
std::shared_ptr<grpc::ChannelCredentials> ChannelCredentialsFor(absl::string_view targets,
                                                                absl::string_view client_identity,
                                                                absl::string_view server_identity,
                                                                grpc::ChannelArguments* args);

// The caller's identity on a TLS connection: its certificate's common name;
// "" on a plaintext one.
std::string PeerIdentity(const grpc::AuthContext& auth);

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_TLS_H_
