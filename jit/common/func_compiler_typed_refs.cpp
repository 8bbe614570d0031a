// FuncCompiler's typed function reference instructions, with the interpreter's semantics
// (engine/interp/lower_typed_refs.cpp): ref.as_non_null is a null check that leaves the value
// where it is; br_on_null and br_on_non_null are br_if on a comparison of the reference with
// null. call_ref and return_call_ref are indirect calls (func_compiler.cpp).
#include "jit/common/func_compiler.h"

namespace tern::jit {

FuncCompiler::Operand FuncCompiler::null_test(Reg r, Cond c, bool borrowed) {
  Operand test{ValType::I32, Kind::Compare, r, 0};
  test.cond = c;
  test.width = Width::W64;
  test.lhs_borrowed = borrowed;
  return test;
}

// A cached local stays the local (its register is read in place); anything else is now in `r`.
Reg FuncCompiler::keep_label_reference(bool& borrowed) {
  Operand ref = pop();
  Reg r = read_reg(ref, height());
  borrowed = ref.kind == Kind::Local;
  if (borrowed) {
    push(ref);  // flush_all stores it
  } else {
    if (ref.kind != Kind::Slot) store(slot_at(height()), ref.type, r);
    push_slot(ref.type);
  }
  return r;
}

void FuncCompiler::repush_reference(const Operand& ref, Reg r, ValType t) {
  if (ref.kind == Kind::Local) {
    Operand local = ref;
    local.type = t;
    push(local);
  } else {
    push_reg(t, r);
  }
}

bool FuncCompiler::compile_typed_reference(const Instr& in, std::span<const ValType> pushed) {
  switch (in.op) {
    case Opcode::RefAsNonNull: {
      Operand ref = pop();
      Reg r = read_reg(ref, height());
      masm_.branch_if_imm(Cond::Eq, Width::W64, r, 0, trap_label(TrapCode::NullReference));
      repush_reference(ref, r, pushed[0]);
      return true;
    }
    case Opcode::BrOnNull: {
      // The reference is not a label value: taken, it is dropped; not taken, it stays on the
      // stack, non-null, in the register it was tested in (which the branch leaves alone).
      Operand ref = pop();
      Reg r = read_reg(ref, height());
      br_if(in.index, null_test(r, Cond::Eq, true));
      repush_reference(ref, r, pushed.back());  // pushed: the label's values, then the ref
      begin_fuel_block();
      return true;
    }
    case Opcode::BrOnNonNull: {
      // The reference is the label's last value: it goes to its slot as br_if's label values
      // do, and is tested in a register; not taken, the null is dropped.
      bool local = false;
      Reg r = keep_label_reference(local);
      br_if(in.index, null_test(r, Cond::Ne, local));
      free_operand(pop());
      begin_fuel_block();
      return true;
    }
    default:
      return false;
  }
}

}  // namespace tern::jit
