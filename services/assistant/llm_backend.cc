#include "services/assistant/llm_backend.h"

#include <curl/curl.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"

namespace openencoder::assistant {
namespace {

namespace pb = google::protobuf;

constexpr char kSystemPrompt[] =
    "You are CasePilot, a medical coding assistant. Rewrite the DRAFT answer so that it reads "
    "well as an answer to the QUESTION. Use only the facts in the DRAFT. Keep every code exactly "
    "as written in the DRAFT and add no other code. If the DRAFT says 'I don't know', say so.";

size_t AppendToString(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

pb::Value Text(absl::string_view s) {
  pb::Value v;
  v.set_string_value(std::string(s));
  return v;
}

}  // namespace

std::string OpenAiCompatibleBackend::RequestJson(const std::string& model,
                                                 absl::string_view question,
                                                 absl::string_view draft) {
  pb::Struct body;
  (*body.mutable_fields())["model"] = Text(model);
  (*body.mutable_fields())["temperature"].set_number_value(0);
  pb::ListValue* messages = (*body.mutable_fields())["messages"].mutable_list_value();
  pb::Struct* system = messages->add_values()->mutable_struct_value();
  (*system->mutable_fields())["role"] = Text("system");
  (*system->mutable_fields())["content"] = Text(kSystemPrompt);
  pb::Struct* user = messages->add_values()->mutable_struct_value();
  (*user->mutable_fields())["role"] = Text("user");
  (*user->mutable_fields())["content"] =
      Text(absl::StrCat("QUESTION:\n", question, "\n\nDRAFT:\n", draft));
  std::string json;
  (void)pb::util::MessageToJsonString(body, &json);
  return json;
}

absl::StatusOr<std::string> OpenAiCompatibleBackend::ParseResponse(const std::string& body) {
  pb::Struct root;
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!pb::util::JsonStringToMessage(body, &root, options).ok()) {
    return absl::InternalError("the model's reply is not JSON");
  }
  auto choices = root.fields().find("choices");
  if (choices == root.fields().end() || choices->second.list_value().values_size() == 0) {
    return absl::InternalError("the model's reply has no choices");
  }
  const pb::Struct& choice = choices->second.list_value().values(0).struct_value();
  auto message = choice.fields().find("message");
  if (message == choice.fields().end()) return absl::InternalError("choice without message");
  auto content = message->second.struct_value().fields().find("content");
  if (content == message->second.struct_value().fields().end() ||
      content->second.string_value().empty()) {
    return absl::InternalError("the model's reply has no text");
  }
  return content->second.string_value();
}

absl::StatusOr<std::string> OpenAiCompatibleBackend::Phrase(absl::string_view question,
                                                            absl::string_view draft) {
  if (options_.url.empty()) return absl::FailedPreconditionError("no model configured");
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return absl::InternalError("curl_easy_init failed");
  const std::string body = RequestJson(options_.model, question, draft);
  std::string response;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  if (!options_.api_key.empty()) {
    headers = curl_slist_append(headers,
                                absl::StrCat("Authorization: Bearer ", options_.api_key).c_str());
  }
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> header_guard(headers, curl_slist_free_all);
  curl_easy_setopt(curl.get(), CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, AppendToString);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.timeout)));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(curl.get());
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    return absl::DeadlineExceededError("the language model did not answer in time");
  }
  if (rc != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat("language model: ", curl_easy_strerror(rc)));
  }
  long http_status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &http_status);
  if (http_status != 200) {
    return absl::UnavailableError(absl::StrCat("language model answered HTTP ", http_status));
  }
  return ParseResponse(response);
}

}  // namespace openencoder::assistant
