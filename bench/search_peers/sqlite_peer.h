// SQLite FTS5 as a Case2Code peer, in its best straightforward setup:
//   - an in-memory database; FTS5 table fts(title, short_title, lay) with
//     the given tokenizer ("porter unicode61 remove_diacritics 2" or
//     "unicode61 remove_diacritics 2") and prefix indexes 'prefix=2 3 4';
//   - ranking by bm25(fts, 3, 2, 1): title, short title, lay text weighted
//     as our engine weighs its fields;
//   - words: every word a prefix term ("w"*), AND-ed; when nothing matches,
//     OR-ed (partial match, as our engine falls back to);
//   - a code-like query: the codes table (B-tree on code) for the exact code
//     and the codes starting with it, shortest first; words when none.
// No synonyms and no spelling correction: FTS5 has neither built in.
#ifndef OPENENCODER_BENCH_SEARCH_PEERS_SQLITE_PEER_H_
#define OPENENCODER_BENCH_SEARCH_PEERS_SQLITE_PEER_H_

#include <sqlite3.h>

#include <string>
#include <vector>

#include "bench/search_peers/peer_engine.h"

namespace openencoder::search::bench {

class SqlitePeer final : public PeerEngine {
 public:
  SqlitePeer(std::string name, std::string tokenizer)
      : name_(std::move(name)), tokenizer_(std::move(tokenizer)) {}
  ~SqlitePeer() override;

  std::string Name() const override { return name_; }
  absl::Status Build(const std::vector<SearchDocument>& documents) override;
  absl::StatusOr<std::vector<std::string>> Top10(const std::string& query) override;
  std::string Note() const override;

 private:
  absl::Status Exec(const char* sql);
  absl::StatusOr<std::vector<std::string>> Words(const std::vector<std::string>& words,
                                                 const char* op);

  std::string name_;
  std::string tokenizer_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* code_range_ = nullptr;
  sqlite3_stmt* match_ = nullptr;
};

}  // namespace openencoder::search::bench

#endif  // OPENENCODER_BENCH_SEARCH_PEERS_SQLITE_PEER_H_
