// Lowering of SIMD instructions: one op per shape (simd.h), the lane arithmetic a function
// pointer operand.
#include "engine/interp/emit.h"
#include "engine/interp/lowering.h"
#include "engine/interp/simd.h"
#include "engine/interp/simd_memory.h"

namespace tern::interp {

namespace {

template <class Fn>
const void* ptr(Fn fn) {
  return reinterpret_cast<const void*>(fn);
}

}  // namespace

bool Lowerer::simd(const Instr& in, std::span<const ValType> pushed) {
  const OpcodeInfo& info = tern::info(in.op);
  bool accesses_memory = info.imm == ImmKind::MemArg || info.imm == ImmKind::MemArgLane;
  // The plain v128 accesses address memory 0 through the registers; others take the Any forms.
  if (accesses_memory && !on_fast_memory(in.mem)) return simd_access_any(in, pushed);
  switch (in.op) {
    case Opcode::V128Const: {
      uint32_t dst = push_stack(ValType::V128);
      emit_Const128(*this, dst, in.v128);
      return true;
    }
    case Opcode::V128Store: {
      Entry v = pop(), a = pop();
      uint32_t sv = operand(v), sa = operand(a);
      emit_V128Store(*this, sa, sv, uint32_t(in.mem.offset));
      return true;
    }
    case Opcode::I8x16Shuffle: {
      Entry b = pop(), a = pop();
      uint32_t sb = operand(b), sa = operand(a);
      uint32_t dst = push_stack(ValType::V128);
      emit_SimdShuffle(*this, dst, sa, sb, in.v128);
      set_retargetable(dst);
      return true;
    }
    default:
      break;
  }
  if (info.imm == ImmKind::MemArgLane) {
    Entry v = pop(), a = pop();
    uint32_t sv = operand(v), sa = operand(a);
    uint32_t offset = uint32_t(in.mem.offset);
    if (pushed.empty()) {
      emit_V128StoreLane(*this, sa, sv, offset, info.n, in.lane);
    } else {
      uint32_t dst = push_stack(ValType::V128);
      emit_V128LoadLane(*this, dst, sa, sv, offset, info.n, in.lane);
    }
    return true;
  }
  if (info.imm == ImmKind::MemArg) {
    SimdLoadFn fn = simd_load_fn(in.op);
    if (!fn) return false;
    Entry a = pop();
    uint32_t sa = operand(a);
    uint32_t dst = push_stack(ValType::V128);
    emit_V128Load(*this, dst, sa, uint32_t(in.mem.offset), info.n, ptr(fn));
    set_retargetable(dst);
    return true;
  }
  if (info.imm == ImmKind::Lane) {
    if (auto fn = simd::extract(in.op)) {
      Entry a = pop();
      uint32_t sa = operand(a);
      uint32_t dst = push_stack(pushed[0]);
      emit_SimdExtract(*this, dst, sa, in.lane, ptr(fn));
      set_retargetable(dst);
      return true;
    }
    if (auto fn = simd::replace(in.op)) {
      Entry x = pop(), v = pop();
      uint32_t sx = operand(x), sv = operand(v);
      uint32_t dst = push_stack(ValType::V128);
      emit_SimdReplace(*this, dst, sv, sx, in.lane, ptr(fn));
      set_retargetable(dst);
      return true;
    }
    return false;
  }
  // The one-operand and two-operand shapes.
  auto unary = [&](auto emitter, const void* fn) {
    Entry a = pop();
    uint32_t sa = operand(a);
    uint32_t dst = push_stack(pushed[0]);
    emitter(*this, dst, sa, fn);
    set_retargetable(dst);
    return true;
  };
  auto binary = [&](auto emitter, const void* fn) {
    Entry b = pop(), a = pop();
    uint32_t sb = operand(b), sa = operand(a);
    uint32_t dst = push_stack(pushed[0]);
    emitter(*this, dst, sa, sb, fn);
    set_retargetable(dst);
    return true;
  };
  if (auto fn = simd::unary(in.op)) return unary(emit_SimdUnary<Lowerer>, ptr(fn));
  if (auto fn = simd::test(in.op)) return unary(emit_SimdTest<Lowerer>, ptr(fn));
  if (auto fn = simd::splat(in.op)) return unary(emit_SimdSplat<Lowerer>, ptr(fn));
  if (auto fn = simd::binary(in.op)) return binary(emit_SimdBinary<Lowerer>, ptr(fn));
  if (auto fn = simd::shift(in.op)) return binary(emit_SimdShift<Lowerer>, ptr(fn));
  if (auto fn = simd::ternary(in.op)) {
    Entry c = pop(), b = pop(), a = pop();
    uint32_t sc = operand(c), sb = operand(b), sa = operand(a);
    uint32_t dst = push_stack(ValType::V128);
    emit_SimdTernary(*this, dst, sa, sb, sc, ptr(fn));
    set_retargetable(dst);
    return true;
  }
  return false;
}

bool Lowerer::simd_access_any(const Instr& in, std::span<const ValType> pushed) {
  const OpcodeInfo& info = tern::info(in.op);
  uint32_t memory = in.mem.memory;
  uint64_t offset = in.mem.offset;
  if (in.op == Opcode::V128Store) {
    Entry v = pop(), a = pop();
    uint32_t sv = operand(v), sa = operand(a);
    emit_V128StoreAny(*this, sa, sv, memory, offset);
    return true;
  }
  if (info.imm == ImmKind::MemArgLane) {
    Entry v = pop(), a = pop();
    uint32_t sv = operand(v), sa = operand(a);
    if (pushed.empty()) {
      emit_V128StoreLaneAny(*this, sa, sv, memory, offset, info.n, in.lane);
    } else {
      uint32_t dst = push_stack(ValType::V128);
      emit_V128LoadLaneAny(*this, dst, sa, sv, memory, offset, info.n, in.lane);
    }
    return true;
  }
  SimdLoadFn fn = simd_load_fn(in.op);
  if (!fn) return false;
  Entry a = pop();
  uint32_t sa = operand(a);
  uint32_t dst = push_stack(ValType::V128);
  emit_V128LoadAny(*this, dst, sa, memory, offset, info.n, ptr(fn));
  set_retargetable(dst);
  return true;
}

}  // namespace tern::interp
