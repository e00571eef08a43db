#include "bench/search_peers/xapian_peer.h"

#include <cstdlib>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace openencoder::search::bench {
namespace {

constexpr Xapian::valueno kSortSlot = 0;  // Code length byte + code.
constexpr Xapian::termcount kMaxExpansion = 100;

Xapian::Query Wildcard(const std::string& prefix) {
  return Xapian::Query(Xapian::Query::OP_WILDCARD, prefix, kMaxExpansion,
                       Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
}

}  // namespace

XapianPeer::~XapianPeer() {
  db_.reset();
  if (!folder_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
}

absl::Status XapianPeer::Build(const std::vector<SearchDocument>& documents) {
  char pattern[] = "/tmp/oe_xapian_XXXXXX";
  if (mkdtemp(pattern) == nullptr) return absl::InternalError("mkdtemp failed");
  folder_ = pattern;
  try {
    Xapian::WritableDatabase db(
        folder_, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC | Xapian::DB_BACKEND_GLASS);
    Xapian::TermGenerator generator;
    generator.set_stemmer(stemmer_);
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    generator.set_database(db);
    generator.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
    for (const SearchDocument& d : documents) {
      Xapian::Document doc;
      generator.set_document(doc);
      generator.index_text(d.title, 3);
      generator.increase_termpos();
      generator.index_text(d.short_title, 2);
      generator.increase_termpos();
      generator.index_text(d.plain_language, 1);
      for (const std::string& term : d.lay_terms) {
        generator.increase_termpos();
        generator.index_text(term, 1);
      }
      const std::string code = absl::AsciiStrToLower(d.code);
      doc.add_boolean_term(absl::StrCat("XC", code));
      doc.add_value(kSortSlot, absl::StrCat(std::string(1, static_cast<char>(code.size())), code));
      doc.set_data(d.code);
      db.add_document(doc);
    }
    db.commit();
    db.close();
    db_ = std::make_unique<Xapian::Database>(folder_);
  } catch (const Xapian::Error& e) {
    return absl::InternalError(absl::StrCat("xapian: ", e.get_description()));
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder_)) {
    if (entry.is_regular_file()) disk_bytes_ += entry.file_size();
  }
  return absl::OkStatus();
}

std::vector<std::string> XapianPeer::Run(const Xapian::Query& query, bool by_code) {
  Xapian::Enquire enquire(*db_);
  enquire.set_query(query);
  if (by_code) {
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_sort_by_value(kSortSlot, false);
  }
  Xapian::MSet mset = enquire.get_mset(0, 10);
  std::vector<std::string> codes;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    codes.push_back(it.get_document().get_data());
  }
  return codes;
}

Xapian::Query XapianPeer::WordsQuery(const std::vector<std::string>& words,
                                     Xapian::Query::op op) const {
  std::vector<Xapian::Query> parts;
  for (const std::string& w : words) {
    parts.emplace_back(Xapian::Query::OP_OR, Xapian::Query(absl::StrCat("Z", stemmer_(w))),
                       Wildcard(w));
  }
  return Xapian::Query(op, parts.begin(), parts.end());
}

absl::StatusOr<std::vector<std::string>> XapianPeer::Top10(const std::string& query) {
  try {
    if (std::optional<std::string> code = PeerCode(query)) {
      const std::string term = absl::StrCat("XC", *code);
      std::vector<std::string> codes =
          Run(Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(term),
                            Xapian::Query(Xapian::Query::OP_WILDCARD, term)),
              true);
      if (!codes.empty()) return codes;
    }
    const std::vector<std::string> words = PeerWords(query);
    if (words.empty()) return std::vector<std::string>();
    std::vector<std::string> codes = Run(WordsQuery(words, Xapian::Query::OP_AND), false);
    if (!codes.empty()) return codes;
    Xapian::QueryParser parser;
    parser.set_database(*db_);
    parser.set_stemmer(stemmer_);
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_default_op(Xapian::Query::OP_AND);
    parser.parse_query(query, Xapian::QueryParser::FLAG_DEFAULT |
                                  Xapian::QueryParser::FLAG_PARTIAL |
                                  Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
    const std::string corrected = parser.get_corrected_query_string();
    if (!corrected.empty()) {
      codes = Run(WordsQuery(PeerWords(corrected), Xapian::Query::OP_AND), false);
      if (!codes.empty()) return codes;
    }
    if (words.size() == 1) return codes;
    return Run(WordsQuery(words, Xapian::Query::OP_OR), false);
  } catch (const Xapian::Error& e) {
    return absl::InternalError(absl::StrCat("xapian: ", e.get_description()));
  }
}

std::string XapianPeer::Note() const {
  return absl::StrCat("glass on /tmp (", disk_bytes_ / (1024 * 1024),
                      " MB on disk, read via page cache, not in RSS), English "
                      "stemmer, per-word OR(stem, word*) AND-ed, spelling fallback");
}

}  // namespace openencoder::search::bench
