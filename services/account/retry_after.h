// The retry-after statuses moved to services/common/retry_after.h (every
// service's worker queue answers with one when full); these names stay for
// the account code that uses them.
#ifndef OPENENCODER_SERVICES_ACCOUNT_RETRY_AFTER_H_
#define OPENENCODER_SERVICES_ACCOUNT_RETRY_AFTER_H_

#include "services/common/retry_after.h"

namespace openencoder::account {

using common::kRetryAfterPayload;
using common::ResourceExhaustedRetryAfter;
using common::RetryAfterOf;

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_RETRY_AFTER_H_
