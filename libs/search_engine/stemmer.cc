#include "libs/search_engine/stemmer.h"

#include <libstemmer.h>

#include <memory>

namespace openencoder::search {
namespace {

struct StemmerDeleter {
  void operator()(sb_stemmer* stemmer) const { sb_stemmer_delete(stemmer); }
};

sb_stemmer* ThreadStemmer() {
  // The English algorithm is compiled into libstemmer, so creation fails
  // only when out of memory; Stem() then returns words unchanged.
  thread_local std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer(
      sb_stemmer_new("english", nullptr));
  return stemmer.get();
}

}  // namespace

std::string Stem(absl::string_view word) {
  sb_stemmer* stemmer = ThreadStemmer();
  if (stemmer == nullptr || word.empty()) return std::string(word);
  const sb_symbol* stem = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
                                          static_cast<int>(word.size()));
  if (stem == nullptr) return std::string(word);
  return std::string(reinterpret_cast<const char*>(stem),
                     static_cast<size_t>(sb_stemmer_length(stemmer)));
}

}  // namespace openencoder::search
