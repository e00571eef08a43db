// The jobs service's field-path messages become sentences for people.
#include <gtest/gtest.h>

#include "services/gateway/jobs_routes.h"

namespace openencoder::gateway {
namespace {

TEST(HumanJobsMessage, RequiredFieldsAreNamedAsTheFormNamesThem) {
  EXPECT_EQ(HumanJobsMessage("fields.employment_type: required"), "Employment type is required.");
  EXPECT_EQ(HumanJobsMessage("fields.location.state: required unless remote"),
            "State is required unless the job is remote.");
  EXPECT_EQ(HumanJobsMessage("fields.title: at most 120 characters"),
            "Title must be at most 120 characters.");
  EXPECT_EQ(HumanJobsMessage("closes_at: must be in the future"),
            "Closing date must be in the future.");
}

TEST(HumanJobsMessage, BareFilterPathsSayWhatToEnter) {
  EXPECT_EQ(HumanJobsMessage("filters.states"),
            "State filter: use a two-letter US state code, such as TX.");
  EXPECT_EQ(HumanJobsMessage("parameter 'filters.arrangements': unknown value 'BEACH'"),
            "Arrangement filter: unknown value 'BEACH'.");
}

TEST(HumanJobsMessage, NoFieldPathSurvivesForAnyKnownField) {
  for (const char* m :
       {"fields.pay: max below min", "fields.pay.model: required with an amount",
        "fields.credentials_required: unknown credential", "fields.location.zip: 5 digits or ZIP+4",
        "fields.min_years_experience: 0..50", "fields.accuracy_target_percent: 0..100",
        "fields.remote_states: only for remote or hybrid work",
        "resume_url: an https:// link is "
        "required",
        "filters.credentials", "filters: negative numbers",
        "page_token: not one this server issued"}) {
    const std::string out = HumanJobsMessage(m);
    EXPECT_EQ(out.find("fields."), std::string::npos) << m << " -> " << out;
    EXPECT_EQ(out.find("filters."), std::string::npos) << m << " -> " << out;
    EXPECT_EQ(out.find('_'), std::string::npos) << m << " -> " << out;
    EXPECT_EQ(out.back(), '.') << m << " -> " << out;
  }
}

TEST(HumanJobsMessage, JsonParseErrorsNameTheFieldNotTheType) {
  EXPECT_EQ(HumanJobsMessage("The request body is not valid JSON for this request: "
                             "(fields.employment_type): invalid value \"\" for type "
                             "type.googleapis.com/openencoder.jobs.v1.EmploymentType"),
            "Employment type has a value that is not valid.");
}

TEST(HumanJobsMessage, OtherMessagesBecomeSentences) {
  EXPECT_EQ(HumanJobsMessage("the posting is closed"), "The posting is closed.");
  EXPECT_EQ(HumanJobsMessage("something: else"), "Something: else.");
  EXPECT_EQ(HumanJobsMessage("Done."), "Done.");
}

}  // namespace
}  // namespace openencoder::gateway
