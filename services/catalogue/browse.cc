#include "services/catalogue/browse.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/code_sets/model/icd10cm_chapters.h"
#include "services/catalogue/code_page_builder.h"
#include "services/catalogue/proto_convert.h"

namespace openencoder::catalogue {
namespace {

struct Paging {
  size_t offset = 0;
  size_t size = 0;
};

absl::StatusOr<Paging> ParsePaging(int32_t page_size, const std::string& token,
                                   int32_t default_size, int32_t max_size) {
  if (page_size < 0 || page_size > max_size) {
    return absl::InvalidArgumentError(absl::StrCat("page_size must be between 0 and ", max_size));
  }
  Paging p;
  p.size = page_size == 0 ? default_size : page_size;
  if (!token.empty()) {
    absl::string_view t = token;
    uint64_t offset;
    if (!absl::ConsumePrefix(&t, "o") || !absl::SimpleAtoi(t, &offset)) {
      return absl::InvalidArgumentError("page_token is not one this service issued");
    }
    p.offset = offset;
  }
  return p;
}

std::string NextToken(const Paging& p, size_t total) {
  return p.offset + p.size < total ? absl::StrCat("o", p.offset + p.size) : "";
}

absl::string_view PcsSectionName(char c) {
  switch (c) {
    case '0':
      return "Medical and Surgical";
    case '1':
      return "Obstetrics";
    case '2':
      return "Placement";
    case '3':
      return "Administration";
    case '4':
      return "Measurement and Monitoring";
    case '5':
      return "Extracorporeal or Systemic Assistance and Performance";
    case '6':
      return "Extracorporeal or Systemic Therapies";
    case '7':
      return "Osteopathic";
    case '8':
      return "Other Procedures";
    case '9':
      return "Chiropractic";
    case 'B':
      return "Imaging";
    case 'C':
      return "Nuclear Medicine";
    case 'D':
      return "Radiation Therapy";
    case 'F':
      return "Physical Rehabilitation and Diagnostic Audiology";
    case 'G':
      return "Mental Health";
    case 'H':
      return "Substance Abuse Treatment";
    case 'X':
      return "New Technology";
    default:
      return "Other";
  }
}

absl::string_view HcpcsGroupName(char c) {
  switch (c) {
    case 'A':
      return "Transportation, medical and surgical supplies";
    case 'B':
      return "Enteral and parenteral therapy";
    case 'C':
      return "Outpatient prospective payment system";
    case 'E':
      return "Durable medical equipment";
    case 'G':
      return "Procedures and professional services (temporary)";
    case 'H':
      return "Alcohol and drug abuse treatment services";
    case 'J':
      return "Drugs administered other than oral method";
    case 'K':
      return "Durable medical equipment (temporary)";
    case 'L':
      return "Orthotics and prosthetics";
    case 'M':
      return "Medical services";
    case 'P':
      return "Pathology and laboratory";
    case 'Q':
      return "Temporary codes";
    case 'R':
      return "Diagnostic radiology";
    case 'S':
      return "Temporary national codes (non-Medicare)";
    case 'T':
      return "State Medicaid agency codes";
    case 'U':
      return "Laboratory tests (coronavirus)";
    case 'V':
      return "Vision, hearing and speech-language services";
    default:
      return "Other";
  }
}

// A child in a listing: a code or a synthetic group node.
struct Child {
  int32_t code = -1;
  pb::BrowseNode node;  // Used when code < 0.
};

void FillCodeNode(const CatalogueSnapshot& s, const CodeEntry& e, pb::BrowseNode* n) {
  n->set_id(e.record.code);
  const std::string& title = !e.record.long_title.empty() ? e.record.long_title : e.plain_language;
  n->set_label(absl::StrCat(e.record.display_code.empty() ? e.record.code : e.record.display_code,
                            " ", title));
  n->set_child_count(static_cast<int32_t>(e.children.size()));
  FillSummary(s, e, n->mutable_code());
}

pb::BrowseNode GroupNode(std::string id, std::string label, std::string first, std::string last,
                         int32_t count) {
  pb::BrowseNode n;
  n.set_id(std::move(id));
  n.set_label(std::move(label));
  n.set_range_first(std::move(first));
  n.set_range_last(std::move(last));
  n.set_child_count(count);
  return n;
}

// Top-level codes (no parent) of `system` whose code passes `keep`.
template <typename Keep>
std::vector<int32_t> Roots(const CatalogueSnapshot& s, CodeSystem system, Keep keep) {
  std::vector<int32_t> out;
  for (int32_t i : s.SortedCodes(system)) {
    const CodeEntry& e = s.code(i);
    if (e.parent < 0 && keep(e.record.code)) out.push_back(i);
  }
  return out;
}

bool RangeInside(const CptRange& inner, const CptRange& outer) {
  return &inner != &outer && InCptRange(outer, inner.first_code) &&
         InCptRange(outer, inner.last_code);
}

// Ranges directly under `parent` (nullptr: the top level).
std::vector<const CptRange*> SubRanges(const CatalogueSnapshot& s, const CptRange* parent) {
  std::vector<const CptRange*> out;
  for (const CptRange& r : s.cpt_ranges()) {
    if (parent != nullptr && !RangeInside(r, *parent)) continue;
    if (&r == parent) continue;
    bool nested_deeper = false;
    for (const CptRange& mid : s.cpt_ranges()) {
      if (&mid != parent && RangeInside(r, mid) &&
          (parent == nullptr || RangeInside(mid, *parent))) {
        nested_deeper = true;
        break;
      }
    }
    if (!nested_deeper) out.push_back(&r);
  }
  return out;
}

pb::BrowseNode RangeNode(const CatalogueSnapshot& s, const CptRange& r) {
  int32_t count = static_cast<int32_t>(SubRanges(s, &r).size());
  for (int32_t i : s.SortedCodes(CodeSystem::kCpt)) {
    if (s.CptRangeOf(s.code(i).record.code) == &r) ++count;
  }
  return GroupNode(absl::StrCat("range:", r.first_code, "-", r.last_code), r.family, r.first_code,
                   r.last_code, count);
}

// The children of `node_id` and the group node above codes, for the path.
absl::Status ListChildren(const CatalogueSnapshot& s, CodeSystem system, const std::string& node_id,
                          std::vector<Child>* out) {
  auto add_codes = [&](const std::vector<int32_t>& codes) {
    for (int32_t i : codes) out->push_back(Child{i, {}});
  };
  if (node_id.empty()) {
    switch (system) {
      case CodeSystem::kIcd10Cm:
        for (const Icd10CmChapter& ch : Icd10CmChapters()) {
          auto roots = Roots(s, system, [&](absl::string_view c) {
            return c.substr(0, 3) >= ch.first && c.substr(0, 3) <= ch.last;
          });
          out->push_back(
              Child{-1, GroupNode(absl::StrCat("chapter:", ch.number), std::string(ch.title),
                                  std::string(ch.first), std::string(ch.last),
                                  static_cast<int32_t>(roots.size()))});
        }
        return absl::OkStatus();
      case CodeSystem::kCpt:
        for (const CptRange* r : SubRanges(s, nullptr)) {
          out->push_back(Child{-1, RangeNode(s, *r)});
        }
        return absl::OkStatus();
      default: {
        std::vector<char> firsts;
        for (int32_t i : s.SortedCodes(system)) {
          const char c = s.code(i).record.code[0];
          if (firsts.empty() || firsts.back() != c) firsts.push_back(c);
        }
        const bool pcs = system == CodeSystem::kIcd10Pcs;
        for (char c : firsts) {
          auto roots = Roots(s, system, [c](absl::string_view code) { return code[0] == c; });
          std::string label(pcs                            ? PcsSectionName(c)
                            : system == CodeSystem::kHcpcs ? HcpcsGroupName(c)
                                                           : "ICD-9-CM codes");
          out->push_back(
              Child{-1, GroupNode(absl::StrCat(pcs ? "section:" : "group:", std::string(1, c)),
                                  std::move(label), std::string(1, c), std::string(1, c),
                                  static_cast<int32_t>(roots.size()))});
        }
        return absl::OkStatus();
      }
    }
  }
  absl::string_view id = node_id;
  if (absl::ConsumePrefix(&id, "chapter:") && system == CodeSystem::kIcd10Cm) {
    int number = 0;
    if (absl::SimpleAtoi(id, &number)) {
      for (const Icd10CmChapter& ch : Icd10CmChapters()) {
        if (ch.number != number) continue;
        add_codes(Roots(s, system, [&](absl::string_view c) {
          return c.substr(0, 3) >= ch.first && c.substr(0, 3) <= ch.last;
        }));
        return absl::OkStatus();
      }
    }
  } else if ((absl::ConsumePrefix(&id, "section:") || absl::ConsumePrefix(&id, "group:")) &&
             id.size() == 1) {
    const char c = id[0];
    auto roots = Roots(s, system, [c](absl::string_view code) { return code[0] == c; });
    if (!roots.empty()) {
      add_codes(roots);
      return absl::OkStatus();
    }
  } else if (absl::ConsumePrefix(&id, "range:") && system == CodeSystem::kCpt) {
    for (const CptRange& r : s.cpt_ranges()) {
      if (absl::StrCat(r.first_code, "-", r.last_code) != id) continue;
      for (const CptRange* sub : SubRanges(s, &r)) out->push_back(Child{-1, RangeNode(s, *sub)});
      for (int32_t i : s.SortedCodes(CodeSystem::kCpt)) {
        if (s.CptRangeOf(s.code(i).record.code) == &r) out->push_back(Child{i, {}});
      }
      return absl::OkStatus();
    }
  } else if (const CodeEntry* e = s.Find(system, node_id)) {
    add_codes(e->children);
    return absl::OkStatus();
  }
  return absl::NotFoundError(
      absl::StrCat("no ", CodeSystemLabel(system), " browse node \"", node_id, "\""));
}

void AddPath(const CatalogueSnapshot& s, CodeSystem system, const std::string& node_id,
             pb::BrowseResponse* response) {
  if (node_id.empty()) return;
  const CodeEntry* e = s.Find(system, node_id);
  if (e == nullptr) {
    response->add_path()->set_id(node_id);
    return;
  }
  std::vector<const CodeEntry*> chain;
  for (const CodeEntry* c = e; c != nullptr; c = c->parent >= 0 ? &s.code(c->parent) : nullptr) {
    chain.push_back(c);
  }
  // The group node above the top code.
  const std::string& top = chain.back()->record.code;
  if (system == CodeSystem::kIcd10Cm) {
    if (const Icd10CmChapter* ch = FindIcd10CmChapter(top)) {
      *response->add_path() =
          GroupNode(absl::StrCat("chapter:", ch->number), std::string(ch->title),
                    std::string(ch->first), std::string(ch->last), 0);
    }
  } else if (system == CodeSystem::kCpt) {
    if (const CptRange* r = s.CptRangeOf(top)) {
      *response->add_path() = GroupNode(absl::StrCat("range:", r->first_code, "-", r->last_code),
                                        r->family, r->first_code, r->last_code, 0);
    }
  } else {
    const bool pcs = system == CodeSystem::kIcd10Pcs;
    *response->add_path() =
        GroupNode(absl::StrCat(pcs ? "section:" : "group:", top.substr(0, 1)),
                  std::string(pcs ? PcsSectionName(top[0]) : HcpcsGroupName(top[0])),
                  top.substr(0, 1), top.substr(0, 1), 0);
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    FillCodeNode(s, **it, response->add_path());
  }
}

}  // namespace

absl::Status Browse(const CatalogueSnapshot& snapshot, const pb::BrowseRequest& request,
                    pb::BrowseResponse* response) {
  const CodeSystem system = FromProto(request.system());
  if (system == CodeSystem::kUnspecified) {
    return absl::InvalidArgumentError("Browse needs a code system");
  }
  if (snapshot.CodeEdition(system) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("no ", CodeSystemLabel(system), " edition is loaded"));
  }
  absl::StatusOr<Paging> paging = ParsePaging(request.page_size(), request.page_token(), 100, 1000);
  if (!paging.ok()) return paging.status();
  std::string node_id = request.node_id();
  if (!absl::StrContains(node_id, ':')) {
    node_id.erase(std::remove(node_id.begin(), node_id.end(), '.'), node_id.end());
    for (char& c : node_id) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  }
  std::vector<Child> children;
  absl::Status status = ListChildren(snapshot, system, node_id, &children);
  if (!status.ok()) return status;
  AddPath(snapshot, system, node_id, response);
  for (size_t i = paging->offset; i < children.size() && i < paging->offset + paging->size; ++i) {
    pb::BrowseNode* n = response->add_children();
    if (children[i].code >= 0) {
      FillCodeNode(snapshot, snapshot.code(children[i].code), n);
    } else {
      *n = std::move(children[i].node);
    }
  }
  response->set_next_page_token(NextToken(*paging, children.size()));
  return absl::OkStatus();
}

