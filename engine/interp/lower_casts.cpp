// Lowering of the casts (ref.test, ref.cast, br_on_cast, br_on_cast_fail) and of the
// conversions between the extern and any hierarchies: one op each, the target as an
// rt::cast_target immediate plus, for a concrete target, the module's type index, whose GcType
// the handler finds through the instance (engine/runtime/gc_ops.h tests the value).
#include "engine/interp/emit.h"
#include "engine/interp/lowering.h"
#include "engine/runtime/gc_ops.h"

namespace tern::interp {

namespace {

struct CastImm {
  uint32_t cast;
  uint32_t type;
};

CastImm cast_imm(ValType target) {
  if (is_concrete(target)) {
    return {rt::kConcreteTarget | (is_nullable(target) ? 0x100u : 0u), ref_type_index(target)};
  }
  return {rt::cast_target(heap_kind(target), is_nullable(target)), 0};
}

}  // namespace

bool Lowerer::casts(const Instr& in, std::span<const ValType> pushed) {
  switch (in.op) {
    case Opcode::RefTest:
    case Opcode::RefTestNull: {
      CastImm c = cast_imm(in.type);
      Entry ref = pop();
      uint32_t r = operand(ref);
      uint32_t dst = push_stack(ValType::I32);
      emit_RefTest(*this, dst, r, c.cast, c.type);
      set_retargetable(dst);
      return true;
    }
    case Opcode::RefCast:
    case Opcode::RefCastNull: {
      CastImm c = cast_imm(in.type);
      // As ref.as_non_null: the checked value stays where it is.
      Entry ref = pop();
      emit_RefCast(*this, operand(ref), c.cast, c.type);
      if (ref.kind == Kind::Local) {
        push_local(ref.local);
      } else {
        push_stack(in.type);
      }
      return true;
    }
    case Opcode::BrOnCast:
    case Opcode::BrOnCastFail: {
      // The reference is the last label value: it goes with the branch, else it stays.
      CastImm c = cast_imm(in.type2);
      bool on_fail = in.op == Opcode::BrOnCastFail;
      uint32_t r = operand(stack_.back());
      Ctrl& target = ctrls_[ctrls_.size() - 1 - in.index];
      if (!branch_needs_moves(in.index)) {
        if (on_fail) {
          emit_BrOnCastFail(*this, r, c.cast, c.type, jump_offset(target));
        } else {
          emit_BrOnCast(*this, r, c.cast, c.type, jump_offset(target));
        }
        link(target);
      } else {
        if (on_fail) {
          emit_BrOnCast(*this, r, c.cast, c.type, 0);
        } else {
          emit_BrOnCastFail(*this, r, c.cast, c.type, 0);
        }
        Fixup skip = last_unit_fixup();
        branch(in.index);
        bind(skip, here());
      }
      begin_fuel_block();
      stack_.back().type = pushed.back();
      return true;
    }
    case Opcode::AnyConvertExtern:
    case Opcode::ExternConvertAny: {
      Entry ref = pop();
      uint32_t r = operand(ref);
      uint32_t dst = push_stack(pushed[0]);
      if (in.op == Opcode::AnyConvertExtern) {
        emit_AnyConvertExtern(*this, dst, r);
        allocation_safepoint({&ref, 1});  // it may allocate a box
      } else {
        emit_ExternConvertAny(*this, dst, r);
      }
      set_retargetable(dst);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace tern::interp
