// The suite the assistant talks to, started in-process for tests and the
// bench: the real catalogue service on a data-set manifest (demo or shared
// data) and the real search service indexing it, each on a loopback port
// (tests/support/inprocess_services.h), reached through the assistant's own
// gRPC tools. Metering is not used by the assistant's calls, so the
// catalogue's quota client points nowhere.
#ifndef OPENENCODER_TESTS_ASSISTANT_SUPPORT_INPROCESS_SUITE_H_
#define OPENENCODER_TESTS_ASSISTANT_SUPPORT_INPROCESS_SUITE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/assistant/answer_engine.h"
#include "services/assistant/grpc_tools.h"
#include "services/assistant/knowledge_base.h"
#include "services/assistant/locality_table.h"
#include "tests/support/source_paths.h"

namespace openencoder::assistant::testing {

struct SuiteOptions {
  std::string manifest;     // default: $OE_SOURCE_DIR/data/demo/manifest.tsv
  std::string shared_data;  // $OE_SHARED_DATA in manifests; default: SharedDataDir()
  std::string gpci_csv;     // localities; default: the demo GPCI file
};

// The ICD-10-CM Official Guidelines PDF under a shared-data folder (it may
// not exist: the knowledge base then loads without it).
inline std::string GuidelinesPdf(const std::string& shared_data) {
  return shared_data + "/icd10cm-tabular/ICD-10-CM-October-2025-Guidelines.pdf";
}

class InProcessSuite {
 public:
  static absl::StatusOr<std::unique_ptr<InProcessSuite>> Start(SuiteOptions options = {});
  ~InProcessSuite();

  CatalogueTools* catalogue();
  SearchTools* search();
  const KnowledgeBase* knowledge();
  const LocalityTable* localities();
  // An engine over the tools above (no language model).
  AnswerEngine* engine();
  std::string catalogue_address() const;
  std::string search_address() const;

  struct Parts;

 private:
  InProcessSuite() = default;
  std::unique_ptr<Parts> parts_;
};

// $OE_SOURCE_DIR, else the current directory; named here too because the
// quality test and bench/assistant call it as testing::SourceDir().
using test_support::SourceDir;

}  // namespace openencoder::assistant::testing

#endif  // OPENENCODER_TESTS_ASSISTANT_SUPPORT_INPROCESS_SUITE_H_
