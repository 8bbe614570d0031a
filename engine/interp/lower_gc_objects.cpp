// Lowering of the struct and array instructions. A field's offset and access width are known
// from the module's type here (engine/runtime/gc_type.h lays out every struct the same way from
// its fields), so a struct.get is one op with both as immediates; array ops take the width of
// their element. Allocations take their operands in consecutive slots, as a call does.
#include "engine/interp/emit.h"
#include "engine/interp/lowering.h"
#include "engine/runtime/gc_type.h"

namespace tern::interp {

namespace {

// The op reading a field of access `a` (gc_field_ops.def), of a struct or of an array.
Op load_op(rt::FieldAccess a, bool array) {
  switch (a) {
#define GC_LOAD(id, M, R)   \
  case rt::FieldAccess::id: \
    return array ? Op::ArrayGet##id : Op::StructGet##id;
#define GC_STORE(id, M)
#include "engine/interp/gc_field_ops.def"
  }
  return Op::Count_;
}

// The op writing a field of `bytes` bytes.
Op store_op(uint32_t bytes, bool array) {
  switch (bytes) {
#define GC_LOAD(id, M, R)
#define GC_STORE(id, M) \
  case sizeof(M):       \
    return array ? Op::ArraySet##id : Op::StructSet##id;
#include "engine/interp/gc_field_ops.def"
  }
  return Op::Count_;
}

}  // namespace

bool Lowerer::gc_objects(const Instr& in, std::span<const ValType> pushed) {
  auto fields = [&](uint32_t type) -> const std::vector<FieldType>& {
    return module_->type_defs[type].fields;
  };
  auto load = [&](uint32_t type, uint32_t field, bool signed_read, bool array) {
    return load_op(rt::field_access(fields(type)[field], signed_read), array);
  };
  auto store = [&](uint32_t type, uint32_t field, bool array) {
    return store_op(rt::field_bytes(fields(type)[field]), array);
  };
  switch (in.op) {
    case Opcode::StructNew:
    case Opcode::ArrayNewFixed: {
      size_t n = in.op == Opcode::StructNew ? fields(in.index).size() : in.index2;
      uint32_t arg_base = home_at(stack_.size() - n);
      std::vector<Entry> operands;  // in their homes now, and read after the allocation
      call(uint32_t(n), &operands);
      uint32_t dst = push_stack(pushed[0]);
      if (in.op == Opcode::StructNew) {
        emit_StructNew(*this, dst, in.index, arg_base);
      } else {
        emit_ArrayNewFixed(*this, dst, in.index, arg_base, in.index2);
      }
      allocation_safepoint(operands);
      set_retargetable(dst);
      return true;
    }
    case Opcode::StructNewDefault: {
      uint32_t dst = push_stack(pushed[0]);
      emit_StructNewDefault(*this, dst, in.index);
      allocation_safepoint();
      set_retargetable(dst);
      return true;
    }
    case Opcode::StructGet:
    case Opcode::StructGetS:
    case Opcode::StructGetU: {
      uint32_t offset = rt::struct_offsets(fields(in.index))[in.index2];
      Entry ref = pop();
      uint32_t r = operand(ref);
      uint32_t dst = push_stack(pushed[0]);
      emit_StructField(*this, load(in.index, in.index2, in.op == Opcode::StructGetS, false), dst, r,
                       offset);
      set_retargetable(dst);
      return true;
    }
    case Opcode::StructSet: {
      uint32_t offset = rt::struct_offsets(fields(in.index))[in.index2];
      Entry v = pop(), ref = pop();
      uint32_t sv = operand(v), r = operand(ref);
      emit_StructFieldSet(*this, store(in.index, in.index2, false), r, sv, offset);
      return true;
    }
    case Opcode::ArrayNew: {
      Entry len = pop(), init = pop();
      uint32_t sl = operand(len), si = operand(init);
      uint32_t dst = push_stack(pushed[0]);
      emit_ArrayNew(*this, dst, in.index, si, sl);
      allocation_safepoint({&init, 1});
      set_retargetable(dst);
      return true;
    }
    case Opcode::ArrayNewDefault: {
      Entry len = pop();
      uint32_t sl = operand(len);
      uint32_t dst = push_stack(pushed[0]);
      emit_ArrayNewDefault(*this, dst, in.index, sl);
      allocation_safepoint();
      set_retargetable(dst);
      return true;
    }
    case Opcode::ArrayNewData:
    case Opcode::ArrayNewElem: {
      Entry len = pop(), offset = pop();
      uint32_t sl = operand(len), so = operand(offset);
      uint32_t dst = push_stack(pushed[0]);
      if (in.op == Opcode::ArrayNewData) {
        emit_ArrayNewData(*this, dst, in.index, in.index2, so, sl);
      } else {
        emit_ArrayNewElem(*this, dst, in.index, in.index2, so, sl);
      }
      allocation_safepoint();
      set_retargetable(dst);
      return true;
    }
    case Opcode::ArrayGet:
    case Opcode::ArrayGetS:
    case Opcode::ArrayGetU: {
      Entry i = pop(), ref = pop();
      uint32_t si = operand(i), r = operand(ref);
      uint32_t dst = push_stack(pushed[0]);
      emit_ArrayElem(*this, load(in.index, 0, in.op == Opcode::ArrayGetS, true), dst, r, si);
      set_retargetable(dst);
      return true;
    }
    case Opcode::ArraySet: {
      Entry v = pop(), i = pop(), ref = pop();
      uint32_t sv = operand(v), si = operand(i), r = operand(ref);
      emit_ArrayElemSet(*this, store(in.index, 0, true), r, si, sv);
      return true;
    }
    case Opcode::ArrayLen: {
      Entry ref = pop();
      uint32_t r = operand(ref);
      uint32_t dst = push_stack(ValType::I32);
      emit_ArrayLen(*this, dst, r);
      set_retargetable(dst);
      return true;
    }
    case Opcode::ArrayFill: {
      Entry n = pop(), v = pop(), d = pop(), ref = pop();
      uint32_t sn = operand(n), sv = operand(v), sd = operand(d), r = operand(ref);
      emit_ArrayFill(*this, r, sd, sv, sn);
      return true;
    }
    case Opcode::ArrayCopy: {
      Entry n = pop(), s = pop(), src = pop(), d = pop(), dst = pop();
      uint32_t sn = operand(n), ss = operand(s), ssrc = operand(src), sd = operand(d),
               sdst = operand(dst);
      emit_ArrayCopy(*this, sdst, sd, ssrc, ss, sn);
      return true;
    }
    case Opcode::ArrayInitData:
    case Opcode::ArrayInitElem: {
      Entry n = pop(), s = pop(), d = pop(), ref = pop();
      uint32_t sn = operand(n), ss = operand(s), sd = operand(d), r = operand(ref);
      if (in.op == Opcode::ArrayInitData) {
        emit_ArrayInitData(*this, in.index2, r, sd, ss, sn);
      } else {
        emit_ArrayInitElem(*this, in.index2, r, sd, ss, sn);
      }
      return true;
    }
    default:
      return false;
  }
}

}  // namespace tern::interp
