// The operating-system calls behind linear memories, kept in one place so another platform
// only has to replace os_memory.cpp.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tern::rt::os {

// Reserves `bytes` of address space with no access and no backing commitment. Null on failure.
uint8_t* reserve(size_t bytes);
// Makes [start, start+bytes) of a reservation readable and writable (zero-filled on first use).
bool make_accessible(uint8_t* start, size_t bytes);
// Makes [start, start+bytes) of a reservation inaccessible again, so accesses there fault.
bool make_inaccessible(uint8_t* start, size_t bytes);
// Makes [start, start+bytes) read as zero again, releasing its pages where that is cheaper.
void discard(uint8_t* start, size_t bytes);
// Replaces whatever is mapped at [start, start+bytes) of a reservation (a memory image) with
// fresh readable, writable zero pages; false if the OS refuses.
bool replace_with_zero_pages(uint8_t* start, size_t bytes);
// Returns a whole reservation to the system.
void release(uint8_t* base, size_t bytes);
// Asks for transparent huge pages over the whole 2 MiB pages of the not yet touched buffer
// [start, start+bytes): a large buffer written at once is then faulted in 2 MiB at a time rather
// than 4 KiB (30 MB of a module file: 15 faults, not 7,500). Only advice; the OS may ignore it.
void advise_huge_pages(void* start, size_t bytes);

}  // namespace tern::rt::os
