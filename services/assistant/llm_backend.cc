#include "services/assistant/llm_backend.h"

#include <curl/curl.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace openencoder::assistant {
namespace {

namespace pb = google::protobuf;

constexpr char kSystemPrompt[] =
    "You are CasePilot, a medical coding assistant. Answer the QUESTION in plain Markdown. "
    "Source T0 is the DRAFT answer our own tools composed; you may call the tools for more. "
    "Every fact must come from T0 or a tool result, and each sentence that states one ends "
    "with its source in square brackets, such as [T0] or [T2] (tool results are numbered T1, "
    "T2... in the order you call them). Write codes exactly as the sources do and never a code "
    "that is not in a source. If the sources do not answer the question, say \"I don't know\".";

pb::Value Text(absl::string_view s) {
  pb::Value v;
  v.set_string_value(std::string(s));
  return v;
}

pb::Struct* AddMessage(pb::ListValue* messages, absl::string_view role) {
  pb::Struct* m = messages->add_values()->mutable_struct_value();
  (*m->mutable_fields())["role"] = Text(role);
  return m;
}

std::string Field(const pb::Struct& s, const std::string& name) {
  auto it = s.fields().find(name);
  return it == s.fields().end() ? "" : it->second.string_value();
}

struct CurlState {
  OpenAiCompatibleBackend::StreamParser* parser;
  const std::function<void(absl::string_view)>* on_delta;
  absl::Status status;
  std::string error_body;  // a non-200 reply's body, for the message
  long http_status = 0;
  CURL* curl = nullptr;
};

size_t OnBytes(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<CurlState*>(user);
  const size_t n = size * count;
  if (state->http_status == 0) {
    curl_easy_getinfo(state->curl, CURLINFO_RESPONSE_CODE, &state->http_status);
  }
  if (state->http_status != 200) {
    if (state->error_body.size() < 2000) state->error_body.append(data, n);
    return n;
  }
  absl::Status s = state->parser->Feed(absl::string_view(data, n), *state->on_delta);
  if (!s.ok()) {
    state->status = s;
    return 0;  // aborts the transfer
  }
  return n;
}

}  // namespace

