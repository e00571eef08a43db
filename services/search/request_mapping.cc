#include "services/search/request_mapping.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/wire_writer.h"
#include "services/search/code_systems.h"

namespace openencoder::search {

namespace cv1 = ::openencoder::catalogue::v1;

std::string PageToken(size_t offset) { return absl::StrCat("o", offset); }

absl::StatusOr<size_t> OffsetFromPageToken(const std::string& token) {
  if (token.empty()) return 0;
  size_t offset = 0;
  if (token.size() < 2 || token[0] != 'o' ||
      !absl::SimpleAtoi(absl::string_view(token).substr(1), &offset) || offset > kMaxOffset) {
    return absl::InvalidArgumentError(
        "page_token is not one this service issued; pass back next_page_token unchanged");
  }
  return offset;
}

namespace {

v1::MatchKind ToProtoKind(MatchReason::Kind kind) {
  switch (kind) {
    case MatchReason::Kind::kExactCode:
      return v1::MATCH_KIND_EXACT_CODE;
    case MatchReason::Kind::kCodePrefix:
      return v1::MATCH_KIND_CODE_PREFIX;
    case MatchReason::Kind::kWords:
      return v1::MATCH_KIND_WORDS;
    case MatchReason::Kind::kSynonym:
      return v1::MATCH_KIND_SYNONYM;
    case MatchReason::Kind::kSpelling:
      return v1::MATCH_KIND_SPELLING;
    case MatchReason::Kind::kIndex:
      return v1::MATCH_KIND_INDEX;
  }
  return v1::MATCH_KIND_UNSPECIFIED;
}

}  // namespace

absl::StatusOr<SearchRequest> ToEngineRequest(const v1::SearchRequest& request) {
  SearchRequest out;
  out.query = request.query();
  if (request.page_size() < 0 || request.page_size() > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat("page_size must be between 1 and ", kMaxPageSize,
                                                   " (0 for the default ", kDefaultPageSize,
                                                   "); got ", request.page_size()));
  }
  out.limit = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  absl::StatusOr<size_t> offset = OffsetFromPageToken(request.page_token());
  if (!offset.ok()) return offset.status();
  out.offset = *offset;

  const v1::SearchFilters& f = request.filters();
  for (int system : f.systems()) {
    std::string name = SystemName(static_cast<cv1::CodeSystem>(system));
    if (name.empty()) {
      return absl::InvalidArgumentError(
          "filters.systems has an unspecified or unknown code system; use ICD10CM, "
          "ICD10PCS, HCPCS or CPT");
    }
    out.filters.systems.push_back(std::move(name));
  }
  out.filters.billable_only = f.billable_only();
  if (f.has_active_on()) {
    const cv1::CalendarDate& d = f.active_on();
    absl::CivilDay day(d.year(), d.month(), d.day());
    if (d.year() < 1900 || d.year() > 9999 || day.year() != d.year() || day.month() != d.month() ||
        day.day() != d.day()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "filters.active_on is not a real date: ", d.year(), "-", d.month(), "-", d.day()));
    }
    out.filters.active_on = day;
  }
  out.filters.chapter = f.chapter();
  out.filters.code_from = f.code_range_first();
  out.filters.code_to = f.code_range_last();
  if (!out.filters.code_from.empty() && !out.filters.code_to.empty() &&
      absl::AsciiStrToUpper(out.filters.code_to) < absl::AsciiStrToUpper(out.filters.code_from)) {
    return absl::InvalidArgumentError(absl::StrCat("filters.code_range_last (", out.filters.code_to,
                                                   ") sorts before code_range_first (",
                                                   out.filters.code_from, ")"));
  }
  return out;
}

void ToProtoResponse(const SearchResponse& response, const SearchRequest& request,
                     const std::string& snapshot_id, v1::SearchResponse* out) {
  out->mutable_hits()->Reserve(static_cast<int>(response.hits.size()));
  for (const Hit& hit : response.hits) {
    v1::SearchHit* h = out->add_hits();
    h->set_system(SystemFromName(hit.system));
    h->set_code(hit.code);
    h->set_display_code(hit.display_code);
    h->set_title(hit.title);
    h->set_snippet(hit.snippet);
    for (const Span& span : hit.title_spans) {
      v1::Span* s = h->add_highlights();
      s->set_begin(static_cast<int32_t>(span.begin));
      s->set_end(static_cast<int32_t>(span.end));
    }
    h->set_score(hit.score);
    for (const MatchReason& reason : hit.reasons) {
      v1::MatchReason* r = h->add_reasons();
      r->set_kind(ToProtoKind(reason.kind));
      r->set_detail(reason.detail);
    }
    if (response.partial_match) {
      v1::MatchReason* r = h->add_reasons();
      r->set_kind(v1::MATCH_KIND_PARTIAL);
      r->set_detail("matches some of the words only");
    }
    h->set_billable(hit.billable);
    h->set_deleted(hit.deleted);
  }
  out->set_total_count(static_cast<int64_t>(response.total));
  for (const FacetCount& facet : response.facets) {
    v1::SystemFacet* f = out->add_facets();
    f->set_system(SystemFromName(facet.system));
    f->set_count(static_cast<int64_t>(facet.count));
  }
  out->set_corrected_query(response.corrected_query);
  out->set_partial(response.partial_match);
  size_t next = request.offset + response.hits.size();
  if (!response.hits.empty() && next < response.total && next <= kMaxOffset) {
    out->set_next_page_token(PageToken(next));
  }
  out->set_snapshot_id(snapshot_id);
}

