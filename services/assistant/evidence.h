// What the answer engine learned from its tools for one question: the input
// of the answer composer. Plain values copied from tool responses, so a
// composer test can build one by hand.
#ifndef OPENENCODER_SERVICES_ASSISTANT_EVIDENCE_H_
#define OPENENCODER_SERVICES_ASSISTANT_EVIDENCE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "openencoder/account/v1/account_service.pb.h"
#include "openencoder/catalogue/v1/catalogue_service.pb.h"
#include "openencoder/search/v1/search_service.pb.h"
#include "services/assistant/knowledge_base.h"
#include "services/assistant/question_classifier.h"

namespace openencoder::assistant {

struct Evidence {
  Question question;
  // Edition id -> label ("icd10cm-fy2026" -> "ICD-10-CM FY2026").
  absl::flat_hash_map<std::string, std::string> edition_labels;
  // The codes the question named, as the catalogue knows them.
  std::vector<catalogue::v1::CodeSummary> codes;
  // Codes the question named that the catalogue does not know (canonical).
  std::vector<std::string> unknown_codes;

  // kNcciPair: the claim check without modifiers, and with the asked
  // modifiers on the column-2 line when there were any.
  std::optional<catalogue::v1::CheckClaimResponse> claim;
  std::optional<catalogue::v1::CheckClaimResponse> claim_with_modifiers;

  // kUnits: the MUE per code (absent: none published), and the check of the
  // units asked about.
  absl::flat_hash_map<std::string, catalogue::v1::Mue> mues;
  std::optional<catalogue::v1::CheckClaimResponse> units_check;
  std::string mue_source;

  std::vector<catalogue::v1::Modifier> modifiers;  // kModifier and modifiers named
  std::vector<std::string> unknown_modifiers;
  std::optional<catalogue::v1::GetCrosswalkResponse> crosswalk;
  std::optional<catalogue::v1::GetFeeResponse> fee;
  std::string fee_problem;  // why there is no fee (status message), empty if fee set
  std::string locality_asked;
  bool locality_unknown = false;
  std::optional<catalogue::v1::ListChangesResponse> changes;
  std::vector<search::v1::SearchHit> search_hits;  // kFindCode
  // kFindCode after "also has ...": the previous turn's codes as the
  // catalogue knows them, and the best code combining them with the new
  // condition (a combination code such as E11.22), if the search found one.
  std::vector<catalogue::v1::CodeSummary> also_with;
  std::optional<search::v1::SearchHit> combination;
  // kAccount: the asker's quota, or why there is none (not signed in...).
  std::optional<account::v1::Quota> quota;
  std::string quota_problem;
  // Where CaseConsultant takes questions ("consultant@openencoder.local").
  std::string consultant_address;
  std::vector<const KnowledgeArticle*> articles;  // guideline articles, best first
  // Official Guidelines sections (KnowledgeArticle::section set), best first:
  // quoted before our own articles.
  std::vector<const KnowledgeArticle*> official;
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_EVIDENCE_H_
