// An ICD-10-CM Alphabetic Index entry that leads to a code: the way coders
// look codes up ("Diabetes, type 2, with, chronic kidney disease" -> E11.22).
#ifndef OPENENCODER_LIBS_CODE_SETS_MODEL_INDEX_ENTRY_H_
#define OPENENCODER_LIBS_CODE_SETS_MODEL_INDEX_ENTRY_H_

#include <string>

namespace openencoder::catalogue {

struct IndexEntry {
  // The term path from the main term down, titles joined by ", " without
  // their nonessential modifiers: "Diabetes, diabetic, type 2, with, chronic
  // kidney disease".
  std::string path;
  // The nonessential modifiers along the path, in parentheses as the index
  // writes them ("(mellitus) (sugar)"): words that may or may not be said.
  std::string modifiers;
  // How many words a coder reads along the path: the first name of each
  // level, without function words ("Infection, infected, infective,
  // urinary" is 2). Search weighs an entry's words by it.
  int words = 0;
  // Set when `path` reaches the code through a cross-reference: the target
  // the index names ("Infarct, myocardium" for "Attack, heart").
  std::string see;
  // The reference was a "see also" (a weaker pointer than "see").
  bool see_also = false;
  // The index writes the code with a trailing dash ("E11.-", "I21.-"): the
  // code is a category or subcategory whose children must be chosen.
  bool subdivided = false;
  // The code is the manifestation in brackets ("E85.4 [I43]"), coded after
  // the etiology.
  bool manifestation = false;

  friend bool operator==(const IndexEntry&, const IndexEntry&) = default;
};

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_MODEL_INDEX_ENTRY_H_
