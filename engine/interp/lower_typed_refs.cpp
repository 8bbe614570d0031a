// Lowering of the typed function reference instructions: call_ref and return_call_ref (as
// call_indirect, with the reference instead of a table slot), ref.as_non_null (a null check,
// the value stays where it is) and br_on_null/br_on_non_null (as br_if, testing the reference).
#include "engine/interp/emit.h"
#include "engine/interp/lowering.h"
#include "engine/interp/machine.h"

namespace tern::interp {

bool Lowerer::typed_references(const Instr& in) {
  switch (in.op) {
    case Opcode::CallRef:
    case Opcode::ReturnCallRef: {
      const FuncType& t = module_->types[in.index];
      Entry ref = pop();
      uint32_t r = operand(ref);
      uint32_t arg_base = home_at(stack_.size() - t.params.size());
      call(uint32_t(t.params.size()));
      if (in.op == Opcode::CallRef) {
        emit_CallRef(*this, r, arg_base);
        safepoint();
        for (ValType v : t.results) push_stack(v);
        return true;
      }
      uint32_t arg_bytes = 0, result_bytes = 0;
      for (ValType p : t.params) arg_bytes += slot_bytes(p);
      for (ValType v : t.results) result_bytes += slot_bytes(v);
      emit_ReturnCallRef(*this, r, arg_base, arg_bytes, result_bytes);
      return true;
    }
    case Opcode::RefAsNonNull: {
      Entry ref = pop();
      emit_RefAsNonNull(*this, operand(ref));
      // The checked value stays put: a local stays the local, anything else its home.
      if (ref.kind == Kind::Local) {
        push_local(ref.local);
      } else {
        push_stack(as_non_null(ref.type));
      }
      return true;
    }
    case Opcode::BrOnNull: {
      // The reference is not a label value: it is tested, then stays on the stack non-null.
      Entry ref = pop();
      uint32_t r = operand(ref);
      Ctrl& target = ctrls_[ctrls_.size() - 1 - in.index];
      if (!branch_needs_moves(in.index)) {
        emit_BrOnNull(*this, r, jump_offset(target));
        link(target);
      } else {
        emit_BrOnNonNull(*this, r, 0);
        Fixup skip = last_unit_fixup();
        branch(in.index);
        bind(skip, here());
      }
      begin_fuel_block();
      if (ref.kind == Kind::Local) {
        push_local(ref.local);
      } else {
        push_stack(as_non_null(ref.type));
      }
      return true;
    }
    case Opcode::BrOnNonNull: {
      // The reference is the last label value: it goes with the branch, else it is dropped.
      uint32_t r = operand(stack_.back());
      Ctrl& target = ctrls_[ctrls_.size() - 1 - in.index];
      if (!branch_needs_moves(in.index)) {
        emit_BrOnNonNull(*this, r, jump_offset(target));
        link(target);
      } else {
        emit_BrOnNull(*this, r, 0);
        Fixup skip = last_unit_fixup();
        branch(in.index);
        bind(skip, here());
      }
      begin_fuel_block();
      pop();
      return true;
    }
    default:
      return false;
  }
}

}  // namespace tern::interp
