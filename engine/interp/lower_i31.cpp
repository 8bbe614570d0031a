// Lowering of the GC instructions that need no heap: ref.i31 and its unboxings (i31 values live
// in the reference slot, engine/runtime/i31.h), and ref.eq, which compares the slots' bits as
// i64.eq does (an i31 by value, any other reference by identity, null as 0), so it is lowered
// as that and fuses with a following branch the same way.
#include "engine/interp/emit.h"
#include "engine/interp/lowering.h"

namespace tern::interp {

bool Lowerer::i31_and_ref_eq(const Instr& in, std::span<const ValType> pushed) {
  switch (in.op) {
    case Opcode::RefEq: {
      Instr eq = in;
      eq.op = Opcode::I64Eq;
      return numeric(eq, pushed);
    }
    case Opcode::RefI31:
    case Opcode::I31GetS:
    case Opcode::I31GetU: {
      Entry a = pop();
      uint32_t sa = operand(a);
      uint32_t dst = push_stack(pushed[0]);
      if (in.op == Opcode::RefI31) {
        emit_RefI31(*this, dst, sa);
      } else if (in.op == Opcode::I31GetS) {
        emit_I31GetS(*this, dst, sa);
      } else {
        emit_I31GetU(*this, dst, sa);
      }
      set_retargetable(dst);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace tern::interp
