#include "libs/code_sets/model/code_record.h"

namespace openencoder::catalogue {

absl::string_view ChangeStatusName(ChangeStatus status) {
  switch (status) {
    case ChangeStatus::kNew:
      return "new";
    case ChangeStatus::kRevised:
      return "revised";
    case ChangeStatus::kDeleted:
      return "deleted";
    case ChangeStatus::kUnchanged:
      break;
  }
  return "unchanged";
}

}  // namespace openencoder::catalogue