namespace {

// Protocol-buffer wire format, proto3 rules (services/common/wire_writer.h):
// fields in number order, a scalar or string field equal to its default is
// left out, a message field is written whenever present (even empty).
using common::wire::AppendDoubleField;
using common::wire::AppendInt64Field;
using common::wire::AppendMessageField;
using common::wire::AppendStringField;

// A nested message: its body is written into `scratch` first, for the
// length prefix.
template <typename Body>
void PutMessageField(uint32_t field, std::string& scratch, std::string& out, Body&& body) {
  scratch.clear();
  body(scratch);
  AppendMessageField(out, field, scratch);
}

void PutHit(const Hit& hit, bool partial, std::string& small, std::string& out) {
  AppendInt64Field(out, 1, SystemFromName(hit.system));
  AppendStringField(out, 2, hit.code);
  AppendStringField(out, 3, hit.display_code);
  AppendStringField(out, 4, hit.title);
  AppendStringField(out, 5, hit.snippet);
  for (const Span& span : hit.title_spans) {
    PutMessageField(6, small, out, [&](std::string& m) {
      AppendInt64Field(m, 1, static_cast<int32_t>(span.begin));
      AppendInt64Field(m, 2, static_cast<int32_t>(span.end));
    });
  }
  AppendDoubleField(out, 7, hit.score);
  for (const MatchReason& reason : hit.reasons) {
    PutMessageField(8, small, out, [&](std::string& m) {
      AppendInt64Field(m, 1, ToProtoKind(reason.kind));
      AppendStringField(m, 2, reason.detail);
    });
  }
  if (partial) {
    PutMessageField(8, small, out, [&](std::string& m) {
      AppendInt64Field(m, 1, v1::MATCH_KIND_PARTIAL);
      AppendStringField(m, 2, "matches some of the words only");
    });
  }
  AppendInt64Field(out, 9, hit.billable);
  AppendInt64Field(out, 11, hit.deleted);
}

}  // namespace

void SerializeSearchResponse(const SearchResponse& response, const SearchRequest& request,
                             absl::string_view snapshot_id, std::string* out) {
  // Per-thread buffers for nested messages: no allocation once grown.
  thread_local std::string hit_body, small;
  out->clear();
  for (const Hit& hit : response.hits) {
    hit_body.clear();
    PutHit(hit, response.partial_match, small, hit_body);
    AppendMessageField(*out, 1, hit_body);
  }
  AppendInt64Field(*out, 2, static_cast<int64_t>(response.total));
  for (const FacetCount& facet : response.facets) {
    PutMessageField(3, small, *out, [&](std::string& m) {
      AppendInt64Field(m, 1, SystemFromName(facet.system));
      AppendInt64Field(m, 2, static_cast<int64_t>(facet.count));
    });
  }
  AppendStringField(*out, 4, response.corrected_query);
  AppendInt64Field(*out, 5, response.partial_match);
  size_t next = request.offset + response.hits.size();
  if (!response.hits.empty() && next < response.total && next <= kMaxOffset) {
    AppendStringField(*out, 6, PageToken(next));
  }
  AppendStringField(*out, 7, snapshot_id);
}

absl::Status ToProtoSuggestions(const std::vector<Suggestion>& suggestions,
                                const v1::SuggestRequest& request, v1::SuggestResponse* out) {
  if (request.limit() < 0 || request.limit() > static_cast<int>(kMaxSuggestions)) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit must be between 1 and ", kMaxSuggestions, "; got ", request.limit()));
  }
  size_t limit = request.limit() == 0 ? kMaxSuggestions : request.limit();
  std::vector<std::string> systems;
  for (int system : request.systems()) {
    std::string name = SystemName(static_cast<cv1::CodeSystem>(system));
    if (name.empty()) {
      return absl::InvalidArgumentError("systems has an unspecified or unknown code system");
    }
    systems.push_back(std::move(name));
  }
  for (const Suggestion& s : suggestions) {
    if (static_cast<size_t>(out->suggestions_size()) >= limit) break;
    if (s.kind == Suggestion::Kind::kCode && !systems.empty() &&
        std::find(systems.begin(), systems.end(), s.system) == systems.end()) {
      continue;
    }
    v1::Suggestion* p = out->add_suggestions();
    p->set_text(s.text);
    if (s.kind == Suggestion::Kind::kCode) {
      p->set_system(SystemFromName(s.system));
      p->set_code(s.text);
      p->set_display_code(s.text);
      p->set_title(s.title);
    }
  }
  return absl::OkStatus();
}

}  // namespace openencoder::search
