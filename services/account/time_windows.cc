#include "services/account/time_windows.h"

#include "absl/strings/str_format.h"

namespace openencoder::account {

Window MonthWindow(absl::Time now) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilMonth month = absl::ToCivilMonth(now, utc);
  return Window{absl::StrFormat("%04d-%02d", month.year(), month.month()),
                absl::FromCivil(month, utc), absl::FromCivil(month + 1, utc)};
}

Window DayWindow(absl::Time now) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilDay day = absl::ToCivilDay(now, utc);
  return Window{absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day()),
                absl::FromCivil(day, utc), absl::FromCivil(day + 1, utc)};
}

}  // namespace openencoder::account
