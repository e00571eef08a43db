#include "services/search/search_config.h"

#include "absl/flags/flag.h"
#include "services/common/settings.h"

ABSL_FLAG(std::string, catalogue_addr, "", "catalogue address(es) (env OE_CATALOGUE_ADDR)");
ABSL_FLAG(std::string, synonyms, "", "synonym table (env OE_SYNONYMS)");
ABSL_FLAG(
    std::string, procedure_terms, "",
    "procedure words table (env OE_PROCEDURE_TERMS), default data/search/procedure_terms.tsv");
ABSL_FLAG(std::string, answer_cache_mb, "",
          "MiB of finished Search answers kept (env OE_SEARCH_ANSWER_CACHE_MB, default 8; 0: off)");
ABSL_FLAG(std::string, refresh_interval, "",
          "how often to ask the catalogue for a new edition (env OE_SEARCH_REFRESH), e.g. 30s");

namespace openencoder::search {

absl::StatusOr<SearchConfig> SearchConfig::FromSettings() {
  SearchConfig c;
  const std::string source_dir = common::Setting("", "OE_SOURCE_DIR", ".");
  c.catalogue_addr =
      common::Setting(absl::GetFlag(FLAGS_catalogue_addr), "OE_CATALOGUE_ADDR", c.catalogue_addr);
  c.synonyms_path = common::Setting(absl::GetFlag(FLAGS_synonyms), "OE_SYNONYMS",
                                    source_dir + "/data/search/synonyms.tsv");
  c.procedure_terms_path =
      common::Setting(absl::GetFlag(FLAGS_procedure_terms), "OE_PROCEDURE_TERMS",
                      source_dir + "/data/search/procedure_terms.tsv");
  absl::StatusOr<absl::Duration> interval = common::DurationSetting(
      absl::GetFlag(FLAGS_refresh_interval), "OE_SEARCH_REFRESH", c.refresh_interval);
  if (!interval.ok()) return interval.status();
  c.refresh_interval = *interval;
  absl::StatusOr<long long> cache_mb =
      common::IntSetting(absl::GetFlag(FLAGS_answer_cache_mb), "OE_SEARCH_ANSWER_CACHE_MB",
                         static_cast<long long>(c.answer_cache_bytes >> 20));
  if (!cache_mb.ok()) return cache_mb.status();
  c.answer_cache_bytes = static_cast<size_t>(*cache_mb) << 20;
  return c;
}

}  // namespace openencoder::search
