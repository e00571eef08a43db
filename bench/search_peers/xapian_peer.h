// Xapian 1.4 as a Case2Code peer, in its best straightforward setup:
//   - a glass database in a temporary folder (the InMemory backend is
//     deprecated and keeps no spelling data), read back through the page
//     cache; removed on destruction;
//   - TermGenerator with the English stemmer (STEM_SOME), title / short
//     title / lay text indexed with wdf increments 3 / 2 / 1 (the field
//     weights our engine uses), spelling data on;
//   - each word as OR(stemmed term, word*) - what QueryParser's FLAG_PARTIAL
//     does for the last word, applied to every word because users abbreviate
//     any word - with at most 100 expansions per wildcard (the most
//     frequent), AND-ed, BM25 ranking;
//   - no match: QueryParser with FLAG_SPELLING_CORRECTION|FLAG_PARTIAL gives
//     a corrected query, run AND-ed; still none: the words OR-ed;
//   - a code-like query: boolean term XC<code> plus wildcard XC<code>*,
//     sorted by code length then code; words when none.
#ifndef OPENENCODER_BENCH_SEARCH_PEERS_XAPIAN_PEER_H_
#define OPENENCODER_BENCH_SEARCH_PEERS_XAPIAN_PEER_H_

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

#include "bench/search_peers/peer_engine.h"

namespace openencoder::search::bench {

class XapianPeer final : public PeerEngine {
 public:
  XapianPeer() = default;
  ~XapianPeer() override;

  std::string Name() const override { return "xapian"; }
  absl::Status Build(const std::vector<SearchDocument>& documents) override;
  absl::StatusOr<std::vector<std::string>> Top10(const std::string& query) override;
  std::string Note() const override;

 private:
  std::vector<std::string> Run(const Xapian::Query& query, bool by_code);
  Xapian::Query WordsQuery(const std::vector<std::string>& words, Xapian::Query::op op) const;

  std::string folder_;
  std::unique_ptr<Xapian::Database> db_;
  Xapian::Stem stemmer_{"english"};
  long long disk_bytes_ = 0;
};

}  // namespace openencoder::search::bench

#endif  // OPENENCODER_BENCH_SEARCH_PEERS_XAPIAN_PEER_H_
