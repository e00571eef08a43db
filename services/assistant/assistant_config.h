// Every setting of the assistant service. FromSettings reads each from its
// flag, else its environment variable, else the default (common/settings.h):
//
//   --catalogue_addr / OE_CATALOGUE_ADDR, --search_addr / OE_SEARCH_ADDR,
//   --account_addr / OE_ACCOUNT_ADDR     the services the tools call
//   --call_timeout       OE_ASSISTANT_CALL_TIMEOUT  default 2s per internal call
//   --knowledge          OE_ASSISTANT_KNOWLEDGE     default $OE_SOURCE_DIR/data/assistant/knowledge
//   --guidelines         OE_ASSISTANT_GUIDELINES    the Official Guidelines PDF; default under
//                                                   $OE_SHARED_DATA when that is set, else none
//   --localities         OE_ASSISTANT_LOCALITIES    a CMS GPCI CSV; default the demo one
//   --smtp_url           OE_SMTP_URL                default smtp://127.0.0.1:2525
//   --mail_from          OE_ASSISTANT_MAIL_FROM     From: of CaseConsultant replies
//   --send_backoff       OE_ASSISTANT_SEND_BACKOFF  default 2s, doubled per failed send
//   --consultant_address OE_CASECONSULTANT_ADDRESS  offered with every "I don't know"
//   --llm_url, --llm_model  OE_LLM_URL (empty: off), OE_LLM_MODEL
//   OE_LLM_API_KEY       a secret, so from the environment only (flags show in `ps`)
//   OE_ASSISTANT_MAX_QUEUED          calls waiting for a worker, default 256 (then
//                                    RESOURCE_EXHAUSTED; 0: no limit)
//   OE_ASSISTANT_MAX_QUESTION_CHARS  default 2000; longer questions get INVALID_ARGUMENT
// The listen address is the server bootstrap's (OE_ASSISTANT_LISTEN); Redis's
// is RedisOptions::FromEnvironment's (OE_REDIS_ADDR).
#ifndef OPENENCODER_SERVICES_ASSISTANT_ASSISTANT_CONFIG_H_
#define OPENENCODER_SERVICES_ASSISTANT_ASSISTANT_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/assistant/llm_backend.h"
#include "services/common/settings.h"

namespace openencoder::assistant {

struct AssistantConfig {
  std::string catalogue_addr = common::LocalAddress(common::kCataloguePort);
  std::string search_addr = common::LocalAddress(common::kSearchPort);
  std::string account_addr = common::LocalAddress(common::kAccountPort);
  absl::Duration call_timeout = absl::Seconds(2);
  std::string knowledge_dir;
  std::string guidelines_path;  // empty: answers without the Official Guidelines
  std::string localities_path;
  std::string smtp_url = "smtp://127.0.0.1:2525";
  std::string mail_from;  // empty: OutboxOptions' default
  absl::Duration send_backoff = absl::Seconds(2);
  std::string consultant_address;  // empty: EngineDeps' default
  LlmOptions llm;
  size_t max_queued = 256;
  size_t max_question_chars = 2000;  // kMaxQuestionChars

  // INVALID_ARGUMENT naming the setting that does not parse.
  static absl::StatusOr<AssistantConfig> FromSettings();
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_ASSISTANT_CONFIG_H_
