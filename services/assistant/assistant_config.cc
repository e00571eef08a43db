#include "services/assistant/assistant_config.h"

#include "absl/flags/flag.h"
#include "services/common/settings.h"
#include "services/common/worker_pool.h"

ABSL_FLAG(std::string, catalogue_addr, "", "catalogue address (OE_CATALOGUE_ADDR)");
ABSL_FLAG(std::string, search_addr, "", "search address (OE_SEARCH_ADDR)");
ABSL_FLAG(std::string, account_addr, "", "account address (OE_ACCOUNT_ADDR)");
ABSL_FLAG(std::string, call_timeout, "",
          "deadline of each internal call (OE_ASSISTANT_CALL_TIMEOUT)");
ABSL_FLAG(std::string, knowledge, "", "knowledge folder (OE_ASSISTANT_KNOWLEDGE)");
ABSL_FLAG(std::string, guidelines, "", "Official Guidelines PDF (OE_ASSISTANT_GUIDELINES)");
ABSL_FLAG(std::string, localities, "", "CMS GPCI CSV (OE_ASSISTANT_LOCALITIES)");
ABSL_FLAG(std::string, smtp_url, "", "SMTP relay (OE_SMTP_URL)");
ABSL_FLAG(std::string, mail_from, "", "From: of replies (OE_ASSISTANT_MAIL_FROM)");
ABSL_FLAG(std::string, send_backoff, "",
          "first retry delay of a failed send (OE_ASSISTANT_SEND_BACKOFF)");
ABSL_FLAG(std::string, consultant_address, "",
          "CaseConsultant address (OE_CASECONSULTANT_ADDRESS)");
ABSL_FLAG(std::string, llm_url, "", "OpenAI-compatible endpoint (OE_LLM_URL; empty: off)");
ABSL_FLAG(std::string, llm_model, "", "model name (OE_LLM_MODEL)");

namespace openencoder::assistant {

absl::StatusOr<AssistantConfig> AssistantConfig::FromSettings() {
  using common::Setting;
  AssistantConfig c;
  const std::string source_dir = Setting("", "OE_SOURCE_DIR", ".");
  c.catalogue_addr =
      Setting(absl::GetFlag(FLAGS_catalogue_addr), "OE_CATALOGUE_ADDR", c.catalogue_addr);
  c.search_addr = Setting(absl::GetFlag(FLAGS_search_addr), "OE_SEARCH_ADDR", c.search_addr);
  c.account_addr = Setting(absl::GetFlag(FLAGS_account_addr), "OE_ACCOUNT_ADDR", c.account_addr);
  absl::StatusOr<absl::Duration> timeout = common::DurationSetting(
      absl::GetFlag(FLAGS_call_timeout), "OE_ASSISTANT_CALL_TIMEOUT", c.call_timeout);
  if (!timeout.ok()) return timeout.status();
  c.call_timeout = *timeout;
  absl::StatusOr<absl::Duration> backoff = common::DurationSetting(
      absl::GetFlag(FLAGS_send_backoff), "OE_ASSISTANT_SEND_BACKOFF", c.send_backoff);
  if (!backoff.ok()) return backoff.status();
  c.send_backoff = *backoff;
  c.knowledge_dir = Setting(absl::GetFlag(FLAGS_knowledge), "OE_ASSISTANT_KNOWLEDGE",
                            source_dir + "/data/assistant/knowledge");
  // The Official Guidelines PDF is optional (the demo data has none).
  const std::string shared_data = Setting("", "OE_SHARED_DATA", "");
  c.guidelines_path = Setting(
      absl::GetFlag(FLAGS_guidelines), "OE_ASSISTANT_GUIDELINES",
      shared_data.empty() ? ""
                          : shared_data + "/icd10cm-tabular/ICD-10-CM-October-2025-Guidelines.pdf");
  c.localities_path = Setting(absl::GetFlag(FLAGS_localities), "OE_ASSISTANT_LOCALITIES",
                              source_dir + "/data/demo/mpfs/GPCI2024_demo.csv");
  c.smtp_url = Setting(absl::GetFlag(FLAGS_smtp_url), "OE_SMTP_URL", c.smtp_url);
  c.mail_from = Setting(absl::GetFlag(FLAGS_mail_from), "OE_ASSISTANT_MAIL_FROM", "");
  c.consultant_address =
      Setting(absl::GetFlag(FLAGS_consultant_address), "OE_CASECONSULTANT_ADDRESS", "");
  c.llm.url = Setting(absl::GetFlag(FLAGS_llm_url), "OE_LLM_URL", "");
  c.llm.model = Setting(absl::GetFlag(FLAGS_llm_model), "OE_LLM_MODEL", c.llm.model);
  c.llm.api_key = Setting("", "OE_LLM_API_KEY", "");
  absl::StatusOr<size_t> max_queued = common::MaxQueuedSetting("assistant");
  if (!max_queued.ok()) return max_queued.status();
  c.max_queued = *max_queued;
  absl::StatusOr<long long> max_question = common::IntSetting(
      "", "OE_ASSISTANT_MAX_QUESTION_CHARS", static_cast<long long>(c.max_question_chars));
  if (!max_question.ok()) return max_question.status();
  if (*max_question < 1) {
    return absl::InvalidArgumentError("OE_ASSISTANT_MAX_QUESTION_CHARS: at least 1");
  }
  c.max_question_chars = static_cast<size_t>(*max_question);
  return c;
}

}  // namespace openencoder::assistant
