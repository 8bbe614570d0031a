// FuncCompiler's Wasm GC instructions, with the interpreter's semantics (docs/gc.md): what needs
// the heap or a type's layout is a call of a GC helper (gc_helpers.h) over the interpreter's
// operations; i31 boxing, ref.eq and the casts that only test for null are inline.
//
// A helper's operands are the instruction's, in their slots (call_helper flushes them there),
// and an allocation's result comes back in a register: no reference is held anywhere else
// across the call, which is what the call's safepoint describes (frame_roots.h).
#include "engine/runtime/gc_ops.h"
#include "engine/runtime/gc_type.h"
#include "jit/common/func_compiler.h"
#include "jit/common/gc_helpers.h"

namespace tern::jit {

namespace {

uint64_t pack(uint32_t lo, uint32_t hi) {
  return lo | uint64_t(hi) << 32;
}

constexpr ValType kI32[] = {ValType::I32};

// A cast target as ref_test's immediate: rt::cast_target, and the type index when concrete.
uint64_t cast_imm(ValType target) {
  uint32_t nullable = is_nullable(target) ? 0x100u : 0u;
  if (is_concrete(target)) return pack(rt::kConcreteTarget | nullable, ref_type_index(target));
  return rt::cast_target(heap_kind(target), is_nullable(target));
}

// How a test against an abstract top type (any, func, extern, exn) or bottom type (none,
// nofunc, noextern, noexn) comes out: validation proved the value is of the target's
// hierarchy, so only null matters.
enum class NullCast : uint8_t { Always, Never, IfNull, IfNonNull };

std::optional<NullCast> null_cast(ValType target) {
  if (is_concrete(target)) return std::nullopt;
  bool nullable = is_nullable(target);
  switch (heap_kind(target)) {
    case HeapKind::Any:
    case HeapKind::Func:
    case HeapKind::Extern:
    case HeapKind::Exn:
      return nullable ? NullCast::Always : NullCast::IfNonNull;
    case HeapKind::None:
    case HeapKind::NoFunc:
    case HeapKind::NoExtern:
    case HeapKind::NoExn:
      return nullable ? NullCast::IfNull : NullCast::Never;
    default:
      return std::nullopt;
  }
}

}  // namespace

bool FuncCompiler::compile_gc(const Instr& in, std::span<const ValType> pushed) {
  auto fields = [&](uint32_t type) -> const std::vector<FieldType>& {
    return module_.info.type_defs[type].fields;
  };
  auto offset = [&](uint32_t type, uint32_t field) {
    return rt::struct_offsets(fields(type))[field];
  };
  // A field or element read: in a register, or a v128 in its two slots.
  auto get = [&](Helper fn, uint32_t operands, uint64_t imm) {
    call_helper(fn, operands, imm, true, pushed, pushed[0] != ValType::V128);
  };
  switch (in.op) {
    case Opcode::RefEq: {
      // The slots' bits: an i31 by value, any other reference by identity, null as 0.
      Operand rhs = pop();
      Operand lhs = pop();
      push_compare(Cond::Eq, Width::W64, lhs, rhs, height());
      return true;
    }
    case Opcode::RefI31: {
      // (value << 1) | 1, the upper half clear (engine/runtime/i31.h).
      Reg r = pop_to_reg();
      masm_.alu_imm(AluOp::Shl, Width::W32, r, r, 1);
      masm_.alu_imm(AluOp::Or, Width::W32, r, r, 1);
      masm_.zero_extend_32(r);
      push_reg(pushed[0], r);
      return true;
    }
    case Opcode::I31GetS:
    case Opcode::I31GetU: {
      // The low 32 bits are value << 1 | 1: shifting them right by one unboxes the 31 bits.
      Reg r = pop_to_reg();
      masm_.branch_if_imm(Cond::Eq, Width::W64, r, 0, trap_label(TrapCode::NullI31Reference));
      AluOp shift = in.op == Opcode::I31GetS ? AluOp::ShrS : AluOp::ShrU;
      masm_.alu_imm(shift, Width::W32, r, r, 1);
      push_reg(ValType::I32, r);
      return true;
    }
    case Opcode::RefTest:
    case Opcode::RefTestNull:
      ref_test(in);
      return true;
    case Opcode::RefCast:
    case Opcode::RefCastNull:
      ref_cast(in, pushed[0]);
      return true;
    case Opcode::BrOnCast:
    case Opcode::BrOnCastFail:
      br_on_cast(in, pushed);
      return true;
    case Opcode::AnyConvertExtern:
      call_helper(helpers::any_convert_extern, 1, 0, true, pushed, true);
      return true;
    case Opcode::ExternConvertAny:
      call_helper(helpers::extern_convert_any, 1, 0, false, pushed, true);
      return true;
    case Opcode::StructNew:
      call_helper(helpers::struct_new, uint32_t(fields(in.index).size()), in.index, true, pushed,
                  true);
      return true;
    case Opcode::StructNewDefault:
      call_helper(helpers::struct_new_default, 0, in.index, true, pushed, true);
      return true;
    case Opcode::StructGet:
    case Opcode::StructGetS:
    case Opcode::StructGetU: {
      rt::FieldAccess a =
          rt::field_access(fields(in.index)[in.index2], in.op == Opcode::StructGetS);
      get(helpers::struct_get, 1, pack(offset(in.index, in.index2), uint32_t(a)));
      return true;
    }
    case Opcode::StructSet: {
      rt::FieldAccess a = rt::field_access(fields(in.index)[in.index2]);
      call_helper(helpers::struct_set, 2, pack(offset(in.index, in.index2), uint32_t(a)), true,
                  pushed, false);
      return true;
    }
    case Opcode::ArrayNew:
      call_helper(helpers::array_new, 2, in.index, true, pushed, true);
      return true;
    case Opcode::ArrayNewDefault:
      call_helper(helpers::array_new_default, 1, in.index, true, pushed, true);
      return true;
    case Opcode::ArrayNewFixed:
      call_helper(helpers::array_new_fixed, in.index2, pack(in.index, in.index2), true, pushed,
                  true);
      return true;
    case Opcode::ArrayNewData:
    case Opcode::ArrayNewElem: {
      Helper fn = in.op == Opcode::ArrayNewData ? helpers::array_new_data : helpers::array_new_elem;
      call_helper(fn, 2, pack(in.index, in.index2), true, pushed, true);
      return true;
    }
    case Opcode::ArrayGet:
    case Opcode::ArrayGetS:
    case Opcode::ArrayGetU:
      get(helpers::array_get, 2,
          uint32_t(rt::field_access(fields(in.index)[0], in.op == Opcode::ArrayGetS)));
      return true;
    case Opcode::ArraySet:
      call_helper(helpers::array_set, 3, uint32_t(rt::field_access(fields(in.index)[0])), true,
                  pushed, false);
      return true;
    case Opcode::ArrayLen:
      call_helper(helpers::array_len, 1, 0, true, pushed, true);
      return true;
    case Opcode::ArrayFill:
      call_helper(helpers::array_fill, 4, in.index, true, pushed, false);
      return true;
    case Opcode::ArrayCopy:
      call_helper(helpers::array_copy, 5, 0, true, pushed, false);
      return true;
    case Opcode::ArrayInitData:
      call_helper(helpers::array_init_data, 4, in.index2, true, pushed, false);
      return true;
    case Opcode::ArrayInitElem:
      call_helper(helpers::array_init_elem, 4, in.index2, true, pushed, false);
      return true;
    default:
      return false;
  }
}

void FuncCompiler::ref_test(const Instr& in) {
  std::optional<NullCast> by_null = null_cast(in.type);
  if (!by_null) {
    call_helper(helpers::ref_test, 1, cast_imm(in.type), false, kI32, true);
    return;
  }
  Operand ref = pop();
  if (*by_null == NullCast::Always || *by_null == NullCast::Never) {
    free_operand(ref);
    push({ValType::I32, Kind::Const, 0, *by_null == NullCast::Always ? 1u : 0u});
    return;
  }
  Cond c = *by_null == NullCast::IfNull ? Cond::Eq : Cond::Ne;
  push_compare(c, Width::W64, ref, Operand{ValType::I32, Kind::Const, 0, 0}, height());
}

// As ref.as_non_null: the checked reference stays where it is, with its new type.
void FuncCompiler::ref_cast(const Instr& in, ValType to) {
  Label fail = trap_label(TrapCode::CastFailure);
  std::optional<NullCast> by_null = null_cast(in.type);
  if (!by_null) {
    // The helper leaves the operand's slot as it is: the reference is still there.
    call_helper(helpers::ref_test, 1, cast_imm(in.type), false, kI32, true);
    Reg holds = pop_to_reg();
    masm_.branch_if_zero(holds, fail);
    free_reg(RegClass::Gp, holds);
    push_slot(to);
    return;
  }
  if (*by_null == NullCast::Always) {
    stack_.back().type = to;
    return;
  }
  if (*by_null == NullCast::Never) {
    masm_.jump(fail);
    stack_.back().type = to;
    return;
  }
  Operand ref = pop();
  Reg r = read_reg(ref, height());
  masm_.branch_if_imm(*by_null == NullCast::IfNull ? Cond::Ne : Cond::Eq, Width::W64, r, 0, fail);
  repush_reference(ref, r, to);
}

// The reference is the label's last value: it goes with the branch (to its slot, as br_if's
// label values do), or stays, with the type `pushed` gives it, when the branch is not taken.
void FuncCompiler::br_on_cast(const Instr& in, std::span<const ValType> pushed) {
  bool on_fail = in.op == Opcode::BrOnCastFail;
  std::optional<NullCast> by_null = null_cast(in.type2);
  Operand test;
  if (by_null == NullCast::IfNull || by_null == NullCast::IfNonNull) {
    bool local = false;
    Reg r = keep_label_reference(local);
    Cond holds = by_null == NullCast::IfNull ? Cond::Eq : Cond::Ne;
    test = null_test(r, on_fail ? negate(holds) : holds, local);
  } else {
    // The helper leaves the reference in its slot; its answer comes back in a register.
    ValType ref_type = stack_.back().type;
    call_helper(helpers::ref_test, 1, cast_imm(in.type2), false, kI32, true);
    Reg holds = pop_to_reg();
    push_slot(ref_type);
    test = null_test(holds, on_fail ? Cond::Eq : Cond::Ne, false);
  }
  br_if(in.index, test);
  stack_.back().type = pushed.back();
  begin_fuel_block();
}

}  // namespace tern::jit
