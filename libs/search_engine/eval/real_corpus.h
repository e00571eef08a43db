// Loads the official code-set files that Case2Code searches (ICD-10-CM and
// ICD-10-PCS order files, HCPCS 2020 October CSV, the legacy ICD-9-CM
// titles) as SearchDocuments, with our plain-language notes merged in where
// a code has one and the ICD-10-CM Alphabetic Index entries on their codes,
// as the catalogue's StreamCodes gives them to the search service.
//
// Used by the quality test and the peer benchmark, so both index exactly
// the same ~185,000 documents.
//
// Example:
//   absl::StatusOr<RealCorpus> corpus =
//       LoadRealCorpus(getenv("OE_SHARED_DATA"), "data/demo/code_notes.tsv");
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_EVAL_REAL_CORPUS_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_EVAL_REAL_CORPUS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/search_engine/search_types.h"

namespace openencoder::search {

struct RealCorpus {
  std::vector<SearchDocument> documents;
  size_t icd10cm = 0, icd10pcs = 0, hcpcs = 0, icd9cm = 0;  // Documents per system.
  size_t index_entries = 0;  // Alphabetic Index entries hung on codes.
  size_t with_notes = 0;     // Documents that got plain-language text.
};

// Relative paths of the files read under `data_folder`.
inline constexpr char kIcd10CmOrderFile[] = "icd10cm/icd10cm-order-2026.txt";
inline constexpr char kIcd10PcsOrderFile[] = "icd10pcs/icd10pcs_order_2026.txt";
inline constexpr char kHcpcsCsvFile[] = "hcpcs/2020-10-quarterly/HCPC2020_OCT_ANWEB.csv";
inline constexpr char kIcd9TitlesFile[] = "icd9cm/CMS32_DESC_LONG_DX.txt";
inline constexpr char kIndexFile[] = "icd10cm-tabular/icd10cm_index_2023.xml";

// Every record of the three files (billable codes and headers). `notes_file`
// may be empty (no notes). Errors: NotFound/Unavailable when a file cannot
// be read; rows the importers reject are left out, as the catalogue does.
absl::StatusOr<RealCorpus> LoadRealCorpus(const std::string& data_folder,
                                          const std::string& notes_file);

}  // namespace openencoder::search

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_EVAL_REAL_CORPUS_H_
