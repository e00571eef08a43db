// Dense bitsets over document numbers, the filter representation of
// SearchIndex: bit n of word n/64 is document n. 100,000 documents are 1,563
// words, so an AND, OR or AND-popcount of two sets is a short sequential
// loop that stays in L2. Sets may have different lengths; missing words are
// zero.
#ifndef OPENENCODER_SERVICES_JOBS_DOC_BITS_H_
#define OPENENCODER_SERVICES_JOBS_DOC_BITS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace openencoder::jobs {

using DocBits = std::vector<uint64_t>;

inline bool TestBit(const DocBits& bits, uint32_t doc) {
  const size_t word = doc >> 6;
  return word < bits.size() && ((bits[word] >> (doc & 63)) & 1);
}

// For hot loops over a set known to have a word for `doc`: no bounds check
// and no branch (0 or 1).
inline uint32_t TestBitUnchecked(const uint64_t* words, uint32_t doc) {
  return static_cast<uint32_t>((words[doc >> 6] >> (doc & 63)) & 1);
}

// Grows `bits` as needed.
inline void SetBit(DocBits& bits, uint32_t doc) {
  const size_t word = doc >> 6;
  if (bits.size() <= word) bits.resize(word + 1, 0);
  bits[word] |= uint64_t{1} << (doc & 63);
}

inline void ClearBit(DocBits& bits, uint32_t doc) {
  const size_t word = doc >> 6;
  if (word < bits.size()) bits[word] &= ~(uint64_t{1} << (doc & 63));
}

// acc &= other.
inline void AndInto(DocBits& acc, const DocBits& other) {
  const size_t common = std::min(acc.size(), other.size());
  for (size_t i = 0; i < common; ++i) acc[i] &= other[i];
  std::fill(acc.begin() + common, acc.end(), 0);
}

// acc |= other, within acc's length.
inline void OrInto(DocBits& acc, const DocBits& other) {
  const size_t common = std::min(acc.size(), other.size());
  for (size_t i = 0; i < common; ++i) acc[i] |= other[i];
}

// |a AND b| without building the intersection.
inline int64_t CountAnd(const DocBits& a, const DocBits& b) {
  const size_t common = std::min(a.size(), b.size());
  int64_t count = 0;
  for (size_t i = 0; i < common; ++i) count += __builtin_popcountll(a[i] & b[i]);
  return count;
}

// Calls fn(doc) for every set bit, in decreasing document order.
template <typename Fn>
void ForEachBitDescending(const DocBits& bits, Fn&& fn) {
  for (size_t w = bits.size(); w-- > 0;) {
    uint64_t word = bits[w];
    while (word != 0) {
      const int top = 63 - __builtin_clzll(word);
      fn(static_cast<uint32_t>(w * 64 + top));
      word &= ~(uint64_t{1} << top);
    }
  }
}

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_DOC_BITS_H_
