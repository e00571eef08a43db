// What the gateway's inbound-mail route needs before it calls
// AssistantService.SubmitEmail: the provider's signature check and the
// mapping of the form it posts. Pure functions; no I/O.
//
// Signature: hex(HMAC-SHA256(secret, timestamp + "." + body)), where
// `timestamp` is the provider's Unix time in seconds (header
// X-OE-Mail-Timestamp) and `body` the raw request body; the signature comes
// in X-OE-Mail-Signature. A request is accepted only when the signature
// matches (compared in constant time) and |now - timestamp| <= window, so a
// captured request cannot be replayed later.
//
// Example (gateway):
//   absl::Status ok = VerifySignature(secret, req.header("X-OE-Mail-Timestamp"),
//                                     req.body, req.header("X-OE-Mail-Signature"),
//                                     absl::Now(), absl::Minutes(5));
//   if (!ok.ok()) { log; reply 401; }
//   absl::StatusOr<SubmitEmailRequest> r = ParseProviderForm(req.body);
//   if (!r.ok()) { log; reply 400; }
//   stub->SubmitEmail(ctx, *r, &response);
#ifndef OPENENCODER_SERVICES_GATEWAY_INBOUND_MAIL_INBOUND_MAIL_H_
#define OPENENCODER_SERVICES_GATEWAY_INBOUND_MAIL_INBOUND_MAIL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "openencoder/assistant/v1/assistant_service.pb.h"

namespace openencoder::assistant {

// UNAUTHENTICATED with a reason ("signature mismatch", "timestamp outside
// the window", "malformed timestamp", "no secret configured") otherwise OK.
absl::Status VerifySignature(absl::string_view secret, absl::string_view timestamp,
                             absl::string_view body, absl::string_view signature_hex,
                             absl::Time now, absl::Duration window);

// hex(HMAC-SHA256(secret, timestamp + "." + body)); for tests and senders.
std::string SignBody(absl::string_view secret, absl::string_view timestamp, absl::string_view body);

// Parses an application/x-www-form-urlencoded body with the fields from,
// to, subject, text, Message-ID, In-Reply-To (names case-insensitive;
// "message_id"/"in_reply_to" also accepted). INVALID_ARGUMENT when from,
// Message-ID or text is missing, a field repeats, the encoding is bad, or
// the body is over 64 KiB.
absl::StatusOr<v1::SubmitEmailRequest> ParseProviderForm(absl::string_view body);

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_GATEWAY_INBOUND_MAIL_INBOUND_MAIL_H_
