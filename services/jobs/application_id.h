// An application's public id names its posting and coder: "<posting>.<coder>".
// Posting ids are hex and never contain '.', so the first '.' splits it.
// Deriving the id (instead of storing a random one) is what lets
// WithdrawApplication find the record from the id alone, and makes a
// repeated Apply land on the same record.
#ifndef OPENENCODER_SERVICES_JOBS_APPLICATION_ID_H_
#define OPENENCODER_SERVICES_JOBS_APPLICATION_ID_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace openencoder::jobs {

inline std::string ApplicationId(absl::string_view posting_id, absl::string_view coder) {
  return absl::StrCat(posting_id, ".", coder);
}

// False for ids that do not have both parts.
inline bool SplitApplicationId(absl::string_view id, std::string* posting_id, std::string* coder) {
  const size_t dot = id.find('.');
  if (dot == absl::string_view::npos || dot == 0 || dot + 1 == id.size()) return false;
  *posting_id = std::string(id.substr(0, dot));
  *coder = std::string(id.substr(dot + 1));
  return true;
}

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_APPLICATION_ID_H_
