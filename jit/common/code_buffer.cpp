#include "jit/common/code_buffer.h"

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <string>

namespace tern::jit {

namespace {

using namespace asmjit;

// Executable memory for one block, first written through `writable`, then made executable.
struct CodeMemory {
  void* code = nullptr;
  void* writable = nullptr;
  void* release_token = nullptr;
  void (*release)(void*) = nullptr;
};

// W^X by protection changes: each block has anonymous pages of its own, mapped read-write while
// its code is copied in, then read-execute for good, and unmapped when it dies. AArch64's
// scheme, and x86-64's once a perf map is asked for (use_anonymous_code_memory).
// AArch64 does not use a second, writable mapping of the same pages (x86-64's scheme):
// emulators that track translated code by page (qemu-user, where the AArch64 tests run) do not
// see writes through it and ran stale code when freed code memory was reused; unmapping tells
// them.
struct PageMapping {
  void* base;
  size_t size;
};

void unmap_code(void* token) {
  auto* mapping = static_cast<PageMapping*>(token);
  munmap(mapping->base, mapping->size);
  delete mapping;
}

Result<CodeMemory> allocate_pages(size_t size) {
  size_t page = VirtMem::info().pageSize;
  size_t bytes = (std::max<size_t>(size, 1) + page - 1) & ~(page - 1);
  void* base = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) {
    return Error{ErrorKind::Limit, "jit: cannot allocate executable memory", {}, {}};
  }
  return CodeMemory{base, base, new PageMapping{base, bytes}, unmap_code};
}

Result<void> protect_pages(const CodeMemory& memory, size_t size) {
  const auto* mapping = static_cast<const PageMapping*>(memory.release_token);
  if (mprotect(mapping->base, mapping->size, PROT_READ | PROT_EXEC) != 0) {
    unmap_code(memory.release_token);
    return Error{ErrorKind::Limit, "jit: cannot make code executable", {}, {}};
  }
  // The core may hold stale instructions for these addresses (pages of a freed block).
  char* begin = static_cast<char*>(memory.code);
  __builtin___clear_cache(begin, begin + size);
  return {};
}

#if defined(__aarch64__)
Result<CodeMemory> allocate_code(size_t size) {
  return allocate_pages(size);
}

Result<void> make_executable(const CodeMemory& memory, size_t size) {
  return protect_pages(memory, size);
}
#else
// Set once a module is compiled for a perf map: perf reads the map only for samples in
// anonymous memory, and the dual mapping's pages are a memfd's.
std::atomic<bool> anonymous_code{false};

// x86-64: asmjit's JitAllocator, dual-mapped (a writable and an executable view of the same
// pages), so no page is ever writable and executable at once; blocks share pages.
JitAllocator& code_allocator() {
  static JitAllocator* allocator = [] {
    JitAllocator::CreateParams params{};
    params.options = JitAllocatorOptions::kUseDualMapping;
    return new JitAllocator(&params);  // lives as long as the process: code may outlive engines
  }();
  return *allocator;
}

void release_code(void* rx) {
  code_allocator().release(rx);
}

Result<CodeMemory> allocate_code(size_t size) {
  if (anonymous_code.load(std::memory_order_relaxed)) return allocate_pages(size);
  void* rx = nullptr;
  void* rw = nullptr;
  if (code_allocator().alloc(&rx, &rw, size) != kErrorOk) {
    return Error{ErrorKind::Limit, "jit: cannot allocate executable memory", {}, {}};
  }
  return CodeMemory{rx, rw, rx, release_code};
}

Result<void> make_executable(const CodeMemory& memory, size_t size) {
  if (memory.release == unmap_code) return protect_pages(memory, size);
  // Written through the writable view: the executable one's instruction cache may hold what
  // was there before (nothing to do on x86-64).
  VirtMem::flushInstructionCache(memory.code, size);
  return {};
}
#endif

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

void use_anonymous_code_memory() {
#if !defined(__aarch64__)
  anonymous_code.store(true, std::memory_order_relaxed);
#endif
}

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

void CodeBuffer::emit_jump_table(BaseAssembler& assembler, std::span<const Label> targets) {
  size_t offset = assembler.offset();
  if (has_listing()) {
    std::string text = "; jump table (offsets from here, filled in at the function's end):";
    for (Label t : targets) text += " L" + std::to_string(t.id);
    assembler.comment(text.data(), text.size());
  }
  uint32_t zero = 0;
  assembler.embedDataArray(TypeId::kUInt32, &zero, 1, targets.size());
  pending_tables_.push_back({uint32_t(offset), uint32_t(targets.size())});
  for (Label t : targets) pending_targets_.push_back(t.id);
}

void CodeBuffer::add_safepoint(size_t return_offset, std::span<const Slot> gc_slots) {
  if (gc_slots.empty()) return;  // a call not listed holds no references
  uint32_t first = uint32_t(safepoint_slots_.size() + unresolved_slots_.size());
  safepoints_.push_back({uint32_t(return_offset), first, uint32_t(gc_slots.size())});
  unresolved_slots_.insert(unresolved_slots_.end(), gc_slots.begin(), gc_slots.end());
}

void CodeBuffer::resolve_safepoints(uint32_t frame_bytes) {
  for (Slot s : unresolved_slots_) {
    safepoint_slots_.push_back(s.kind == Slot::Kind::Operand
                                   ? int32_t(s.index * 8) - int32_t(frame_bytes)
                                   : -16 - int32_t(s.index * 8));
  }
  unresolved_slots_.clear();
}

void CodeBuffer::fill_jump_tables() {
  const uint32_t* target = pending_targets_.data();
  for (const PendingTable& table : pending_tables_) {
    uint8_t* entry = data() + table.offset;
    for (uint32_t i = 0; i < table.count; ++i, ++target, entry += 4) {
      if (!code_.isLabelBound(*target)) {
        errors_.handleError(kErrorInvalidLabel, "a jump table's target is not bound", nullptr);
        continue;
      }
      int32_t delta = int32_t(int64_t(code_.labelOffset(*target)) - int64_t(table.offset));
      std::memcpy(entry, &delta, 4);
    }
  }
  pending_tables_.clear();
  pending_targets_.clear();
}

Result<void> CodeBuffer::finalize(CodeBlock& out) {
  // Not an invalid module: a valid one beyond what this backend encodes.
  if (errors_.failed) {
    return Error{ErrorKind::Limit,
                 "implementation limit: jit: cannot encode: " + errors_.message_text,
                 {},
                 {}};
  }
  code_.flatten();
  if (code_.resolveUnresolvedLinks() != kErrorOk) return Error::invalid("jit: unresolved label");
  size_t size = code_.codeSize();
  auto memory = allocate_code(size);
  if (!memory) return memory.take_error();
  code_.relocateToBase(uint64_t(uintptr_t(memory->code)));
  prefault(memory->writable, size);
  code_.copyFlattenedData(memory->writable, size, CopySectionFlags::kPadSectionBuffer);
  TERN_TRY(make_executable(*memory, size));
  out.code = static_cast<const uint8_t*>(memory->code);
  out.size = size;
  out.release_token = memory->release_token;
  out.release = memory->release;
  out.func_offsets = std::move(func_offsets_);
  out.fault_sites = std::move(fault_sites_);
  out.address_sites = std::move(address_sites_);
  out.type_id_sites = std::move(type_id_sites_);
  out.wasm_offsets = std::move(wasm_offsets_);
  out.safepoints = std::move(safepoints_);
  out.safepoint_slots = std::move(safepoint_slots_);
  auto offset = [&](Label l) { return uint32_t(code_.labelOffsetFromBase(asmjit::Label(l.id))); };
  for (HandlerDraft& d : handler_drafts_) {
    HandlerTable& table = out.handler_tables.emplace_back();
    table.func = d.func;
    table.frame_bytes = d.frame_bytes;
    for (const TryRegionLabels& r : d.regions) {
      TryRegion& region = table.regions.emplace_back();
      region.begin = offset(r.begin);
      region.end = offset(r.end);
      region.parent = r.parent;
      for (const auto& [tag, pad] : r.clauses) region.clauses.push_back({tag, offset(pad)});
    }
  }
  base_ = out.code;
  return {};
}

Result<void> place_code(std::span<const uint8_t> code,
                        const std::function<void(std::span<uint8_t>)>& patch, CodeBlock& out) {
  auto memory = allocate_code(code.size());
  if (!memory) return memory.take_error();
  prefault(memory->writable, code.size());
  auto* writable = static_cast<uint8_t*>(memory->writable);
  std::copy(code.begin(), code.end(), writable);
  patch({writable, code.size()});
  TERN_TRY(make_executable(*memory, code.size()));
  out.code = static_cast<const uint8_t*>(memory->code);
  out.size = code.size();
  out.release_token = memory->release_token;
  out.release = memory->release;
  return {};
}

}  // namespace tern::jit
