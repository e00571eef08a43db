#include "services/catalogue/store/file_kinds.h"

#include <array>
#include <utility>

#include "absl/status/statusor.h"
#include "services/catalogue/store/catalogue_loader.h"

namespace openencoder::catalogue {
namespace {

// Keeps an importer's result (its report and data) or returns its error.
template <typename T>
absl::Status Keep(absl::StatusOr<T> result, ImportedFile* out) {
  if (!result.ok()) return result.status();
  out->report = result->report;
  out->data = *std::move(result);
  return absl::OkStatus();
}

// An importer that takes (path, edition), as most do.
template <auto Import>
absl::Status Plain(const ManifestEntry& e, const Edition& edition, ImportedFile* out) {
  return Keep(Import(e.path, edition), out);
}

constexpr absl::string_view kIcd10CmNotice =
    "ICD-10-CM is published by the National Center for Health Statistics (CDC) and is in the "
    "public domain.";
constexpr absl::string_view kPcsNotice =
    "ICD-10-PCS is published by CMS and is in the public domain.";
constexpr absl::string_view kCptOwnWords =
    "CPT is a registered trademark of the American Medical Association. Code numbers only; the "
    "wording shown is OpenEncoder's own, not AMA descriptor text.";
constexpr absl::string_view kNcciNotice =
    "National Correct Coding Initiative edits are published by CMS and are in the public domain.";
constexpr absl::string_view kNcciDemo =
    "DEMO DATA: invented by OpenEncoder for demonstration; these are not CMS NCCI edits or MUE "
    "values.";
constexpr absl::string_view kGemNotice =
    "General Equivalence Mappings are public domain. GEMs map the FY2018 code sets; a target may "
    "since have been revised.";
constexpr absl::string_view kFeeNotice =
    "Medicare Physician Fee Schedule relative values and GPCIs are public domain numbers. Amounts "
    "are estimates, not payment determinations.";

const std::array<FileKindInfo, 21>& Table() {
  using K = FileKind;
  using R = FileRole;
  using S = CodeSystem;
  static const std::array<FileKindInfo, 21> table = {{
      {K::kIcd10CmOrder, "icd10cm-order", S::kIcd10Cm, R::kOrder, "CDC/NCHS", kIcd10CmNotice, "",
       &Plain<ImportIcd10OrderFile>},
      {K::kIcd10CmAddenda, "icd10cm-addenda", S::kIcd10Cm, R::kAddenda, "CDC/NCHS", kIcd10CmNotice,
       "", nullptr},
      {K::kIcd10PcsOrder, "icd10pcs-order", S::kIcd10Pcs, R::kOrder, "CMS", kPcsNotice, "",
       &Plain<ImportIcd10OrderFile>},
      {K::kIcd10PcsAddenda, "icd10pcs-addenda", S::kIcd10Pcs, R::kAddenda, "CMS", kPcsNotice, "",
       nullptr},
      {K::kHcpcsFixed, "hcpcs-fixed", S::kHcpcs, R::kCodes, "CMS", kHcpcsDisclaimer, "",
       &Plain<ImportHcpcsFixedWidth>},
      {K::kHcpcsCsv, "hcpcs-csv", S::kHcpcs, R::kCodes, "CMS", kHcpcsDisclaimer, "",
       &Plain<ImportHcpcsCsv>},
      {K::kHcpcsModifiers, "hcpcs-modifiers", S::kHcpcs, R::kData, "CMS", kHcpcsDisclaimer, "",
       &Plain<ImportModifierTsv>},
      {K::kCptLicensed, "cpt-licensed", S::kCpt, R::kData, "AMA (licensed)",
       "CPT is copyright American Medical Association. All rights reserved. Descriptors are "
       "shown under the deployment's licence.",
       "", &Plain<ImportCptLicenseeFile>},
      {K::kCodeNotes, "code-notes", S::kUnspecified, R::kData, "OpenEncoder",
       "Plain-language text written by OpenEncoder; it explains a code and is not official "
       "descriptor text.",
       "", &Plain<ImportCodeNotes>},
      {K::kCptStatus, "cpt-status", S::kCpt, R::kData, "OpenEncoder", kCptOwnWords, "",
       &Plain<ImportCptStatus>},
      {K::kCptRanges, "cpt-ranges", S::kCpt, R::kData, "OpenEncoder", kCptOwnWords, "",
       &Plain<ImportCptRanges>},
      {K::kCptModifiers, "cpt-modifiers", S::kCpt, R::kData, "OpenEncoder", kCptOwnWords, "",
       &Plain<ImportCptModifiers>},
      {K::kNcciPtp, "ncci-ptp", S::kUnspecified, R::kData, "CMS NCCI", kNcciNotice, kNcciDemo,
       &Plain<ImportNcciPtp>},
      {K::kMue, "mue", S::kUnspecified, R::kData, "CMS NCCI", kNcciNotice, kNcciDemo,
       &Plain<ImportNcciMue>},
      {K::kGemI9ToI10, "gem-i9-i10", S::kIcd9Cm, R::kData, "CMS/NCHS", kGemNotice, "",
       [](const ManifestEntry& e, const Edition& edition, ImportedFile* out) {
         return Keep(ImportGemFile(e.path, CodeSystem::kIcd9Cm, edition), out);
       }},
      {K::kGemI10ToI9, "gem-i10-i9", S::kIcd10Cm, R::kData, "CMS/NCHS", kGemNotice, "",
       [](const ManifestEntry& e, const Edition& edition, ImportedFile* out) {
         return Keep(ImportGemFile(e.path, CodeSystem::kIcd10Cm, edition), out);
       }},
      {K::kIcd9Titles, "icd9-titles", S::kIcd9Cm, R::kData, "CMS",
       "ICD-9-CM titles (v32, final) are in the public domain.", "",
       [](const ManifestEntry& e, const Edition& edition, ImportedFile* out) {
         return Keep(ImportIcd9Titles(e.path, edition, e.short_titles,
                                      e.latin1 ? TextEncoding::kLatin1 : TextEncoding::kUtf8),
                     out);
       }},
      {K::kRvu, "rvu", S::kUnspecified, R::kData, "CMS", kFeeNotice, "", &Plain<ImportRvuCsv>},
      {K::kGpci, "gpci", S::kUnspecified, R::kData, "CMS", kFeeNotice, "", &Plain<ImportGpciCsv>},
      {K::kIcd10CmTabular, "icd10cm-tabular", S::kIcd10Cm, R::kData, "CDC/NCHS",
       "The ICD-10-CM Tabular List is published by the National Center for Health Statistics "
       "(CDC) and is in the public domain. Its notes are shown with their edition, which may be "
       "older than the codes served.",
       "", &Plain<ImportIcd10CmTabular>},
      {K::kIcd10CmIndex, "icd10cm-index", S::kIcd10Cm, R::kData, "CDC/NCHS",
       "The ICD-10-CM Alphabetic Index is published by the National Center for Health "
       "Statistics (CDC) and is in the public domain. Index entries are from the edition named "
       "here, which may be older than the code set shown.",
       "", &Plain<ImportAlphabeticIndex>},
  }};
  return table;
}

}  // namespace

absl::Span<const FileKindInfo> FileKinds() { return Table(); }

const FileKindInfo& FileKindRow(FileKind kind) {
  for (const FileKindInfo& row : Table()) {
    if (row.kind == kind) return row;
  }
  // Every enum value has a row (file_kinds_test); reaching here is a
  // programming error, answered with the first row rather than a crash.
  return Table()[0];
}

}  // namespace openencoder::catalogue
