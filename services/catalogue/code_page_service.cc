#include "services/catalogue/code_page_service.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/catalogue/code_page_builder.h"
#include "services/catalogue/code_resolver.h"
#include "services/catalogue/proto_convert.h"
#include "services/common/request_id.h"

namespace openencoder::catalogue {
namespace {

constexpr char kNoSessionAction[] = "Register a free account or sign in to view code pages";
constexpr char kUnavailableAction[] =
    "Code page views cannot be checked right now; please try again in a moment";
constexpr char kExhaustedAction[] =
    "You have used all your code page views for this month; upgrade your plan "
    "to keep reading";

}  // namespace

void FillMeter(const ViewAnswer& answer, pb::Meter* meter) {
  meter->set_available(true);
  meter->set_unlimited(answer.unlimited);
  meter->set_views_remaining(answer.views_remaining);
  meter->set_view_limit(answer.view_limit);
  meter->set_plan(answer.plan);
  meter->set_upgrade_hint(answer.upgrade_hint);
  if (answer.unlimited) {
    meter->set_message("Unlimited code page views");
  } else if (answer.views_remaining == 1) {
    meter->set_message("1 code page view remaining");
  } else {
    meter->set_message(absl::StrCat(answer.views_remaining, " code page views remaining"));
  }
}

CodePageService::CodePageService(const SnapshotHolder* snapshots, QuotaClient* quota)
    : snapshots_(snapshots), quota_(quota) {}

void CodePageService::GetCodePage(const pb::GetCodePageRequest& request,
                                  const std::string& rpc_request_id,
                                  pb::GetCodePageResponse* response,
                                  std::function<void(absl::Status)> done) {
  std::shared_ptr<const CatalogueSnapshot> snapshot = snapshots_->Current();
  if (snapshot == nullptr) {
    done(absl::UnavailableError("the catalogue is still loading"));
    return;
  }
  absl::StatusOr<const CodeEntry*> resolved =
      ResolveCode(*snapshot, FromProto(request.system()), request.code());
  if (!resolved.ok()) {
    done(resolved.status());
    return;
  }
  const CodeEntry* entry = *resolved;
  if (request.session_token().empty()) {
    response->mutable_meter()->set_available(true);
    response->mutable_meter()->set_message(kNoSessionAction);
    BuildTeaser(*snapshot, *entry, pb::TEASER_REASON_NO_SESSION, kNoSessionAction,
                response->mutable_teaser());
    done(absl::OkStatus());
    return;
  }
  ViewRequest view;
  view.session_token = request.session_token();
  view.code_key = absl::StrCat(CodeSystemName(entry->record.system), ":", entry->record.code);
  view.request_id = request.request_id().empty() ? rpc_request_id : request.request_id();
  // The meter refuses a view without an id (INVALID_ARGUMENT), and a server
  // without the call-log interceptor has no RPC id to offer: a fresh one
  // meters this view, only a retry cannot be recognised then.
  if (view.request_id.empty()) view.request_id = common::NewRequestId();
  // The snapshot is captured so the entry stays valid across a reload.
  quota_->ConsumeView(view, [snapshot, entry, response, locality = request.fee_locality(),
                             done = std::move(done)](absl::StatusOr<ViewAnswer> answer) {
    if (!answer.ok()) {
      const bool no_session = answer.status().code() == absl::StatusCode::kUnauthenticated;
      pb::Meter* meter = response->mutable_meter();
      meter->set_available(no_session);  // It answered, with "who are you?".
      meter->set_message(no_session ? kNoSessionAction : kUnavailableAction);
      BuildTeaser(*snapshot, *entry,
                  no_session ? pb::TEASER_REASON_NO_SESSION : pb::TEASER_REASON_QUOTA_UNAVAILABLE,
                  no_session ? kNoSessionAction : kUnavailableAction, response->mutable_teaser());
      done(absl::OkStatus());
      return;
    }
    FillMeter(*answer, response->mutable_meter());
    if (answer->allowed) {
      BuildCodePage(*snapshot, *entry, response->mutable_page(), locality);
    } else {
      BuildTeaser(*snapshot, *entry, pb::TEASER_REASON_QUOTA_EXHAUSTED,
                  answer->upgrade_hint.empty() ? kExhaustedAction : answer->upgrade_hint,
                  response->mutable_teaser());
    }
    done(absl::OkStatus());
  });
}

}  // namespace openencoder::catalogue
