// Lowering of the GC instructions that need no heap: ref.i31 and its unboxings (i31 values live
// in the reference slot, engine/runtime/i31.h), ref.eq, which compares the slots' bits as
// i64.eq does (an i31 by value, any other reference by identity, null as 0), so it is lowered
// as that and fuses with a following branch the same way, and ref.test and ref.cast to an
// abstract type (engine/runtime/ref_test.h).
#include "engine/interp/emit.h"
#include "engine/interp/lowering.h"
#include "engine/runtime/ref_test.h"

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
    case Opcode::RefTest:
    case Opcode::RefTestNull:
    case Opcode::RefCast:
    case Opcode::RefCastNull: {
      // A concrete target needs the heap's type headers: still refused by name.
      if (is_concrete(in.type)) return false;
      uint32_t target = rt::cast_target(heap_kind(in.type), is_nullable(in.type));
      Entry ref = pop();
      uint32_t r = operand(ref);
      if (in.op == Opcode::RefTest || in.op == Opcode::RefTestNull) {
        uint32_t dst = push_stack(ValType::I32);
        emit_RefTestAbstract(*this, dst, r, target);
        set_retargetable(dst);
        return true;
      }
      // As ref.as_non_null: the checked value stays where it is.
      emit_RefCastAbstract(*this, r, target);
      if (ref.kind == Kind::Local) {
        push_local(ref.local);
      } else {
        push_stack(in.type);
      }
      return true;
    }
    default:
      return false;
  }
}

}  // namespace tern::interp
