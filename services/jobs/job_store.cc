#include "services/jobs/job_store.h"

#include <utility>

#include "services/jobs/application_id.h"

namespace openencoder::jobs {

v1::Application AnonymisedApplication(v1::Application application, absl::string_view anon_coder) {
  application.set_application_id(ApplicationId(application.posting_id(), anon_coder));
  application.clear_coder_account_id();
  application.clear_note();
  application.clear_resume_url();
  application.set_applicant_deleted(true);
  return application;
}

}  // namespace openencoder::jobs
