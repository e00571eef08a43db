#include "services/gateway/inbound_mail/inbound_mail.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/signed_body.h"

namespace openencoder::assistant {
namespace {

constexpr size_t kMaxFormBytes = 64 * 1024;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

absl::StatusOr<std::string> UrlDecode(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return absl::InvalidArgumentError("bad percent encoding");
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return absl::InvalidArgumentError("bad percent encoding");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::string SignBody(absl::string_view secret, absl::string_view timestamp,
                     absl::string_view body) {
  return common::SignTimestampedBody(secret, timestamp, body);
}

absl::Status VerifySignature(absl::string_view secret, absl::string_view timestamp,
                             absl::string_view body, absl::string_view signature_hex,
                             absl::Time now, absl::Duration window) {
  if (secret.empty()) return absl::UnauthenticatedError("no secret configured");
  int64_t seconds = 0;
  if (!absl::SimpleAtoi(timestamp, &seconds)) {
    return absl::UnauthenticatedError("malformed timestamp");
  }
  if (absl::AbsDuration(now - absl::FromUnixSeconds(seconds)) > window) {
    return absl::UnauthenticatedError("timestamp outside the window");
  }
  if (!common::SameSignature(signature_hex, SignBody(secret, timestamp, body))) {
    return absl::UnauthenticatedError("signature mismatch");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::SubmitEmailRequest> ParseProviderForm(absl::string_view body) {
  if (body.size() > kMaxFormBytes) return absl::InvalidArgumentError("form body too large");
  v1::SubmitEmailRequest request;
  bool seen[6] = {};
  for (absl::string_view pair : absl::StrSplit(body, '&', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    absl::StatusOr<std::string> key = UrlDecode(kv.first);
    absl::StatusOr<std::string> value = UrlDecode(kv.second);
    if (!key.ok()) return key.status();
    if (!value.ok()) return value.status();
    const std::string k = absl::AsciiStrToLower(*key);
    int index = -1;
    if (k == "from") {
      index = 0;
      request.set_from_address(*value);
    } else if (k == "to") {
      index = 1;
      request.set_to_address(*value);
    } else if (k == "subject") {
      index = 2;
      request.set_subject(*value);
    } else if (k == "text") {
      index = 3;
      request.set_text(*value);
    } else if (k == "message-id" || k == "message_id") {
      index = 4;
      request.set_message_id(*value);
    } else if (k == "in-reply-to" || k == "in_reply_to") {
      index = 5;
      request.set_in_reply_to(*value);
    } else {
      continue;  // providers add fields (attachments count, spam score...)
    }
    if (seen[index]) return absl::InvalidArgumentError(absl::StrCat("field ", k, " repeats"));
    seen[index] = true;
  }
  if (request.from_address().empty() || request.message_id().empty() || request.text().empty()) {
    return absl::InvalidArgumentError("from, Message-ID and text are required");
  }
  for (const std::string* h : {&request.from_address(), &request.to_address(), &request.subject(),
                               &request.message_id(), &request.in_reply_to()}) {
    if (h->find_first_of("\r\n") != std::string::npos) {
      return absl::InvalidArgumentError("header field with a line break");
    }
  }
  return request;
}

}  // namespace openencoder::assistant
