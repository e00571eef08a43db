// CasePilot / CaseConsultant assistant server: wiring only.
//
// Settings (flag or environment): OE_ASSISTANT_LISTEN (127.0.0.1:50055),
// OE_CATALOGUE_ADDR, OE_SEARCH_ADDR, OE_ACCOUNT_ADDR, OE_REDIS_ADDR,
// OE_ASSISTANT_KNOWLEDGE (data/assistant/knowledge), OE_ASSISTANT_GUIDELINES (the
// Official Guidelines PDF; default under OE_SHARED_DATA when set), OE_ASSISTANT_LOCALITIES
// (a CMS GPCI CSV; default the demo one), OE_SMTP_URL (smtp://127.0.0.1:2525),
// OE_ASSISTANT_MAIL_FROM, OE_ASSISTANT_CALL_TIMEOUT (2s per internal call),
// OE_ASSISTANT_SEND_BACKOFF (2s, doubled per failed send),
// OE_CASECONSULTANT_ADDRESS (consultant@openencoder.local, offered with every "I don't
// know"), OE_LLM_URL (empty: off), OE_LLM_MODEL, OE_LLM_API_KEY.
#include <curl/curl.h>

#include <cstdio>
#include <memory>

#include "absl/flags/flag.h"
#include "services/assistant/assistant_service.h"
#include "services/assistant/grpc_tools.h"
#include "services/assistant/outbox_worker.h"
#include "services/common/client.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/server.h"
#include "services/common/settings.h"

namespace oe = ::openencoder;
namespace as = ::openencoder::assistant;

int main(int argc, char** argv) {
  oe::common::ServerOptions options = oe::common::InitServerProcess(argc, argv, "assistant", 50055);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  auto fail = [](const absl::Status& s) {
    std::fprintf(stderr, "assistant: %s\n", s.ToString().c_str());
    return 2;
  };
  const std::string source_dir = oe::common::Setting("", "OE_SOURCE_DIR", ".");
  auto timeout = oe::common::DurationSetting("", "OE_ASSISTANT_CALL_TIMEOUT", absl::Seconds(2));
  if (!timeout.ok()) return fail(timeout.status());
  auto backoff = oe::common::DurationSetting("", "OE_ASSISTANT_SEND_BACKOFF", absl::Seconds(2));
  if (!backoff.ok()) return fail(backoff.status());

  // The Official Guidelines PDF is optional (the demo data has none).
  const std::string shared_data = oe::common::Setting("", "OE_SHARED_DATA", "");
  const std::string guidelines = oe::common::Setting(
      "", "OE_ASSISTANT_GUIDELINES",
      shared_data.empty() ? ""
                          : shared_data + "/icd10cm-tabular/ICD-10-CM-October-2025-Guidelines.pdf");
  auto knowledge = as::KnowledgeBase::Load(
      oe::common::Setting("", "OE_ASSISTANT_KNOWLEDGE", source_dir + "/data/assistant/knowledge"),
      guidelines);
  if (!knowledge.ok()) return fail(knowledge.status());
  if (!(*knowledge)->guidelines_status().ok()) {
    std::fprintf(stderr, "assistant: Official Guidelines not loaded: %s\n",
                 (*knowledge)->guidelines_status().ToString().c_str());
  }
  auto localities = as::LocalityTable::Load(oe::common::Setting(
      "", "OE_ASSISTANT_LOCALITIES", source_dir + "/data/demo/mpfs/GPCI2024_demo.csv"));
  if (!localities.ok()) return fail(localities.status());

  oe::common::ChannelOptions idempotent;
  idempotent.idempotent_methods = {"openencoder.catalogue.v1.CatalogueService",
                                   "openencoder.search.v1.SearchService",
                                   "openencoder.account.v1.AccountService/ValidateSession"};
  // Each channel checks that the server holds its service's certificate.
  auto to = [&idempotent](const char* server) {
    oe::common::ChannelOptions o = idempotent;
    o.server_identity = server;
    return o;
  };
  as::GrpcCatalogueTools catalogue(
      oe::common::MakeChannel(oe::common::Setting("", "OE_CATALOGUE_ADDR", "127.0.0.1:50051"),
                              to("catalogue")),
      *timeout);
  as::GrpcSearchTools search(
      oe::common::MakeChannel(oe::common::Setting("", "OE_SEARCH_ADDR", "127.0.0.1:50052"),
                              to("search")),
      *timeout);
  as::GrpcQuotaTools quota(
      oe::common::MakeChannel(oe::common::Setting("", "OE_ACCOUNT_ADDR", "127.0.0.1:50053"),
                              to("account")),
      *timeout);

  std::unique_ptr<as::OpenAiCompatibleBackend> llm;
  as::LlmOptions llm_options;
  llm_options.url = oe::common::Setting("", "OE_LLM_URL", "");
  llm_options.model = oe::common::Setting("", "OE_LLM_MODEL", llm_options.model);
  llm_options.api_key = oe::common::Setting("", "OE_LLM_API_KEY", "");
  if (!llm_options.url.empty()) llm = std::make_unique<as::OpenAiCompatibleBackend>(llm_options);

  as::EngineDeps deps{&catalogue, &search, knowledge->get(), &*localities, llm.get()};
  deps.account = &quota;
  // Where readers send CaseConsultant questions; offered with "I don't know".
  deps.consultant_address =
      oe::common::Setting("", "OE_CASECONSULTANT_ADDRESS", deps.consultant_address);
  as::AnswerEngine engine(deps);

  auto redis_options = oe::redis::RedisOptions::FromEnvironment();
  if (!redis_options.ok()) return fail(redis_options.status());
  auto redis = oe::redis::RedisClient::Create(*redis_options);
  if (!redis.ok()) return fail(redis.status());
  as::RedisConversationStore conversations(redis->get(), as::ConversationOptions{});
  as::TicketStore tickets(redis->get(), absl::Milliseconds(500));

  as::CurlSmtpSender smtp(oe::common::Setting("", "OE_SMTP_URL", "smtp://127.0.0.1:2525"),
                          absl::Seconds(10));
  as::OutboxOptions outbox_options;
  outbox_options.from_address =
      oe::common::Setting("", "OE_ASSISTANT_MAIL_FROM", outbox_options.from_address);
  outbox_options.initial_backoff = *backoff;
  as::OutboxWorker outbox(&tickets, &smtp, outbox_options);
  oe::common::AddScrapeGauge("oe_outbox_backlog", "Replies in the outbox not yet sent", [&tickets] {
    absl::StatusOr<int64_t> n = tickets.OutboxLength();
    if (!n.ok()) return std::vector<oe::common::ScrapeSample>();
    return std::vector<oe::common::ScrapeSample>{
        {{{"outbox", "assistant_replies"}}, static_cast<double>(*n)}};
  });

  as::CasePilot pilot(&engine, &quota, &conversations);
  as::CaseConsultant consultant(&engine, &quota, &tickets, [&outbox] { outbox.Wake(); });
  oe::common::WorkerPool pool(8);
  as::AssistantServiceImpl service(&pilot, &consultant, &pool);

  outbox.Start();
  absl::Status status = oe::common::ServeUntilSignal(
      options, {oe::common::Bind<oe::assistant::v1::AssistantService>(&service)});
  outbox.Stop();
  return status.ok() ? 0 : 1;
}
