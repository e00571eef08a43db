#include "services/common/mail/mail_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace openencoder::common::mail {
namespace {

struct ReadState {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadChunk(char* buffer, size_t size, size_t count, void* user) {
  auto* state = static_cast<ReadState*>(user);
  const size_t n = std::min(size * count, state->data->size() - state->offset);
  std::memcpy(buffer, state->data->data() + state->offset, n);
  state->offset += n;
  return n;
}

bool SafeHeader(const std::string& s) {
  return s.find('\r') == std::string::npos && s.find('\n') == std::string::npos;
}

// "Name <a@b>" or "a@b" -> "<a@b>" for the SMTP envelope.
std::string Envelope(const std::string& address) {
  const size_t lt = address.find('<');
  const size_t gt = address.find('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) {
    return address.substr(lt, gt - lt + 1);
  }
  return absl::StrCat("<", address, ">");
}

}  // namespace

std::string RenderMail(const OutgoingMail& mail, absl::Time date) {
  std::string out;
  absl::StrAppend(
      &out, "Date: ", absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", date, absl::UTCTimeZone()),
      "\r\n");
  absl::StrAppend(&out, "From: ", mail.from, "\r\n", "To: ", mail.to, "\r\n");
  absl::StrAppend(&out, "Subject: ", mail.subject, "\r\n");
  absl::StrAppend(&out, "Message-ID: ", mail.message_id, "\r\n");
  if (!mail.in_reply_to.empty()) {
    absl::StrAppend(&out, "In-Reply-To: ", mail.in_reply_to, "\r\n",
                    "References: ", mail.in_reply_to, "\r\n");
  }
  absl::StrAppend(&out, "MIME-Version: 1.0\r\n", "Content-Type: text/plain; charset=utf-8\r\n",
                  "Content-Transfer-Encoding: 8bit\r\n\r\n");
  std::string body = absl::StrReplaceAll(mail.body, {{"\r\n", "\n"}});
  absl::StrAppend(&out, absl::StrReplaceAll(body, {{"\n", "\r\n"}}), "\r\n");
  return out;
}

absl::Status CurlSmtpSender::Send(const OutgoingMail& mail) {
  for (const std::string* h :
       {&mail.from, &mail.to, &mail.subject, &mail.message_id, &mail.in_reply_to}) {
    if (!SafeHeader(*h)) return absl::InvalidArgumentError("header with a line break");
  }
  if (!absl::StrContains(mail.to, "@")) return absl::InvalidArgumentError("recipient without @");
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return absl::InternalError("curl_easy_init failed");
  const std::string message = RenderMail(mail, absl::Now());
  ReadState state{&message};
  const std::string from = Envelope(mail.from);
  curl_slist* rcpt = curl_slist_append(nullptr, Envelope(mail.to).c_str());
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> rcpt_guard(rcpt, curl_slist_free_all);
  curl_easy_setopt(curl.get(), CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, ReadChunk);
  curl_easy_setopt(curl.get(), CURLOPT_READDATA, &state);
  curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout_)));
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<int64_t>(absl::ToInt64Milliseconds(timeout_), 3000)));
  const CURLcode rc = curl_easy_perform(curl.get());
  if (rc != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat("SMTP relay: ", curl_easy_strerror(rc)));
  }
  return absl::OkStatus();
}

}  // namespace openencoder::common::mail
