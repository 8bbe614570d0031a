// POSIX implementation of os_memory.h.
#include "engine/runtime/os_memory.h"

#include <sys/mman.h>

namespace tern::rt::os {

uint8_t* reserve(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
}

bool make_accessible(uint8_t* start, size_t bytes) {
  return bytes == 0 || mprotect(start, bytes, PROT_READ | PROT_WRITE) == 0;
}

void release(uint8_t* base, size_t bytes) {
  munmap(base, bytes);
}

}  // namespace tern::rt::os
