#include "services/search/grpc_code_source.h"

#include "absl/strings/str_cat.h"
#include "services/common/client.h"
#include "services/common/status.h"
#include "services/search/code_systems.h"

namespace openencoder::search {

namespace cv1 = ::openencoder::catalogue::v1;

namespace {

std::optional<absl::CivilDay> ToCivilDay(const cv1::CalendarDate& date) {
  if (date.year() == 0) return std::nullopt;
  return absl::CivilDay(date.year(), date.month(), date.day());
}

}  // namespace

SearchDocument ToSearchDocument(const cv1::CodeSummary& code) {
  SearchDocument doc;
  doc.system = SystemName(code.system());
  doc.code = code.code();
  doc.display_code = code.display_code().empty() ? code.code() : code.display_code();
  doc.title = !code.title().empty()         ? code.title()
              : !code.short_title().empty() ? code.short_title()
                                            : code.plain_language();
  doc.short_title = code.short_title();
  doc.plain_language = code.plain_language();
  doc.lay_terms.assign(code.lay_terms().begin(), code.lay_terms().end());
  doc.billable = code.billable();
  doc.deleted = code.status() == cv1::CODE_STATUS_DELETED;
  for (const cv1::IndexEntry& e : code.index_entries()) {
    doc.index_terms.push_back({e.path(), e.modifiers(), e.words(), e.see(), e.subdivided(), ""});
  }
  doc.chapter = code.chapter();
  if (code.has_effective_date()) doc.effective_from = ToCivilDay(code.effective_date());
  if (code.has_termination_date()) doc.effective_to = ToCivilDay(code.termination_date());
  return doc;
}

GrpcCodeSource::GrpcCodeSource(std::shared_ptr<grpc::Channel> channel,
                               absl::Duration stream_timeout)
    : stub_(cv1::CatalogueService::NewStub(std::move(channel))), stream_timeout_(stream_timeout) {}

absl::StatusOr<std::string> GrpcCodeSource::CurrentSnapshotId() {
  auto context = common::MakeClientContext(absl::Seconds(2));
  cv1::GetEditionsResponse response;
  grpc::Status status = stub_->GetEditions(context.get(), cv1::GetEditionsRequest(), &response);
  if (!status.ok()) return common::FromGrpcStatus(status);
  return response.snapshot_id();
}

absl::StatusOr<CodeSnapshot> GrpcCodeSource::FetchAll() {
  auto context = common::MakeClientContext(stream_timeout_);
  cv1::StreamCodesRequest request;  // every system, active and deleted
  request.set_include_deleted(true);
  request.set_include_index_entries(true);
  auto reader = stub_->StreamCodes(context.get(), request);
  CodeSnapshot snapshot;
  cv1::StreamCodesResponse batch;
  while (reader->Read(&batch)) {
    if (snapshot.snapshot_id.empty()) {
      snapshot.snapshot_id = batch.snapshot_id();
    } else if (batch.snapshot_id() != snapshot.snapshot_id) {
      // The catalogue must keep one snapshot per stream; if it did not, the
      // index would mix editions.
      context->TryCancel();
      reader->Finish();
      return absl::AbortedError("catalogue snapshot changed during StreamCodes; retry");
    }
    snapshot.documents.reserve(snapshot.documents.size() + batch.codes_size());
    for (const cv1::CodeSummary& code : batch.codes()) {
      snapshot.documents.push_back(ToSearchDocument(code));
    }
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) return common::FromGrpcStatus(status);
  return snapshot;
}

}  // namespace openencoder::search
