// Lowering of constants and of the numeric instructions of numeric_ops.def (loads and stores
// aside): a constant right operand becomes an immediate, and an integer compare or i32.add is
// recorded for a following branch, load or store to fuse with.
#include "engine/interp/emit.h"
#include "engine/interp/lowering.h"

namespace tern::interp {

namespace {

// Integer ops whose operands may be swapped so that a constant becomes the immediate.
bool commutative(Opcode op) {
  switch (op) {
    case Opcode::I32Add:
    case Opcode::I32Mul:
    case Opcode::I32And:
    case Opcode::I32Or:
    case Opcode::I32Xor:
    case Opcode::I32Eq:
    case Opcode::I32Ne:
    case Opcode::I64Add:
    case Opcode::I64Mul:
    case Opcode::I64And:
    case Opcode::I64Or:
    case Opcode::I64Xor:
    case Opcode::I64Eq:
    case Opcode::I64Ne:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool Lowerer::numeric(const Instr& in, std::span<const ValType> pushed) {
  switch (in.op) {
    case Opcode::I32Const:
      push_const(ValType::I32, uint32_t(in.bits));
      return true;
    case Opcode::I64Const:
    case Opcode::F32Const:
    case Opcode::F64Const:
      push_const(pushed[0], in.bits);
      return true;
    default:
      break;
  }
  Op op = numeric_op(in.op);
  if (op == Op::Count_) return false;
  if (!is_binary_numeric(in.op)) {
    Entry a = pop();
    uint32_t sa = operand(a);
    uint32_t dst = push_stack(pushed[0]);
    emit_Unary(*this, op, dst, sa);
    set_retargetable(dst);
    if (in.op == Opcode::I32Eqz || in.op == Opcode::I64Eqz) {
      Opcode eq = in.op == Opcode::I32Eqz ? Opcode::I32Eq : Opcode::I64Eq;
      last_compare_ = Compare{eq, instr_start_, sa, true, 0, dst};
    }
    return true;
  }
  Entry b = pop(), a = pop();
  if (a.kind == Kind::Const && b.kind != Kind::Const && commutative(in.op)) std::swap(a, b);
  uint32_t sa = operand(a);
  bool b_imm = b.kind == Kind::Const;
  uint64_t sb = 0;
  uint32_t dst = 0;
  if (b_imm) {
    sb = b.bits;
    dst = push_stack(pushed[0]);
    Op si = Op(size_t(op) + 1);  // the _si form
    if (is_wide(b.type)) {
      emit_BinaryImm64(*this, si, dst, sa, b.bits);
    } else {
      emit_BinaryImm32(*this, si, dst, sa, uint32_t(b.bits));
    }
  } else {
    sb = operand(b);
    dst = push_stack(pushed[0]);
    emit_Binary(*this, op, dst, sa, uint32_t(sb));
  }
  set_retargetable(dst);
  if (branch_compare_op(in.op) != Op::Count_) {
    last_compare_ = Compare{in.op, instr_start_, sa, b_imm, sb, dst};
  } else if (in.op == Opcode::I32Add) {
    last_add_ = Compare{in.op, instr_start_, sa, b_imm, sb, dst};
  }
  return true;
}

}  // namespace tern::interp
