#include "bench/search_peers/sqlite_peer.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace openencoder::search::bench {
namespace {

absl::Status SqliteError(sqlite3* db, absl::string_view what) {
  return absl::InternalError(absl::StrCat("sqlite ", what, ": ", sqlite3_errmsg(db)));
}

}  // namespace

SqlitePeer::~SqlitePeer() {
  sqlite3_finalize(code_range_);
  sqlite3_finalize(match_);
  sqlite3_close(db_);
}

absl::Status SqlitePeer::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    absl::Status status = absl::InternalError(absl::StrCat(sql, ": ", error));
    sqlite3_free(error);
    return status;
  }
  return absl::OkStatus();
}

absl::Status SqlitePeer::Build(const std::vector<SearchDocument>& documents) {
  if (sqlite3_open(":memory:", &db_) != SQLITE_OK) return SqliteError(db_, "open");
  if (absl::Status s = Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"); !s.ok()) {
    return s;
  }
  if (absl::Status s = Exec("CREATE TABLE codes(code TEXT, system TEXT)"); !s.ok()) {
    return s;
  }
  const std::string create = absl::StrCat(
      "CREATE VIRTUAL TABLE fts USING fts5(code UNINDEXED, title, short_title, lay, "
      "tokenize='",
      tokenizer_, "', prefix='2 3 4')");
  if (absl::Status s = Exec(create.c_str()); !s.ok()) return s;
  if (absl::Status s = Exec("BEGIN"); !s.ok()) return s;
  sqlite3_stmt* insert_code = nullptr;
  sqlite3_stmt* insert_fts = nullptr;
  if (sqlite3_prepare_v2(db_, "INSERT INTO codes VALUES(?1, ?2)", -1, &insert_code, nullptr) !=
          SQLITE_OK ||
      sqlite3_prepare_v2(db_, "INSERT INTO fts VALUES(?1, ?2, ?3, ?4)", -1, &insert_fts, nullptr) !=
          SQLITE_OK) {
    return SqliteError(db_, "prepare insert");
  }
  for (const SearchDocument& d : documents) {
    std::string code = d.code;
    for (char& c : code) c = static_cast<char>(std::tolower(c));
    std::string lay = d.plain_language;
    for (const std::string& term : d.lay_terms) absl::StrAppend(&lay, " ", term);
    sqlite3_bind_text(insert_code, 1, code.data(), code.size(), SQLITE_TRANSIENT);
    sqlite3_bind_text(insert_code, 2, d.system.data(), d.system.size(), SQLITE_STATIC);
    sqlite3_bind_text(insert_fts, 1, d.code.data(), d.code.size(), SQLITE_STATIC);
    sqlite3_bind_text(insert_fts, 2, d.title.data(), d.title.size(), SQLITE_STATIC);
    sqlite3_bind_text(insert_fts, 3, d.short_title.data(), d.short_title.size(), SQLITE_STATIC);
    sqlite3_bind_text(insert_fts, 4, lay.data(), lay.size(), SQLITE_STATIC);
    if (sqlite3_step(insert_code) != SQLITE_DONE || sqlite3_step(insert_fts) != SQLITE_DONE) {
      return SqliteError(db_, "insert");
    }
    sqlite3_reset(insert_code);
    sqlite3_reset(insert_fts);
  }
  sqlite3_finalize(insert_code);
  sqlite3_finalize(insert_fts);
  if (absl::Status s = Exec("COMMIT; CREATE INDEX codes_code ON codes(code);"
                            "INSERT INTO fts(fts) VALUES('optimize');");
      !s.ok()) {
    return s;
  }
  if (sqlite3_prepare_v2(db_,
                         "SELECT code FROM codes WHERE code >= ?1 AND code < ?2 "
                         "ORDER BY length(code), code LIMIT 10",
                         -1, &code_range_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db_,
                         "SELECT code FROM fts WHERE fts MATCH ?1 "
                         "ORDER BY bm25(fts, 0.0, 3.0, 2.0, 1.0) LIMIT 10",
                         -1, &match_, nullptr) != SQLITE_OK) {
    return SqliteError(db_, "prepare query");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> SqlitePeer::Words(const std::vector<std::string>& words,
                                                           const char* op) {
  std::vector<std::string> terms;
  for (const std::string& w : words) terms.push_back(absl::StrCat("\"", w, "\"*"));
  const std::string match = absl::StrJoin(terms, op);
  sqlite3_bind_text(match_, 1, match.data(), match.size(), SQLITE_STATIC);
  std::vector<std::string> codes;
  int rc;
  while ((rc = sqlite3_step(match_)) == SQLITE_ROW) {
    codes.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(match_, 0)));
  }
  sqlite3_reset(match_);
  if (rc != SQLITE_DONE) return SqliteError(db_, match);
  return codes;
}

absl::StatusOr<std::vector<std::string>> SqlitePeer::Top10(const std::string& query) {
  if (std::optional<std::string> code = PeerCode(query)) {
    // [code, code + 0x7f): every code starting with it.
    const std::string end = absl::StrCat(*code, "\x7f");
    sqlite3_bind_text(code_range_, 1, code->data(), code->size(), SQLITE_STATIC);
    sqlite3_bind_text(code_range_, 2, end.data(), end.size(), SQLITE_STATIC);
    std::vector<std::string> codes;
    while (sqlite3_step(code_range_) == SQLITE_ROW) {
      codes.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(code_range_, 0)));
    }
    sqlite3_reset(code_range_);
    if (!codes.empty()) return codes;
  }
  const std::vector<std::string> words = PeerWords(query);
  if (words.empty()) return std::vector<std::string>();
  absl::StatusOr<std::vector<std::string>> codes = Words(words, " AND ");
  if (!codes.ok() || !codes->empty() || words.size() == 1) return codes;
  return Words(words, " OR ");
}

std::string SqlitePeer::Note() const {
  return absl::StrCat("tokenize='", tokenizer_,
                      "', prefix='2 3 4', bm25 weights title 3 / short 2 / lay 1");
}

}  // namespace openencoder::search::bench
