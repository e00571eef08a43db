// An allocator for large arrays read at random, such as the per-document
// facet slots of SearchIndex: blocks of 2 MiB and more are mapped on their
// own, aligned to 2 MiB and marked MADV_HUGEPAGE, so that the kernel backs
// them with huge pages (Debian's default transparent-huge-page mode is
// "madvise"). Why: a search reads one cache line in each of thousands of
// 4 KiB pages; under a hypervisor each TLB miss is a two-level page walk,
// and those walks were most of the facet counting's time. Smaller blocks
// come from the ordinary allocator.
#ifndef OPENENCODER_SERVICES_JOBS_HUGE_PAGE_ALLOCATOR_H_
#define OPENENCODER_SERVICES_JOBS_HUGE_PAGE_ALLOCATOR_H_

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

namespace openencoder::jobs {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

template <typename T>
class HugePageAllocator {
 public:
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: allocator rebinding

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) return std::allocator<T>().allocate(n);
    const size_t rounded = RoundUp(bytes);
    // Map one huge page more than needed, then unmap the unaligned ends.
    const size_t mapped = rounded + kHugePageBytes;
    void* raw = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
    const uintptr_t aligned = (start + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
    if (aligned > start) munmap(raw, aligned - start);
    const uintptr_t end = start + mapped;
    if (end > aligned + rounded)
      munmap(reinterpret_cast<void*>(aligned + rounded), end - aligned - rounded);
    void* block = reinterpret_cast<void*>(aligned);
    madvise(block, rounded, MADV_HUGEPAGE);  // advice only: 4 KiB pages still work
    return static_cast<T*>(block);
  }

  void deallocate(T* p, size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) {
      std::allocator<T>().deallocate(p, n);
    } else {
      munmap(p, RoundUp(bytes));
    }
  }

  friend bool operator==(const HugePageAllocator&, const HugePageAllocator&) { return true; }
  friend bool operator!=(const HugePageAllocator&, const HugePageAllocator&) { return false; }

 private:
  static size_t RoundUp(size_t bytes) {
    return (bytes + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  }
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_HUGE_PAGE_ALLOCATOR_H_
