// Calendar windows (UTC) that quotas count in: views per month, feature
// uses and guest sessions per day.
#ifndef OPENENCODER_SERVICES_ACCOUNT_TIME_WINDOWS_H_
#define OPENENCODER_SERVICES_ACCOUNT_TIME_WINDOWS_H_

#include <string>

#include "absl/time/time.h"

namespace openencoder::account {

struct Window {
  std::string label;  // "2026-11" (month) or "2026-11-05" (day); part of key names
  absl::Time start;
  absl::Time end;  // start of the next window
};

// The UTC calendar month containing `now`.
Window MonthWindow(absl::Time now);
// The UTC calendar day containing `now`.
Window DayWindow(absl::Time now);

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_TIME_WINDOWS_H_
