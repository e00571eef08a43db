#include "services/search/search_service.h"

#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/slice.h>

#include "absl/strings/str_cat.h"
#include "services/common/status.h"
#include "services/search/code_systems.h"
#include "services/search/request_mapping.h"
#include "services/search/search_metrics.h"

namespace openencoder::search {

namespace cv1 = ::openencoder::catalogue::v1;

namespace {

// The index to answer query `text` from (Search, Suggest). The text is
// checked before looking for an index, so bad input is INVALID_ARGUMENT (and
// as fast as a query) even while warming up.
absl::StatusOr<std::shared_ptr<const SearchIndex>> IndexFor(const IndexHolder& holder,
                                                            absl::string_view text) {
  absl::Status valid = ValidateQueryText(text);
  if (!valid.ok()) return valid;
  return holder.Current();
}

}  // namespace

SearchServiceImpl::SearchServiceImpl(const IndexHolder* holder,
                                     std::function<std::string()> snapshot_id,
                                     size_t answer_cache_bytes)
    : holder_(holder), snapshot_id_(std::move(snapshot_id)), answers_(answer_cache_bytes) {}

// Every handler runs inline on the callback thread: queries take
// microseconds and touch only the immutable in-memory index.

grpc::ServerUnaryReactor* SearchServiceImpl::Search(grpc::CallbackServerContext* context,
                                                    const grpc::ByteBuffer* request_bytes,
                                                    grpc::ByteBuffer* response) {
  auto* reactor = context->DefaultReactor();
  // One request message per thread, cleared (keeping its buffers) per call.
  thread_local v1::SearchRequest request;
  request.Clear();
  grpc::ByteBuffer copy(*request_bytes);  // Shares the slices; Deserialize consumes.
  if (!grpc::SerializationTraits<v1::SearchRequest>::Deserialize(&copy, &request).ok()) {
    // What gRPC's generated handler answered to bytes that do not parse.
    reactor->Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, ""));
    return reactor;
  }
  absl::StatusOr<SearchRequest> engine_request = ToEngineRequest(request);
  if (!engine_request.ok()) {
    reactor->Finish(common::ToGrpcStatus(engine_request.status()));
    return reactor;
  }
  auto index = IndexFor(*holder_, request.query());
  if (!index.ok()) {
    reactor->Finish(common::ToGrpcStatus(index.status()));
    return reactor;
  }
  // The parsed request, serialised again, is the cache key: two clients
  // that encode the same request differently still share the answer.
  thread_local std::string key;
  thread_local std::string bytes;
  key.clear();
  if (answers_.enabled()) request.SerializeToString(&key);
  const bool cached = answers_.enabled() && answers_.Get(key, *index, &bytes);
  if (answers_.enabled()) RecordAnswerCache(cached);
  if (!cached) {
    absl::StatusOr<SearchResponse> result = (*index)->Search(*engine_request);
    if (!result.ok()) {
      reactor->Finish(common::ToGrpcStatus(result.status()));
      return reactor;
    }
    SerializeSearchResponse(*result, *engine_request, snapshot_id_(), &bytes);
    answers_.Put(key, *index, bytes);
  }
  grpc::Slice slice(bytes.data(), bytes.size());
  *response = grpc::ByteBuffer(&slice, 1);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* SearchServiceImpl::Suggest(grpc::CallbackServerContext* context,
                                                     const v1::SuggestRequest* request,
                                                     v1::SuggestResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto index = IndexFor(*holder_, request->prefix());
  if (!index.ok()) {
    reactor->Finish(common::ToGrpcStatus(index.status()));
    return reactor;
  }
  absl::StatusOr<std::vector<Suggestion>> suggestions = (*index)->Suggest(request->prefix());
  absl::Status status = suggestions.ok() ? ToProtoSuggestions(*suggestions, *request, response)
                                         : suggestions.status();
  reactor->Finish(common::ToGrpcStatus(status));
  return reactor;
}

grpc::ServerUnaryReactor* SearchServiceImpl::Lookup(grpc::CallbackServerContext* context,
                                                    const v1::LookupRequest* request,
                                                    v1::LookupResponse* response) {
  auto* reactor = context->DefaultReactor();
  const std::string& code = request->code();
  if (code.empty() || code.size() > static_cast<size_t>(kMaxLookupBytes)) {
    reactor->Finish(common::ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
        "code must be 1 to ", kMaxLookupBytes, " bytes, e.g. \"E11.9\" or \"J1100\""))));
    return reactor;
  }
  auto index = holder_->Current();
  if (!index.ok()) {
    reactor->Finish(common::ToGrpcStatus(index.status()));
    return reactor;
  }
  absl::StatusOr<std::vector<SearchDocument>> found = (*index)->Lookup(code);
  if (!found.ok()) {
    reactor->Finish(common::ToGrpcStatus(found.status()));
    return reactor;
  }
  std::string wanted = SystemName(request->system());
  for (const SearchDocument& doc : *found) {
    if (!wanted.empty() && doc.system != wanted) continue;
    cv1::CodeSummary* summary = response->add_codes();
    summary->set_system(SystemFromName(doc.system));
    summary->set_code(doc.code);
    summary->set_display_code(doc.display_code);
    summary->set_title(doc.title);
    summary->set_short_title(doc.short_title);
    summary->set_plain_language(doc.plain_language);
    for (const std::string& term : doc.lay_terms) summary->add_lay_terms(term);
    summary->set_billable(doc.billable);
    summary->set_chapter(doc.chapter);
  }
  if (response->codes_size() == 0) {
    reactor->Finish(common::ToGrpcStatus(absl::NotFoundError(
        absl::StrCat("no ", wanted, " code ", code, "; it exists in another code system"))));
    return reactor;
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace openencoder::search
