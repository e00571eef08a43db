// Medicare locality names -> "MAC-locality" ids ("MIAMI" -> "09102-04"), read
// from a CMS GPCI CSV (header mac,state,locality_number,locality_name,...),
// the same public file the catalogue prices with. Lets a question say
// "in Miami" instead of a locality id.
//
// Thread safety: immutable after Load().
#ifndef OPENENCODER_SERVICES_ASSISTANT_LOCALITY_TABLE_H_
#define OPENENCODER_SERVICES_ASSISTANT_LOCALITY_TABLE_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace openencoder::assistant {

class LocalityTable {
 public:
  LocalityTable() = default;
  // NOT_FOUND when the file cannot be read; rows that do not parse are skipped.
  static absl::StatusOr<LocalityTable> Load(const std::string& gpci_csv_path);
  // Adds one row (tests).
  void Add(absl::string_view name, absl::string_view state, absl::string_view id);

  // An id ("09102-04") is returned as is. Words match a locality name, a
  // name without its state ("Miami" -> "MIAMI"), or a state code / state
  // name when the state has a single locality. "" when nothing matches.
  std::string Resolve(absl::string_view words) const;

 private:
  absl::flat_hash_map<std::string, std::string> by_name_;   // lower-case name -> id
  absl::flat_hash_map<std::string, std::string> by_state_;  // lower-case state -> id ("" if >1)
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_LOCALITY_TABLE_H_
