// POSIX implementation of os_memory.h.
#include "engine/runtime/os_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace tern::rt::os {

uint8_t* reserve(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
}

bool make_accessible(uint8_t* start, size_t bytes) {
  return bytes == 0 || mprotect(start, bytes, PROT_READ | PROT_WRITE) == 0;
}

bool make_inaccessible(uint8_t* start, size_t bytes) {
  return bytes == 0 || mprotect(start, bytes, PROT_NONE) == 0;
}

void discard(uint8_t* start, size_t bytes) {
  if (bytes == 0) return;
  // Dropping a resident page and faulting it back in costs tens of microseconds on some
  // virtual machines, so in a small range with few resident pages those are zeroed by hand.
  // The other pages are still dropped: "not resident" includes swapped out.
  constexpr size_t kProbedPages = 256;
  constexpr size_t kMaxHandZeroedPages = 16;
  const size_t page = size_t(sysconf(_SC_PAGESIZE));
  const size_t pages = (bytes + page - 1) / page;
  unsigned char resident[kProbedPages];
  if (pages > kProbedPages || mincore(start, bytes, resident) != 0 ||
      size_t(std::count_if(resident, resident + pages, [](unsigned char r) { return r & 1; })) >
          kMaxHandZeroedPages) {
    madvise(start, bytes, MADV_DONTNEED);  // private anonymous pages come back zero-filled
    return;
  }
  size_t run_start = 0;  // first page of the current run of non-resident pages
  for (size_t i = 0; i <= pages; ++i) {
    if (i < pages && !(resident[i] & 1)) continue;
    if (i > run_start) madvise(start + run_start * page, (i - run_start) * page, MADV_DONTNEED);
    if (i < pages) std::memset(start + i * page, 0, page);
    run_start = i + 1;
  }
}

bool replace_with_zero_pages(uint8_t* start, size_t bytes) {
  if (bytes == 0) return true;
  void* p = mmap(start, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
  return p == start;
}

void release(uint8_t* base, size_t bytes) {
  munmap(base, bytes);
}

void advise_huge_pages(void* start, size_t bytes) {
#ifdef MADV_HUGEPAGE
  constexpr uintptr_t kHugePage = uintptr_t(2) << 20;
  const uintptr_t begin = (uintptr_t(start) + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t end = (uintptr_t(start) + bytes) & ~(kHugePage - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)start;
  (void)bytes;
#endif
}

}  // namespace tern::rt::os