absl::Status OpenAiCompatibleBackend::StreamParser::Feed(
    absl::string_view bytes, const std::function<void(absl::string_view)>& on_delta) {
  buffer_.append(bytes.data(), bytes.size());
  // SSE: events end with a blank line; each "data:" line holds one JSON
  // chunk (servers differ in \n or \r\n).
  for (;;) {
    size_t end = buffer_.find("\n\n");
    size_t skip = 2;
    const size_t crlf = buffer_.find("\r\n\r\n");
    if (crlf != std::string::npos && (end == std::string::npos || crlf < end)) {
      end = crlf;
      skip = 4;
    }
    if (end == std::string::npos) break;
    const std::string event = buffer_.substr(0, end);
    buffer_.erase(0, end + skip);
    for (absl::string_view line : absl::StrSplit(event, '\n')) {
      line = absl::StripTrailingAsciiWhitespace(line);
      if (!absl::ConsumePrefix(&line, "data:")) continue;  // comments, "event:", ids
      line = absl::StripLeadingAsciiWhitespace(line);
      if (absl::Status s = Event(line, on_delta); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::Status OpenAiCompatibleBackend::StreamParser::Event(
    absl::string_view data, const std::function<void(absl::string_view)>& on_delta) {
  if (data == "[DONE]") {
    reply_.done = true;
    return absl::OkStatus();
  }
  pb::Struct chunk;
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!pb::util::JsonStringToMessage(std::string(data), &chunk, options).ok()) {
    return absl::InternalError("the model's stream is not JSON");
  }
  if (auto error = chunk.fields().find("error"); error != chunk.fields().end()) {
    return absl::InternalError(absl::StrCat("the model reported an error: ",
                                            Field(error->second.struct_value(), "message")));
  }
  auto choices = chunk.fields().find("choices");
  if (choices == chunk.fields().end()) return absl::InternalError("a chunk without choices");
  for (const pb::Value& c : choices->second.list_value().values()) {
    const pb::Struct& choice = c.struct_value();
    const std::string finish = Field(choice, "finish_reason");
    if (!finish.empty()) reply_.finish_reason = finish;
    auto delta = choice.fields().find("delta");
    if (delta == choice.fields().end()) continue;
    const pb::Struct& d = delta->second.struct_value();
    const std::string content = Field(d, "content");
    if (!content.empty()) {
      reply_.text += content;
      if (on_delta) on_delta(content);
    }
    auto calls = d.fields().find("tool_calls");
    if (calls == d.fields().end()) continue;
    for (const pb::Value& v : calls->second.list_value().values()) {
      const pb::Struct& call = v.struct_value();
      // Deltas of one call share its index; id and name come first.
      const auto index_it = call.fields().find("index");
      const size_t index = index_it == call.fields().end()
                               ? reply_.tool_calls.size()
                               : static_cast<size_t>(index_it->second.number_value());
      if (index > 16) return absl::InternalError("too many tool calls");
      if (reply_.tool_calls.size() <= index) reply_.tool_calls.resize(index + 1);
      ToolCall& t = reply_.tool_calls[index];
      if (const std::string id = Field(call, "id"); !id.empty()) t.id = id;
      auto fn = call.fields().find("function");
      if (fn != call.fields().end()) {
        const pb::Struct& f = fn->second.struct_value();
        if (const std::string name = Field(f, "name"); !name.empty()) t.name = name;
        t.arguments += Field(f, "arguments");
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<PhraseResult> OpenAiCompatibleBackend::Phrase(
    absl::string_view question, absl::string_view draft, ModelTools* tools,
    const std::function<void(absl::string_view)>& on_delta) {
  if (options_.url.empty()) return absl::FailedPreconditionError("no model configured");
  pb::Struct body;
  (*body.mutable_fields())["model"] = Text(options_.model);
  (*body.mutable_fields())["temperature"].set_number_value(0);
  (*body.mutable_fields())["stream"].set_bool_value(true);
  if (tools != nullptr) {
    pb::Value definitions;
    if (!pb::util::JsonStringToMessage(tools->Definitions(), &definitions).ok()) {
      return absl::InternalError("tool definitions are not JSON");
    }
    (*body.mutable_fields())["tools"] = definitions;
  }
  pb::ListValue* messages = (*body.mutable_fields())["messages"].mutable_list_value();
  (*AddMessage(messages, "system")->mutable_fields())["content"] = Text(kSystemPrompt);
  (*AddMessage(messages, "user")->mutable_fields())["content"] =
      Text(absl::StrCat("QUESTION:\n", question, "\n\nT0 (DRAFT):\n", draft));

  PhraseResult result;
  for (int round = 0; round < kMaxToolRounds; ++round) {
    std::string json;
    (void)pb::util::MessageToJsonString(body, &json);
    std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return absl::InternalError("curl_easy_init failed");
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Accept: text/event-stream");
    if (!options_.api_key.empty()) {
      headers = curl_slist_append(headers,
                                  absl::StrCat("Authorization: Bearer ", options_.api_key).c_str());
    }
    std::unique_ptr<curl_slist, void (*)(curl_slist*)> header_guard(headers, curl_slist_free_all);
    StreamParser parser;
    CurlState state{&parser, &on_delta, absl::OkStatus(), "", 0, curl.get()};
    curl_easy_setopt(curl.get(), CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, json.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(json.size()));
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, OnBytes);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &state);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS,
                     static_cast<long>(absl::ToInt64Milliseconds(options_.timeout)));
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    const CURLcode rc = curl_easy_perform(curl.get());
    if (!state.status.ok()) return state.status;
    if (rc == CURLE_OPERATION_TIMEDOUT) {
      return absl::DeadlineExceededError("the language model did not finish in time");
    }
    if (rc != CURLE_OK) {
      return absl::UnavailableError(absl::StrCat("language model: ", curl_easy_strerror(rc)));
    }
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &state.http_status);
    if (state.http_status != 200) {
      return absl::UnavailableError(
          absl::StrCat("language model answered HTTP ", state.http_status));
    }
    const Reply& reply = parser.reply();
    // A stream that stops without a finish_reason or [DONE] was cut.
    if (reply.finish_reason.empty() && !reply.done) {
      return absl::UnavailableError("the language model's stream was cut mid-answer");
    }
    if (reply.tool_calls.empty()) {
      if (reply.text.empty()) return absl::InternalError("the model's reply has no text");
      result.text = reply.text;
      return result;
    }
    if (tools == nullptr) return absl::InternalError("the model called a tool it was not given");
    // The model's turn with its calls, then one "tool" message per call.
    pb::Struct* assistant = AddMessage(messages, "assistant");
    (*assistant->mutable_fields())["content"] = Text(reply.text);
    pb::ListValue* calls = (*assistant->mutable_fields())["tool_calls"].mutable_list_value();
    for (const ToolCall& call : reply.tool_calls) {
      pb::Struct* c = calls->add_values()->mutable_struct_value();
      (*c->mutable_fields())["id"] = Text(call.id);
      (*c->mutable_fields())["type"] = Text("function");
      pb::Struct* fn = (*c->mutable_fields())["function"].mutable_struct_value();
      (*fn->mutable_fields())["name"] = Text(call.name);
      (*fn->mutable_fields())["arguments"] = Text(call.arguments);
    }
    for (const ToolCall& call : reply.tool_calls) {
      absl::StatusOr<std::string> out = tools->Run(call.name, call.arguments);
      const std::string label = absl::StrCat("T", result.tool_results.size() + 1);
      const std::string content = out.ok() ? *out : absl::StrCat("error: ", out.status().message());
      result.tool_results.push_back(content);
      pb::Struct* m = AddMessage(messages, "tool");
      (*m->mutable_fields())["tool_call_id"] = Text(call.id);
      (*m->mutable_fields())["content"] = Text(absl::StrCat(label, ":\n", content));
    }
  }
  return absl::InternalError("the model kept calling tools");
}

}  // namespace openencoder::assistant
