// Snowball English stemming (libstemmer), so "fractures", "fractured" and
// "fracture" share the stem "fractur".
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_STEMMER_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_STEMMER_H_

#include <string>

#include "absl/strings/string_view.h"

namespace openencoder::search {

// Returns the stem of a folded word (see Tokenize). Thread-safe: a libstemmer
// instance is not, so each thread lazily gets its own.
std::string Stem(absl::string_view word);

}  // namespace openencoder::search

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_STEMMER_H_
