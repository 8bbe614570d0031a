#include "jit/x64/x64_memory.h"

#include "jit/common/runtime_layout.h"

namespace tern::jit::x64_backend {

using namespace asmjit;

namespace {

// dst = the MemoryInstance* of memory `memory`: Instance::memories[memory].
void load_memory_instance(x86::Assembler& a, const x86::Gp& inst, const x86::Gp& dst,
                          uint32_t memory) {
  a.mov(dst, x86::qword_ptr(inst, runtime_layout().instance_memories));
  a.mov(dst, x86::qword_ptr(dst, int32_t(memory * 8)));
}

}  // namespace

void load_memory_base(x86::Assembler& a, const x86::Gp& inst, const x86::Gp& dst, uint32_t memory) {
  load_memory_instance(a, inst, dst, memory);
  a.mov(dst, x86::qword_ptr(dst, runtime_layout().memory_base));
}

// rcx = addr + end, saturated to 2^64 - 1 when it carries (sbb makes rdx all ones then), so a
// single unsigned compare with the byte length decides: one branch.
void check_memory_bounds(x86::Assembler& a, const x86::Gp& inst, const x86::Gp& addr, uint64_t end,
                         uint32_t memory, const asmjit::Label& out_of_bounds) {
  load_memory_instance(a, inst, x86::rax, memory);
  if (end <= uint64_t(INT32_MAX)) {
    a.mov(x86::rcx, addr);
    a.add(x86::rcx, int32_t(end));
  } else {
    a.mov(x86::rcx, end);
    a.add(x86::rcx, addr);
  }
  a.sbb(x86::rdx, x86::rdx);
  a.or_(x86::rcx, x86::rdx);
  a.cmp(x86::rcx, x86::qword_ptr(x86::rax, runtime_layout().memory_size));
  a.ja(out_of_bounds);
}

}  // namespace tern::jit::x64_backend
