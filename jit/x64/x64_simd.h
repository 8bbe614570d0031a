// The x86-64 SimdAssembler: v128 values in xmm registers (the Fp class) and in pairs of operand
// slots, v128.const from a constant pool beside the code, every v128 load and store form with
// its fault site, and the computational ops through emit_x64_simd_op (x64_simd_ops.h).
#pragma once

#include <asmjit/core.h>
#include <asmjit/x86.h>

#include <array>
#include <cstdint>
#include <map>

#include "jit/common/code_buffer.h"
#include "jit/common/simd_assembler.h"
#include "jit/x64/x64_simd_ops.h"

namespace tern::jit {

class X64SimdAssembler final : public SimdAssembler, public X64ConstantPool {
 public:
  X64SimdAssembler(asmjit::x86::Assembler& a, CodeBuffer& buffer) : a_(a), buffer_(buffer) {}

  void load_slot(Reg dst, Slot src) override;
  void store_slot(Slot dst, Reg src) override;
  void mov(Reg dst, Reg src) override;
  void mov_imm(Reg dst, const V128& bits) override;
  void load_global(Reg dst, uint32_t index) override;
  void store_global(uint32_t index, Reg src) override;
  void select(Reg dst, Reg other, Reg cond) override;
  void op(Opcode op, Reg dst, std::span<const Reg> srcs, const V128& imm) override;
  bool shift_by_constant(Opcode op, Reg dst, Reg src, uint32_t count) override;
  void load(Opcode op, const MemAccess& a, Reg dst, Reg addr, uint64_t offset, Reg lane_src,
            uint8_t lane) override;
  void store(Opcode op, const MemAccess& a, Reg addr, uint64_t offset, Reg value,
             uint8_t lane) override;

  // Each distinct constant once, 16-byte aligned, after the code of the block.
  asmjit::x86::Mem constant(const V128& bits) override;
  // Emits the constants used so far after the code; the block's last step before finalize.
  void place_constants();

 private:
  X64SimdOperands operands(Opcode op, Reg dst, std::span<const Reg> srcs, const V128& imm);

  asmjit::x86::Assembler& a_;
  CodeBuffer& buffer_;
  std::map<std::array<uint8_t, 16>, asmjit::Label> constants_;
};

namespace x64_backend {
// backend_compiles_simd on x86-64: nothing without SSE4.1; else the plumbing (memory ops,
// v128.const) and what emit_x64_simd_op compiles.
bool compiles_simd(Opcode op);
}  // namespace x64_backend

}  // namespace tern::jit
