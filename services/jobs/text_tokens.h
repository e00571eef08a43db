// Words for keyword search over titles and descriptions: ASCII letters and
// digits (other bytes count as letters so non-English words still match
// themselves), lower-cased, a few stop words dropped, and a plain trailing
// "s" removed so that "coders" finds "coder". Indexing and queries use the
// same function, which is all that matters for matching.
#ifndef OPENENCODER_SERVICES_JOBS_TEXT_TOKENS_H_
#define OPENENCODER_SERVICES_JOBS_TEXT_TOKENS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace openencoder::jobs {

std::vector<std::string> Tokenize(absl::string_view text);

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_TEXT_TOKENS_H_
