// A complete, valid posting the jobs tests start from and vary: on-site in
// Austin TX, full time, CPC, outpatient cardiology, $25-$30 an hour.
#ifndef OPENENCODER_TESTS_JOBS_POSTING_FIELDS_H_
#define OPENENCODER_TESTS_JOBS_POSTING_FIELDS_H_

#include <string>

#include "openencoder/jobs/v1/jobs_service.pb.h"

namespace openencoder::jobs {

inline v1::PostingFields ValidPostingFields(const std::string& title) {
  v1::PostingFields f;
  f.set_title(title);
  f.set_organization("Mercy Health");
  f.set_description("Code outpatient encounters with ICD-10-CM and CPT.");
  f.mutable_location()->set_city("Austin");
  f.mutable_location()->set_state("TX");
  f.mutable_location()->set_zip("78701");
  f.set_arrangement(v1::WORK_ARRANGEMENT_ON_SITE);
  f.set_employment_type(v1::EMPLOYMENT_TYPE_FULL_TIME);
  f.add_credentials_required("CPC");
  f.add_settings(v1::CODING_SETTING_OUTPATIENT);
  f.add_specialties("cardiology");
  f.mutable_pay()->set_model(v1::PAY_MODEL_HOURLY);
  f.mutable_pay()->set_min_cents(2500);
  f.mutable_pay()->set_max_cents(3000);
  return f;
}

}  // namespace openencoder::jobs

#endif  // OPENENCODER_TESTS_JOBS_POSTING_FIELDS_H_
