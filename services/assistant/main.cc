// CasePilot / CaseConsultant assistant server: wiring only (flags -> config
// -> wiring). Every setting is listed in assistant_config.h.
#include <curl/curl.h>

#include <memory>

#include "services/assistant/assistant_config.h"
#include "services/assistant/assistant_service.h"
#include "services/assistant/grpc_tools.h"
#include "services/assistant/outbox_worker.h"
#include "services/assistant/redis_ticket_store.h"
#include "services/common/client.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/server.h"
#include "services/common/settings.h"

namespace oe = ::openencoder;
namespace as = ::openencoder::assistant;

namespace {

int Fail(const absl::Status& status) {
  oe::common::LogError("assistant server cannot start", {{"error", status.ToString()}});
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  oe::common::ServerOptions options = oe::common::InitServerProcess(argc, argv, "assistant", 50055);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  absl::StatusOr<as::AssistantConfig> config = as::AssistantConfig::FromSettings();
  if (!config.ok()) return Fail(config.status());
  auto knowledge = as::KnowledgeBase::Load(config->knowledge_dir, config->guidelines_path);
  if (!knowledge.ok()) return Fail(knowledge.status());
  if (!(*knowledge)->guidelines_status().ok()) {
    oe::common::LogWarning("Official Guidelines not loaded",
                           {{"error", (*knowledge)->guidelines_status().ToString()}});
  }
  auto localities = as::LocalityTable::Load(config->localities_path);
  if (!localities.ok()) return Fail(localities.status());
  oe::common::ChannelOptions idempotent;
  idempotent.idempotent_methods = {"openencoder.catalogue.v1.CatalogueService",
                                   "openencoder.search.v1.SearchService",
                                   "openencoder.account.v1.AccountService/ValidateSession",
                                   "openencoder.account.v1.AccountService/GetAccount"};
  // Each channel checks that the server holds its service's certificate.
  auto to = [&idempotent](const char* server) {
    oe::common::ChannelOptions o = idempotent;
    o.server_identity = server;
    return o;
  };
  as::GrpcCatalogueTools catalogue(oe::common::MakeChannel(config->catalogue_addr, to("catalogue")),
                                   config->call_timeout);
  as::GrpcSearchTools search(oe::common::MakeChannel(config->search_addr, to("search")),
                             config->call_timeout);
  as::GrpcQuotaTools quota(oe::common::MakeChannel(config->account_addr, to("account")),
                           config->call_timeout);

  std::unique_ptr<as::OpenAiCompatibleBackend> llm;
  const as::LlmOptions& llm_options = config->llm;
  if (!llm_options.url.empty()) llm = std::make_unique<as::OpenAiCompatibleBackend>(llm_options);

  as::EngineDeps deps{&catalogue, &search, knowledge->get(), &*localities, llm.get()};
  deps.account = &quota;
  // Where readers send CaseConsultant questions; offered with "I don't know".
  if (!config->consultant_address.empty()) deps.consultant_address = config->consultant_address;
  as::AnswerEngine engine(deps);

  auto redis_options = oe::redis::RedisOptions::FromEnvironment();
  if (!redis_options.ok()) return Fail(redis_options.status());
  auto redis = oe::redis::RedisClient::Create(*redis_options);
  if (!redis.ok()) return Fail(redis.status());
  as::RedisConversationStore conversations(redis->get(), as::ConversationOptions{});
  as::RedisTicketStore tickets(redis->get(), absl::Milliseconds(500));

  as::CurlSmtpSender smtp(config->smtp_url, absl::Seconds(10));
  as::OutboxOptions outbox_options;
  if (!config->mail_from.empty()) outbox_options.from_address = config->mail_from;
  outbox_options.initial_backoff = config->send_backoff;
  as::OutboxWorker outbox(&tickets, &smtp, outbox_options);
  oe::common::AddScrapeGauge("oe_outbox_backlog", "Replies in the outbox not yet sent", [&tickets] {
    absl::StatusOr<int64_t> n = tickets.OutboxLength();
    if (!n.ok()) return std::vector<oe::common::ScrapeSample>();
    return std::vector<oe::common::ScrapeSample>{
        {{{"outbox", "assistant_replies"}}, static_cast<double>(*n)}};
  });

  as::CasePilot pilot(&engine, &quota, &conversations, config->max_question_chars);
  as::ConsultantOptions consultant_options;
  consultant_options.address = deps.consultant_address;
  as::CaseConsultant consultant(
      &engine, &quota, &tickets, [&outbox] { outbox.Wake(); }, consultant_options);
  oe::common::WorkerPool pool(oe::common::WorkerPoolOptions{
      .threads = 8, .max_queued = config->max_queued, .service = "assistant"});
  as::AccountErasure erasure(&tickets, &conversations);
  as::AssistantServiceImpl service(&pilot, &consultant, &pool, &erasure);

  outbox.Start();
  absl::Status status = oe::common::ServeUntilSignal(
      options, {oe::common::Bind<oe::assistant::v1::AssistantService>(&service)});
  outbox.Stop();
  return status.ok() ? 0 : Fail(status);
}
