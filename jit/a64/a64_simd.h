// The AArch64 backend's SimdAssembler (simd_assembler.h): v128 values in the q view of
// v0-v29, moves, slots, globals, select and every v128 memory form here (a64_simd.cpp); the
// computational ops are a64_simd_ops.h's.
#pragma once

#include "jit/a64/a64_masm.h"
#include "jit/common/simd_assembler.h"

namespace tern::jit::a64_backend {

class A64SimdAssembler final : public SimdAssembler {
 public:
  explicit A64SimdAssembler(A64Assembler& masm) : m_(masm) {}

  void load_slot(Reg dst, Slot src) override;
  void store_slot(Slot dst, Reg src) override;
  void mov(Reg dst, Reg src) override;
  void mov_imm(Reg dst, const V128& bits) override;
  void load_global(Reg dst, uint32_t index) override;
  void store_global(uint32_t index, Reg src) override;
  void select(Reg dst, Reg other, Reg cond) override;
  void op(Opcode op, Reg dst, std::span<const Reg> srcs, const V128& imm) override;
  void load(Opcode op, const MemAccess& a, Reg dst, Reg addr, uint64_t offset, Reg lane_src,
            uint8_t lane) override;
  void store(Opcode op, const MemAccess& a, Reg addr, uint64_t offset, Reg value,
             uint8_t lane) override;

 private:
  // The access just emitted may fault: recorded so that a fault there traps.
  void fault_site();

  A64Assembler& m_;
};

}  // namespace tern::jit::a64_backend
