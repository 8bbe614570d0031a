// Lowering of table and reference instructions.
#include "engine/interp/emit.h"
#include "engine/interp/lowering.h"

namespace tern::interp {

bool Lowerer::tables_and_refs(const Instr& in, std::span<const ValType> pushed) {
  switch (in.op) {
    case Opcode::TableGet: {
      Entry i = pop();
      uint32_t si = operand(i);
      uint32_t dst = push_stack(pushed[0]);
      emit_TableGet(*this, dst, in.index, si);
      set_retargetable(dst);
      return true;
    }
    case Opcode::TableSet: {
      Entry v = pop(), i = pop();
      uint32_t sv = operand(v), si = operand(i);
      emit_TableSet(*this, in.index, si, sv);
      return true;
    }
    case Opcode::TableSize: {
      uint32_t dst = push_stack(ValType::I32);
      emit_TableSize(*this, dst, in.index);
      return true;
    }
    case Opcode::TableGrow: {
      Entry n = pop(), init = pop();
      uint32_t sn = operand(n), sinit = operand(init);
      uint32_t dst = push_stack(ValType::I32);
      emit_TableGrow(*this, dst, in.index, sinit, sn);
      return true;
    }
    case Opcode::TableFill: {
      Entry n = pop(), v = pop(), i = pop();
      uint32_t sn = operand(n), sv = operand(v), si = operand(i);
      emit_TableFill(*this, in.index, si, sv, sn);
      return true;
    }
    case Opcode::TableCopy:
    case Opcode::TableInit: {
      Entry n = pop(), s = pop(), d = pop();
      uint32_t sn = operand(n), ss = operand(s), sd = operand(d);
      if (in.op == Opcode::TableCopy) {
        emit_TableCopy(*this, in.index, in.index2, sd, ss, sn);
      } else {
        emit_TableInit(*this, in.index, in.index2, sd, ss, sn);
      }
      return true;
    }
    case Opcode::ElemDrop:
      emit_ElemDrop(*this, in.index);
      return true;
    case Opcode::RefNull:
      push_const(in.type, 0);
      return true;
    case Opcode::RefIsNull: {
      Entry r = pop();
      uint32_t s = operand(r);
      uint32_t dst = push_stack(ValType::I32);
      emit_RefIsNull(*this, dst, s);
      set_retargetable(dst);
      return true;
    }
    case Opcode::RefFunc: {
      uint32_t dst = push_stack(ValType::FuncRef);
      emit_RefFunc(*this, dst, in.index);
      set_retargetable(dst);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace tern::interp
