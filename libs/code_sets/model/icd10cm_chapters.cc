#include "libs/code_sets/model/icd10cm_chapters.h"

#include <array>
#include <cstdint>
#include <utility>

namespace openencoder::catalogue {
namespace {

// From the FY2026 tabular list. Ranges compare as plain strings because a
// category is letter, digit, alnum and 'A' sorts after '9' (O9A is in 15).
// One chapter a line, as in the tabular list's contents, so the table reads
// down its columns; two titles run past the column limit rather than split
// their rows.
// clang-format off
constexpr std::array<Icd10CmChapter, 22> kChapters = {{
    {1, "A00", "B99", "Certain infectious and parasitic diseases"},
    {2, "C00", "D49", "Neoplasms"},
    {3, "D50", "D89", "Diseases of the blood and blood-forming organs and certain disorders involving the immune mechanism"},
    {4, "E00", "E89", "Endocrine, nutritional and metabolic diseases"},
    {5, "F01", "F99", "Mental, Behavioral and Neurodevelopmental disorders"},
    {6, "G00", "G99", "Diseases of the nervous system"},
    {7, "H00", "H59", "Diseases of the eye and adnexa"},
    {8, "H60", "H95", "Diseases of the ear and mastoid process"},
    {9, "I00", "I99", "Diseases of the circulatory system"},
    {10, "J00", "J99", "Diseases of the respiratory system"},
    {11, "K00", "K95", "Diseases of the digestive system"},
    {12, "L00", "L99", "Diseases of the skin and subcutaneous tissue"},
    {13, "M00", "M99", "Diseases of the musculoskeletal system and connective tissue"},
    {14, "N00", "N99", "Diseases of the genitourinary system"},
    {15, "O00", "O9A", "Pregnancy, childbirth and the puerperium"},
    {16, "P00", "P96", "Certain conditions originating in the perinatal period"},
    // FY2026 added category QA0 at the end of chapter 17.
    {17, "Q00", "QA0", "Congenital malformations, deformations and chromosomal abnormalities"},
    {18, "R00", "R99", "Symptoms, signs and abnormal clinical and laboratory findings, not elsewhere classified"},
    {19, "S00", "T88", "Injury, poisoning and certain other consequences of external causes"},
    {20, "V00", "Y99", "External causes of morbidity"},
    {21, "Z00", "Z99", "Factors influencing health status and contact with health services"},
    {22, "U00", "U85", "Codes for special purposes"},
}};
// clang-format on

// The first three characters as one number that sorts like the string.
constexpr uint32_t Pack(absl::string_view category) {
  return static_cast<uint32_t>(static_cast<unsigned char>(category[0])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(category[1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(category[2]));
}

}  // namespace

absl::Span<const Icd10CmChapter> Icd10CmChapters() { return kChapters; }

const Icd10CmChapter* FindIcd10CmChapter(absl::string_view code) {
  if (code.size() < 3) return nullptr;
  // Every code of a load passes here: compare integers, not strings.
  static constexpr std::array<std::pair<uint32_t, uint32_t>, kChapters.size()> kBounds = [] {
    std::array<std::pair<uint32_t, uint32_t>, kChapters.size()> bounds{};
    for (size_t i = 0; i < kChapters.size(); ++i) {
      bounds[i] = {Pack(kChapters[i].first), Pack(kChapters[i].last)};
    }
    return bounds;
  }();
  const uint32_t category = Pack(code);
  for (size_t i = 0; i < kBounds.size(); ++i) {
    if (category >= kBounds[i].first && category <= kBounds[i].second) return &kChapters[i];
  }
  return nullptr;
}

}  // namespace openencoder::catalogue