absl::Status ListChanges(const CatalogueSnapshot& snapshot, const pb::ListChangesRequest& request,
                         pb::ListChangesResponse* response) {
  absl::StatusOr<Paging> paging = ParsePaging(request.page_size(), request.page_token(), 100, 1000);
  if (!paging.ok()) return paging.status();
  const CodeSystem system = FromProto(request.system());
  std::vector<CodeSystem> systems;
  if (system != CodeSystem::kUnspecified) {
    systems.push_back(system);
    if (const EditionInfo* e = snapshot.CodeEdition(system)) {
      FillEdition(*e, response->mutable_edition());
    }
  } else {
    systems = {CodeSystem::kIcd10Cm, CodeSystem::kIcd10Pcs, CodeSystem::kHcpcs, CodeSystem::kCpt,
               CodeSystem::kIcd9Cm};
  }
  size_t total = 0;
  for (CodeSystem s : systems) {
    for (int32_t i : snapshot.SortedCodes(s)) {
      const CodeEntry& e = snapshot.code(i);
      const pb::ChangeKind kind = ToProto(e.record.change_status);
      if (kind == pb::CHANGE_KIND_UNCHANGED) continue;
      if (request.kind() != pb::CHANGE_KIND_UNSPECIFIED && kind != request.kind()) continue;
      if (total >= paging->offset && total < paging->offset + paging->size) {
        pb::CodeChange* change = response->add_changes();
        FillSummary(snapshot, e, change->mutable_code());
        change->set_kind(kind);
      }
      ++total;
    }
  }
  response->set_total_count(static_cast<int32_t>(total));
  response->set_next_page_token(NextToken(*paging, total));
  return absl::OkStatus();
}

absl::Status ListModifiers(const CatalogueSnapshot& snapshot,
                           const pb::ListModifiersRequest& request,
                           pb::ListModifiersResponse* response) {
  absl::StatusOr<Paging> paging = ParsePaging(request.page_size(), request.page_token(), 100, 500);
  if (!paging.ok()) return paging.status();
  const CodeSystem system = FromProto(request.system());
  size_t total = 0;
  for (const ModifierEntry& m : snapshot.modifiers()) {
    if (system != CodeSystem::kUnspecified && m.system != system) continue;
    if (total >= paging->offset && total < paging->offset + paging->size) {
      FillModifier(m, response->add_modifiers());
    }
    ++total;
  }
  response->set_next_page_token(NextToken(*paging, total));
  return absl::OkStatus();
}

}  // namespace openencoder::catalogue
