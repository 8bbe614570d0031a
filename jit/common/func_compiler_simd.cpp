// FuncCompiler's SIMD instructions: v128.const, the v128 loads and stores, and every other
// 0xFD-prefixed instruction as one SimdAssembler::op on registers. v128 values themselves flow
// through the value stack like f64 ones (Fp registers), in two operand slots each.
#include <optional>
#include <string>

#include "jit/common/func_compiler.h"

namespace tern::jit {

Error simd_refusal(const Instr& in) {
  return Error::invalid("jit: " + std::string(name_of(in.op)) + " is not compiled on this host",
                        in.offset);
}

bool FuncCompiler::compile_simd(const Instr& in, std::span<const ValType> popped,
                                std::span<const ValType> pushed) {
  // What SupportCheck refuses (lazy compilation runs it first), refused here too.
  SimdAssembler* simd = masm_.simd();
  if (!simd) return false;
  if (!backend_compiles_simd(in.op)) {
    error_ = simd_refusal(in);
    return true;
  }
  ImmKind imm = info(in.op).imm;
  if (imm == ImmKind::MemArg || imm == ImmKind::MemArgLane) {
    simd_memory_access(in, popped);
    return true;
  }
  if (in.op == Opcode::V128Const) {
    Reg r = alloc_reg(RegClass::Fp);
    simd->mov_imm(r, in.v128);
    push_reg(ValType::V128, r);
    return true;
  }
  // SimdAssembler::op leaves its sources unchanged unless one is dst, so a cached local is
  // read in its own register: no copy of the local before each use (a loop's accumulators).
  Operand ops[3];
  Reg srcs[3];
  size_t n = popped.size();
  // A shift by a constant count may take the count as an immediate (shift_by_constant).
  bool constant_count = n == 2 && popped[0] == ValType::V128 && popped[1] == ValType::I32 &&
                        stack_.back().kind == Kind::Const;
  size_t in_regs = constant_count ? 1 : n;
  for (size_t i = n; i-- > 0;) {
    ops[i] = pop();
    if (i < in_regs) srcs[i] = read_reg(ops[i], height());
  }
  // The result replaces the first operand when that is of its class and in a register of its
  // own; else it gets a register distinct from every source (SimdAssembler::op's rule).
  RegClass dst_class = reg_class(pushed[0]);
  bool in_place = n > 0 && reg_class(popped[0]) == dst_class && ops[0].kind != Kind::Local;
  Reg dst = in_place ? srcs[0] : alloc_reg(dst_class);
  if (constant_count && !simd->shift_by_constant(in.op, dst, srcs[0], uint32_t(ops[1].bits))) {
    srcs[1] = read_reg(ops[1], height() + 1);  // a constant: no slot is read
    in_regs = n;
  }
  if (in_regs == n) {
    V128 immediate{};
    if (imm == ImmKind::Lane) immediate.bytes[0] = in.lane;
    if (imm == ImmKind::Shuffle) immediate = in.v128;
    simd->op(in.op, dst, std::span<const Reg>(srcs, n), immediate);
  }
  for (size_t i = in_place ? 1 : 0; i < in_regs; ++i) free_unless_borrowed(ops[i], srcs[i]);
  push_reg(pushed[0], dst);
  return true;
}

// As memory_access: the address (and memory64's check, another memory's base) the same way;
// the access size checked is the opcode's (info(op).n).
void FuncCompiler::simd_memory_access(const Instr& in, std::span<const ValType> popped) {
  SimdAssembler& simd = *masm_.simd();
  bool store = popped.size() == 2 && info(in.op).sig.ends_with('_');
  // v128.store's value, store_lane's, or load_lane's v128 operand. A store only reads it, so
  // a cached local's register serves; load_lane writes its result over it.
  Operand vector_op;
  std::optional<Reg> vector;
  if (popped.size() == 2) {
    vector_op = pop();
    vector = store ? read_reg(vector_op, height()) : to_reg(vector_op, height());
  }
  Reg addr = pop_to_reg();
  MemAccess a;
  a.bytes = info(in.op).n;
  uint64_t offset = bound_access(in, a, addr);
  if (in.mem.memory != 0) {
    a.base_in_reg = true;
    a.base = alloc_reg(RegClass::Gp);
    masm_.load_memory_base(a.base, in.mem.memory);
  }
  if (store) {
    simd.store(in.op, a, addr, offset, *vector, in.lane);
    free_unless_borrowed(vector_op, *vector);
  } else {
    Reg dst = vector ? *vector : alloc_reg(RegClass::Fp);
    simd.load(in.op, a, dst, addr, offset, dst, in.lane);
    push_reg(ValType::V128, dst);
  }
  free_reg(RegClass::Gp, addr);
  if (a.base_in_reg) free_reg(RegClass::Gp, a.base);
}

}  // namespace tern::jit
