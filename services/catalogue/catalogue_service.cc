#include "services/catalogue/catalogue_service.h"

#include <memory>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/time/clock.h"
#include "services/catalogue/browse.h"
#include "services/catalogue/catalogue_metrics.h"
#include "services/catalogue/claim_checker.h"
#include "services/catalogue/proto_convert.h"
#include "services/catalogue/reference_queries.h"
#include "services/common/request_id.h"
#include "services/common/status.h"

namespace openencoder::catalogue {
namespace {

const grpc::Status kNotLoaded(grpc::StatusCode::UNAVAILABLE, "the catalogue is still loading");

// Runs `body` on the current snapshot and finishes the call with its status.
template <typename Body>
grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* context,
                                const SnapshotHolder* snapshots, Body body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::shared_ptr<const CatalogueSnapshot> snapshot = snapshots->Current();
  if (snapshot == nullptr) {
    reactor->Finish(kNotLoaded);
  } else {
    reactor->Finish(common::ToGrpcStatus(body(*snapshot)));
  }
  return reactor;
}

// Writes the snapshot's codes in batches, one write in flight at a time.
class CodeStreamReactor final : public grpc::ServerWriteReactor<pb::StreamCodesResponse> {
 public:
  CodeStreamReactor(std::shared_ptr<const CatalogueSnapshot> snapshot,
                    const pb::StreamCodesRequest& request)
      : snapshot_(std::move(snapshot)),
        include_deleted_(request.include_deleted()),
        include_index_entries_(request.include_index_entries()) {
    for (int s : request.systems()) systems_.insert(FromProto(static_cast<pb::CodeSystem>(s)));
    WriteNext();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
      return;
    }
    WriteNext();
  }

  void OnDone() override { delete this; }

 private:
  void WriteNext() {
    message_.Clear();
    message_.set_snapshot_id(snapshot_->id());
    if (first_) {
      absl::flat_hash_set<std::string> seen;
      for (const EditionInfo& e : snapshot_->editions()) {
        if (seen.insert(e.edition.id).second) FillEdition(e, message_.add_editions());
      }
    }
    while (next_ < snapshot_->code_count() && message_.codes_size() < kStreamBatchSize) {
      const CodeEntry& e = snapshot_->code(static_cast<int32_t>(next_++));
      if (!systems_.empty() && !systems_.contains(e.record.system)) continue;
      if (e.deleted && !include_deleted_) continue;
      pb::CodeSummary* summary = message_.add_codes();
      FillSummary(*snapshot_, e, summary);
      if (include_index_entries_) FillIndexEntries(*snapshot_, e, summary);
    }
    if (message_.codes().empty() && !first_) {
      Finish(grpc::Status::OK);
      return;
    }
    first_ = false;
    StartWrite(&message_);
  }

  std::shared_ptr<const CatalogueSnapshot> snapshot_;
  bool include_deleted_;
  bool include_index_entries_;
  absl::flat_hash_set<CodeSystem> systems_;
  size_t next_ = 0;
  bool first_ = true;
  pb::StreamCodesResponse message_;
};

}  // namespace

CatalogueServiceImpl::CatalogueServiceImpl(const SnapshotHolder* snapshots, QuotaClient* quota)
    : snapshots_(snapshots), pages_(snapshots, quota) {
  SetMessageAllocatorFor_GetCodePage(&page_messages_);
}

grpc::ServerUnaryReactor* CatalogueServiceImpl::GetCodePage(grpc::CallbackServerContext* context,
                                                            const pb::GetCodePageRequest* request,
                                                            pb::GetCodePageResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  pages_.GetCodePage(*request, common::RequestIdOf(*context), response,
                     [reactor, response](absl::Status status) {
                       RecordCodePage(status, *response);
                       reactor->Finish(common::ToGrpcStatus(status));
                     });
  return reactor;
}

