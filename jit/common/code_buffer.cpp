#include "jit/common/code_buffer.h"

#include <sys/mman.h>

namespace tern::jit {

namespace {

using namespace asmjit;

// x86-64: dual-mapped, so no page is ever writable and executable at once. AArch64: one
// mapping, writable and executable: emulators that track translated code by page (qemu-user,
// where the AArch64 tests run) do not see writes through a second mapping and would run stale
// code when freed code memory is reused; the i-cache flush after each write is what native
// cores need either way.
#if defined(__aarch64__)
constexpr JitAllocatorOptions kAllocatorOptions = JitAllocatorOptions::kNone;
#else
constexpr JitAllocatorOptions kAllocatorOptions = JitAllocatorOptions::kUseDualMapping;
#endif

JitAllocator& code_allocator() {
  static JitAllocator* allocator = [] {
    JitAllocator::CreateParams params{};
    params.options = kAllocatorOptions;
    return new JitAllocator(&params);  // lives as long as the process: code may outlive engines
  }();
  return *allocator;
}

void release_code(void* rx) {
  code_allocator().release(rx);
}

// Maps in the pages of [p, p + n) that are about to be written in one call rather than one
// fault per page (a large module's code is tens of megabytes). Only pages wholly inside; the
// page size is the kernel's (4, 16 or 64 KiB).
void prefault(void* p, size_t n) {
#ifdef MADV_POPULATE_WRITE
  constexpr size_t kMinBytes = size_t(1) << 20;  // below it, faults cost less than the call
  uintptr_t page = uintptr_t(VirtMem::info().pageSize);
  uintptr_t begin = (uintptr_t(p) + page - 1) & ~(page - 1);
  uintptr_t end = (uintptr_t(p) + n) & ~(page - 1);
  if (n >= kMinBytes && end > begin) {
    madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
  }
#else
  (void)p;
  (void)n;
#endif
}

}  // namespace

CodeBuffer::CodeBuffer(Arch arch, bool with_listing, size_t code_size_hint) {
  code_.init(arch == Environment::host().arch() ? Environment::host() : Environment(arch));
  code_.setErrorHandler(&errors_);
  if (with_listing) code_.setLogger(&logger_);
  // Past 16 MiB asmjit grows a buffer in 16 MiB steps, copying it each time.
  if (code_size_hint) {
    asmjit::CodeBuffer& buffer = code_.textSection()->buffer();
    if (code_.reserveBuffer(&buffer, code_size_hint) == kErrorOk) {
      prefault(buffer.data(), buffer.capacity());
    }
  }
}

Result<void> CodeBuffer::finalize(CodeBlock& out) {
  // Not an invalid module: a valid one beyond what this backend encodes (on AArch64, a
  // function over 1 MiB of code, past the reach of a conditional branch to its trap stubs).
  if (errors_.failed) {
    return Error{ErrorKind::Limit,
                 "implementation limit: jit: cannot encode: " + errors_.message_text,
                 {},
                 {}};
  }
  code_.flatten();
  if (code_.resolveUnresolvedLinks() != kErrorOk) return Error::invalid("jit: unresolved label");
  size_t size = code_.codeSize();
  void* rx = nullptr;
  void* rw = nullptr;
  if (code_allocator().alloc(&rx, &rw, size) != kErrorOk) {
    return Error{ErrorKind::Limit, "jit: cannot allocate executable memory", {}, {}};
  }
  code_.relocateToBase(uint64_t(uintptr_t(rx)));
  prefault(rw, size);
  code_.copyFlattenedData(rw, size, CopySectionFlags::kPadSectionBuffer);
  // Written through the writable view: the executable one's instruction cache may hold what
  // was there before (nothing to do on x86-64, required on AArch64).
  VirtMem::flushInstructionCache(rx, size);
  out.code = static_cast<const uint8_t*>(rx);
  out.size = size;
  out.release_token = rx;
  out.release = release_code;
  out.func_offsets = std::move(func_offsets_);
  out.fault_sites = std::move(fault_sites_);
  base_ = out.code;
  return {};
}

}  // namespace tern::jit
