#include "services/catalogue/claim_checker.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/code_sets/model/code_format.h"
#include "services/catalogue/code_page_builder.h"
#include "services/catalogue/code_resolver.h"
#include "services/catalogue/proto_convert.h"

namespace openencoder::catalogue {
namespace {

struct Line {
  std::string code;
  int units = 0;
  std::vector<std::string> modifiers;
};

bool IsEvaluationAndManagement(absl::string_view code) {
  return code.size() == 5 && code >= "99202" && code <= "99499";
}

// The first modifier on `line` that may bypass an indicator-1 edit.
std::string BypassModifier(const Line& line) {
  for (const std::string& m : line.modifiers) {
    if (!IsNcciAssociatedModifier(m)) continue;
    if ((m == "25" || m == "57") && !IsEvaluationAndManagement(line.code)) continue;
    return m;
  }
  return "";
}

bool InForce(const NcciPtpEdit& edit, absl::CivilDay today) {
  if (edit.modifier_indicator == 9) return false;
  if (edit.effective_date > today) return false;
  return !edit.deletion_date || *edit.deletion_date > today;
}

}  // namespace

absl::Status CheckClaim(const CatalogueSnapshot& snapshot, const pb::CheckClaimRequest& request,
                        absl::CivilDay today, pb::CheckClaimResponse* response) {
  if (request.lines().empty()) return absl::InvalidArgumentError("the claim has no lines");
  if (request.lines_size() > kMaxClaimLines) {
    return absl::InvalidArgumentError(
        absl::StrCat("the claim has ", request.lines_size(), " lines; at most ", kMaxClaimLines));
  }
  std::vector<Line> lines;
  absl::flat_hash_set<std::string> unknown;
  for (int i = 0; i < request.lines_size(); ++i) {
    const pb::ClaimLine& in = request.lines(i);
    Line line;
    line.code = CanonicalCodeText(in.code());
    if (!IsValidCode(CodeSystem::kCpt, line.code) && !IsValidCode(CodeSystem::kHcpcs, line.code)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", i + 1, ": \"", in.code(), "\" is not a CPT or HCPCS code. ",
          DescribeCodeShape(CodeSystem::kCpt), ". ", DescribeCodeShape(CodeSystem::kHcpcs)));
    }
    if (in.units() < 1) {
      return absl::InvalidArgumentError(absl::StrCat("line ", i + 1, ": units must be at least 1"));
    }
    line.units = in.units();
    for (const std::string& m : in.modifiers()) line.modifiers.push_back(CanonicalCodeText(m));
    if (snapshot.Find(CodeSystem::kCpt, line.code) == nullptr &&
        snapshot.Find(CodeSystem::kHcpcs, line.code) == nullptr &&
        unknown.insert(line.code).second) {
      response->add_unknown_codes(line.code);
    }
    lines.push_back(std::move(line));
  }

  const EditionInfo* ptp_edition = snapshot.ptp_edition();
  const std::string ptp_label = ptp_edition != nullptr && ptp_edition->demo ? "[DEMO] " : "";
  int unbypassed = 0;
  int bypassed_count = 0;
  absl::flat_hash_set<int32_t> reported;
  for (size_t i = 0; i < lines.size(); ++i) {
    for (int32_t e : snapshot.PtpWithColumn1(lines[i].code)) {
      const NcciPtpEdit& edit = snapshot.ptp()[e];
      if (!InForce(edit, today) || reported.contains(e)) continue;
      for (size_t j = 0; j < lines.size(); ++j) {
        if (j == i || lines[j].code != edit.column2) continue;
        reported.insert(e);
        pb::NcciConflict* c = response->add_ncci_conflicts();
        FillNcciPair(snapshot, edit, c->mutable_pair());
        const bool bypassable = edit.modifier_indicator == 1;
        std::string modifier;
        if (bypassable) {
          modifier = BypassModifier(lines[j]);
          if (modifier.empty()) modifier = BypassModifier(lines[i]);
        }
        c->set_bypassable(bypassable);
        c->set_bypassed(!modifier.empty());
        std::string sentence = absl::StrCat(ptp_label, edit.column2, " is bundled into ",
                                            edit.column1, " (", edit.rationale, ")");
        if (!bypassable) {
          absl::StrAppend(&sentence, ": ", edit.column2,
                          " is not paid with it and no modifier can bypass this edit.");
          ++unbypassed;
        } else if (!modifier.empty()) {
          absl::StrAppend(&sentence, "; modifier ", modifier,
                          " bypasses the edit, provided the record documents a "
                          "distinct service.");
          ++bypassed_count;
        } else {
          absl::StrAppend(&sentence, ": ", edit.column2,
                          " is denied unless a modifier such as 59, XE, XP, XS "
                          "or XU shows a distinct service.");
          ++unbypassed;
        }
        c->set_explanation(std::move(sentence));
        break;
      }
    }
  }

  const EditionInfo* mue_edition = snapshot.mue_edition();
  const std::string mue_label = mue_edition != nullptr && mue_edition->demo ? "[DEMO] " : "";
  absl::flat_hash_map<std::string, int> units_per_code;
  std::vector<std::string> code_order;
  for (const Line& line : lines) {
    if (units_per_code[line.code] == 0) code_order.push_back(line.code);
    units_per_code[line.code] += line.units;
  }
  auto add_violation = [&](const MueEdit& mue, int units, absl::string_view scope) {
    pb::MueViolation* v = response->add_mue_violations();
    FillMue(snapshot, mue, v->mutable_mue());
    v->set_units_billed(units);
    v->set_explanation(absl::StrCat(mue_label, units, " units of ", mue.code, " ", scope,
                                    " exceed its MUE of ", mue.units, " (",
                                    MueAdjudicationMeaning(mue.adjudication), ")."));
  };
  for (const std::string& code : code_order) {
    const MueEdit* mue = snapshot.FindMue(code);
    if (mue == nullptr) continue;
    if (mue->adjudication == MueAdjudication::kLineEdit) {
      for (const Line& line : lines) {
        if (line.code == code && line.units > mue->units) {
          add_violation(*mue, line.units, "on one line");
        }
      }
    } else if (units_per_code[code] > mue->units) {
      add_violation(*mue, units_per_code[code], "on one date of service");
    }
  }

  const int mue_count = response->mue_violations_size();
  response->set_clean(unbypassed == 0 && mue_count == 0);
  if (response->clean() && bypassed_count == 0) {
    response->set_summary("No NCCI edit or MUE limit applies to these lines.");
  } else {
    response->set_summary(absl::StrCat(response->ncci_conflicts_size(), " NCCI edit(s) apply (",
                                       bypassed_count, " bypassed by a modifier, ", unbypassed,
                                       " not); ", mue_count, " MUE limit(s) exceeded."));
  }
  if (ptp_edition != nullptr) FillAttribution(*ptp_edition, response->add_attributions());
  if (mue_edition != nullptr && mue_edition != ptp_edition) {
    FillAttribution(*mue_edition, response->add_attributions());
  }
  return absl::OkStatus();
}

}  // namespace openencoder::catalogue
