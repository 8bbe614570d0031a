// The x86-64 backend's multi-memory and memory64 code: reaching a memory other than memory 0
// through the instance, and memory64's explicit bounds check (see MacroAssembler).
#pragma once

#include <asmjit/x86.h>

#include <cstdint>

namespace tern::jit::x64_backend {

// dst = the base of memory `memory` of the instance in `inst`.
void load_memory_base(asmjit::x86::Assembler& a, const asmjit::x86::Gp& inst,
                      const asmjit::x86::Gp& dst, uint32_t memory);

// Jumps to `out_of_bounds` unless addr + end <= the byte length of memory `memory` (no wrap past
// 2^64). Uses rax, rcx and rdx.
void check_memory_bounds(asmjit::x86::Assembler& a, const asmjit::x86::Gp& inst,
                         const asmjit::x86::Gp& addr, uint64_t end, uint32_t memory,
                         const asmjit::Label& out_of_bounds);

}  // namespace tern::jit::x64_backend
