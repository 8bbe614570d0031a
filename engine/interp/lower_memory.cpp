// Lowering of memory instructions: the scalar loads and stores (absorbing an i32.add that
// computes their address; on memory 0 when it is 32-bit, the fast path that keeps its base and
// size in registers) and the bulk memory operations. v128 accesses are in lower_simd.cpp.
#include "engine/interp/emit.h"
#include "engine/interp/lowering.h"

namespace tern::interp {

bool Lowerer::memory(const Instr& in, std::span<const ValType> pushed) {
  switch (in.op) {
    case Opcode::MemorySize: {
      uint32_t dst = push_stack(pushed[0]);
      emit_MemorySize(*this, dst, in.index);
      return true;
    }
    case Opcode::MemoryGrow: {
      Entry delta = pop();
      uint32_t s = operand(delta);
      uint32_t dst = push_stack(pushed[0]);
      emit_MemoryGrow(*this, dst, in.index, s);
      return true;
    }
    case Opcode::MemoryInit:
    case Opcode::MemoryCopy:
    case Opcode::MemoryFill: {
      Entry n = pop(), s = pop(), d = pop();
      uint32_t sn = operand(n), ss = operand(s), sd = operand(d);
      if (in.op == Opcode::MemoryInit) {
        emit_MemoryInit(*this, in.index, in.index2, sd, ss, sn);
      } else if (in.op == Opcode::MemoryCopy) {
        emit_MemoryCopy(*this, in.index, in.index2, sd, ss, sn);
      } else {
        emit_MemoryFill(*this, in.index, sd, ss, sn);
      }
      return true;
    }
    case Opcode::DataDrop:
      emit_DataDrop(*this, in.index);
      return true;
    default:
      break;
  }
  Op op = numeric_op(in.op);
  if (op == Op::Count_ || tern::info(in.op).imm != ImmKind::MemArg) return false;
  load_or_store(in, op, pushed);
  return true;
}

bool Lowerer::on_fast_memory(const MemArg& mem) const {
  return mem.memory == 0 && module_->memories[0].addr == AddrType::I32;
}

void Lowerer::load_or_store(const Instr& in, Op op, std::span<const ValType> pushed) {
  if (!on_fast_memory(in.mem)) {
    // Any other memory: one op per direction, the access kind an operand.
    if (pushed.empty()) {
      Entry v = pop(), a = pop();
      uint32_t sv = operand(v), sa = operand(a);
      emit_StoreAny(*this, sa, sv, in.mem.memory, uint32_t(op), in.mem.offset);
    } else {
      Entry a = pop();
      uint32_t sa = operand(a);
      uint32_t dst = push_stack(pushed[0]);
      emit_LoadAny(*this, dst, sa, in.mem.memory, uint32_t(op), in.mem.offset);
      set_retargetable(dst);
    }
    return;
  }
  uint32_t offset = uint32_t(in.mem.offset);
  // The fused forms follow the plain one: `_add_ss`, then `_add_si`.
  auto fused = [&](const Compare& add) { return Op(size_t(op) + (add.b_imm ? 2 : 1)); };
  if (pushed.empty()) {  // a store
    Entry v = pop(), a = pop();
    // A constant value goes to its home, which may be a slot the add read (its first operand
    // when the constant addend came first, else its second): then the add stays separate.
    bool clobbers = v.kind == Kind::Const && last_add_ &&
                    (last_add_->a == v.home || (!last_add_->b_imm && last_add_->b == v.home));
    if (a.kind == Kind::Stack && last_add_ && last_add_->home == a.home && !clobbers) {
      // The address is the i32.add just emitted: the store computes it itself.
      Compare add = *last_add_;
      code().resize(add.start);
      uint32_t sv = operand(v);
      if (add.b_imm) {
        emit_StoreAddImm(*this, fused(add), add.a, uint32_t(add.b), sv, offset);
      } else {
        emit_StoreAdd(*this, fused(add), add.a, uint32_t(add.b), sv, offset);
      }
      return;
    }
    uint32_t sv = operand(v), sa = operand(a);
    emit_Store(*this, op, sa, sv, offset);
    return;
  }
  Entry a = pop();
  if (a.kind == Kind::Stack && last_add_ && last_add_->home == a.home) {
    // The address is the i32.add just emitted: the load computes it itself.
    Compare add = *last_add_;
    code().resize(add.start);
    uint32_t dst = push_stack(pushed[0]);
    if (add.b_imm) {
      emit_LoadAddImm(*this, fused(add), dst, add.a, uint32_t(add.b), offset);
    } else {
      emit_LoadAdd(*this, fused(add), dst, add.a, uint32_t(add.b), offset);
    }
    set_retargetable(dst);
    return;
  }
  uint32_t sa = operand(a);
  uint32_t dst = push_stack(pushed[0]);
  emit_Load(*this, op, dst, sa, offset);
  set_retargetable(dst);
}

}  // namespace tern::interp