grpc::ServerUnaryReactor* CatalogueServiceImpl::BatchGetCodes(
    grpc::CallbackServerContext* context, const pb::BatchGetCodesRequest* request,
    pb::BatchGetCodesResponse* response) {
  return Unary(context, snapshots_, [&](const CatalogueSnapshot& s) {
    return catalogue::BatchGetCodes(s, *request, response);
  });
}

grpc::ServerUnaryReactor* CatalogueServiceImpl::Browse(grpc::CallbackServerContext* context,
                                                       const pb::BrowseRequest* request,
                                                       pb::BrowseResponse* response) {
  return Unary(context, snapshots_, [&](const CatalogueSnapshot& s) {
    return catalogue::Browse(s, *request, response);
  });
}

grpc::ServerUnaryReactor* CatalogueServiceImpl::ListModifiers(
    grpc::CallbackServerContext* context, const pb::ListModifiersRequest* request,
    pb::ListModifiersResponse* response) {
  return Unary(context, snapshots_, [&](const CatalogueSnapshot& s) {
    return catalogue::ListModifiers(s, *request, response);
  });
}

grpc::ServerUnaryReactor* CatalogueServiceImpl::GetCrosswalk(grpc::CallbackServerContext* context,
                                                             const pb::GetCrosswalkRequest* request,
                                                             pb::GetCrosswalkResponse* response) {
  return Unary(context, snapshots_, [&](const CatalogueSnapshot& s) {
    return catalogue::GetCrosswalk(s, *request, response);
  });
}

grpc::ServerUnaryReactor* CatalogueServiceImpl::GetFee(grpc::CallbackServerContext* context,
                                                       const pb::GetFeeRequest* request,
                                                       pb::GetFeeResponse* response) {
  return Unary(context, snapshots_,
               [&](const CatalogueSnapshot& s) { return ComputeFee(s, *request, response); });
}

grpc::ServerUnaryReactor* CatalogueServiceImpl::ListChanges(grpc::CallbackServerContext* context,
                                                            const pb::ListChangesRequest* request,
                                                            pb::ListChangesResponse* response) {
  return Unary(context, snapshots_, [&](const CatalogueSnapshot& s) {
    return catalogue::ListChanges(s, *request, response);
  });
}

grpc::ServerUnaryReactor* CatalogueServiceImpl::CheckClaim(grpc::CallbackServerContext* context,
                                                           const pb::CheckClaimRequest* request,
                                                           pb::CheckClaimResponse* response) {
  return Unary(context, snapshots_, [&](const CatalogueSnapshot& s) {
    return catalogue::CheckClaim(s, *request, absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()),
                                 response);
  });
}

grpc::ServerWriteReactor<pb::StreamCodesResponse>* CatalogueServiceImpl::StreamCodes(
    grpc::CallbackServerContext* context, const pb::StreamCodesRequest* request) {
  std::shared_ptr<const CatalogueSnapshot> snapshot = snapshots_->Current();
  if (snapshot == nullptr) {
    class Failed final : public grpc::ServerWriteReactor<pb::StreamCodesResponse> {
     public:
      Failed() {
        Finish(
            grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "the catalogue is still loading"));
      }
      void OnDone() override { delete this; }
    };
    return new Failed;
  }
  return new CodeStreamReactor(std::move(snapshot), *request);
}

grpc::ServerUnaryReactor* CatalogueServiceImpl::GetEditions(grpc::CallbackServerContext* context,
                                                            const pb::GetEditionsRequest*,
                                                            pb::GetEditionsResponse* response) {
  return Unary(context, snapshots_, [&](const CatalogueSnapshot& s) {
    response->set_snapshot_id(s.id());
    absl::flat_hash_set<std::string> seen;
    for (const EditionInfo& e : s.editions()) {
      if (seen.insert(e.edition.id).second) FillEdition(e, response->add_editions());
    }
    return absl::OkStatus();
  });
}

}  // namespace openencoder::catalogue
