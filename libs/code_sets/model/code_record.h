// A code (or a non-billable header) of one code system in one edition.
#ifndef OPENENCODER_LIBS_CODE_SETS_MODEL_CODE_RECORD_H_
#define OPENENCODER_LIBS_CODE_SETS_MODEL_CODE_RECORD_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "libs/code_sets/model/code_system.h"

namespace openencoder::catalogue {

// How a code changed in the edition it belongs to, relative to the previous.
enum class ChangeStatus {
  kUnchanged = 0,
  kNew,      // Added in this edition.
  kRevised,  // Title or billable flag changed in this edition.
  kDeleted,  // Removed in this edition; kept so that lookups can explain it.
};

absl::string_view ChangeStatusName(ChangeStatus status);

// The HCPCS Level II administrative fields (record layout positions
// 120-293). Kept out of CodeRecord because only ~7k of ~180k records carry
// them; blank fields are empty strings.
struct HcpcsDetails {
  std::array<std::string, 4> pricing_indicators;           // PRICE1-4, 2 chars each.
  std::string multiple_pricing_indicator;                  // MULT_PI.
  std::vector<std::string> coverage_issues_manual_refs;    // CIM1-3.
  std::vector<std::string> medicare_carriers_manual_refs;  // MCM1-3.
  std::string statute;
  std::vector<std::string> lab_certifications;  // LABCERT1-8.
  std::vector<std::string> cross_references;    // XREF1-5.
  std::string coverage_code;                    // COV: C, D, I, M, S.
  std::string asc_payment_group;
  std::optional<absl::CivilDay> asc_effective_date;
  std::string opps_payment_group;
  std::string opps_payment_indicator;
  std::optional<absl::CivilDay> opps_effective_date;
  std::string processing_note;
  std::string betos;                         // Berenson-Eggers type of service.
  std::vector<std::string> type_of_service;  // TOS1-5, 1 char each.
  std::string anesthesia_base_units;
};

struct CodeRecord {
  CodeSystem system = CodeSystem::kUnspecified;
  // Canonical form: upper case, no dot ("E119", "0016070", "A0021").
  std::string code;
  // Display form ("E11.9"); see FormatDisplayCode().
  std::string display_code;
  std::string short_title;
  std::string long_title;
  // True for codes valid on a claim; false for headers (categories,
  // subcategories, PCS tables).
  bool billable = false;
  // Longest shorter code of the same edition that is a prefix of `code`;
  // empty for top-level categories and for systems without a hierarchy.
  std::string parent_code;
  // ICD-10-CM chapter number 1-22 (0 when not applicable).
  int chapter = 0;
  // First three characters: the ICD-10-CM category or the PCS table.
  std::string category;
  // Position in the official order file (0 when the file has none).
  uint32_t order_number = 0;
  std::optional<absl::CivilDay> added_date;
  std::optional<absl::CivilDay> effective_date;
  std::optional<absl::CivilDay> termination_date;
  // HCPCS action code (A, B, C, D, F, N, P, R, S, T); '\0' when none.
  char action_code = '\0';
  std::string edition_id;
  ChangeStatus change_status = ChangeStatus::kUnchanged;
  // For kDeleted codes: codes of this edition that take their place.
  std::vector<std::string> replacement_codes;
  // Only for HCPCS; shared so that records stay cheap to copy.
  std::shared_ptr<const HcpcsDetails> hcpcs;
};

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_MODEL_CODE_RECORD_H_
