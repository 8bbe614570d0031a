// Lowering of calls and of variable access: call, call_indirect, drop, select, locals, globals.
#include "engine/interp/emit.h"
#include "engine/interp/lowering.h"
#include "engine/interp/machine.h"

namespace tern::interp {

bool Lowerer::variables_and_calls(const Instr& in, std::span<const ValType> pushed) {
  switch (in.op) {
    case Opcode::Call: {
      const FuncType& t = module_->func_type(in.index);
      uint32_t arg_base = home_at(stack_.size() - t.params.size());
      call(uint32_t(t.params.size()));
      emit_Call(*this, in.index, arg_base);
      safepoint();
      for (ValType r : t.results) push_stack(r);
      return true;
    }
    case Opcode::CallIndirect: {
      const FuncType& t = module_->types[in.index];
      Entry elem = pop();
      uint32_t e = operand(elem);
      uint32_t arg_base = home_at(stack_.size() - t.params.size());
      call(uint32_t(t.params.size()));
      emit_CallIndirect(*this, in.index, in.index2, e, arg_base);
      safepoint();
      for (ValType r : t.results) push_stack(r);
      return true;
    }
    case Opcode::ReturnCall:
    case Opcode::ReturnCallIndirect:
      return_call(in);
      return true;
    case Opcode::Drop:
      pop();
      return true;
    case Opcode::Select:
    case Opcode::SelectT: {
      Entry c = pop(), b = pop(), a = pop();
      uint32_t sc = operand(c), sb = operand(b), sa = operand(a);
      ValType t = pushed[0];
      uint32_t dst = push_stack(t);
      if (t == ValType::V128) {
        emit_Select128(*this, dst, sa, sb, sc);
      } else {
        emit_Select64(*this, dst, sa, sb, sc);
      }
      set_retargetable(dst);
      return true;
    }
    case Opcode::LocalGet:
      push_local(in.index);
      return true;
    case Opcode::LocalSet:
    case Opcode::LocalTee:
      local_set(in.index, in.op == Opcode::LocalTee);
      return true;
    case Opcode::GlobalGet: {
      ValType t = pushed[0];
      uint32_t dst = push_stack(t);
      if (t == ValType::V128) {
        emit_GlobalGet128(*this, dst, in.index);
      } else {
        emit_GlobalGet64(*this, dst, in.index);
      }
      set_retargetable(dst);
      return true;
    }
    case Opcode::GlobalSet: {
      Entry v = pop();
      uint32_t s = operand(v);
      if (v.type == ValType::V128) {
        emit_GlobalSet128(*this, s, in.index);
      } else {
        emit_GlobalSet64(*this, s, in.index);
      }
      return true;
    }
    default:
      return false;
  }
}

void Lowerer::call(uint32_t arg_count, std::vector<Entry>* popped) {
  for (size_t i = stack_.size() - arg_count; i < stack_.size(); ++i) {
    if (stack_[i].kind == Kind::Local) --local_refs_[stack_[i].local];
    materialize(stack_[i]);
    if (popped) popped->push_back(stack_[i]);
  }
  stack_.resize(stack_.size() - arg_count);
}

// The arguments go to their home slots like a call's; the handler moves them to slot 0 where
// the callee's frame will start. Validation made everything after it unreachable.
void Lowerer::return_call(const Instr& in) {
  bool indirect = in.op == Opcode::ReturnCallIndirect;
  const FuncType& t = indirect ? module_->types[in.index] : module_->func_type(in.index);
  uint32_t arg_bytes = 0, result_bytes = 0;
  for (ValType p : t.params) arg_bytes += slot_bytes(p);
  for (ValType r : t.results) result_bytes += slot_bytes(r);
  if (indirect) {
    Entry elem = pop();
    uint32_t e = operand(elem);
    uint32_t arg_base = home_at(stack_.size() - t.params.size());
    call(uint32_t(t.params.size()));
    emit_ReturnCallIndirect(*this, in.index, in.index2, e, arg_base, arg_bytes, result_bytes);
  } else {
    uint32_t arg_base = home_at(stack_.size() - t.params.size());
    call(uint32_t(t.params.size()));
    emit_ReturnCall(*this, in.index, arg_base, arg_bytes, result_bytes);
  }
}

void Lowerer::local_set(uint32_t index, bool tee) {
  Entry v = pop();
  uint32_t slot = local_slots_[index];
  bool same = v.kind == Kind::Local && v.local == index;
  if (!same) {
    materialize_refs_to(index);
    if (v.kind == Kind::Stack && last_dst_ && last_dst_home_ == v.home) {
      code()[*last_dst_] = slot;  // the producer writes the local directly
    } else {
      move(v, slot);
    }
  }
  forget_last();
  if (tee) push_local(index);
}

}  // namespace tern::interp
