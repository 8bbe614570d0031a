#include "jit/common/helpers.h"

#include <bit>

#include "engine/numerics.h"
#include "engine/runtime/api_access.h"
#include "engine/runtime/bulk_ops.h"
#include "engine/runtime/gc_ops.h"
#include "engine/runtime/slots.h"
#include "engine/runtime/trap.h"

namespace tern::jit {

namespace {

template <class T>
T from_bits(uint64_t v) {
  if constexpr (sizeof(T) == 4)
    return std::bit_cast<T>(uint32_t(v));
  else
    return std::bit_cast<T>(v);
}
template <class T>
uint64_t to_bits(T v) {
  if constexpr (sizeof(T) == 4)
    return std::bit_cast<uint32_t>(v);
  else
    return std::bit_cast<uint64_t>(v);
}

uint64_t trap(JitContext* ctx, TrapCode code) {
  set_trap(ctx, rt::make_trap(code));
  return 0;
}

// The numeric operations compiled code leaves out of line when the CPU lacks an instruction
// for them (SSE4.1 rounding, POPCNT), sharing the interpreter's definitions.
template <class T, T (*op)(T)>
uint64_t unary(JitContext*, rt::Instance*, uint64_t* v, uint64_t) {
  return to_bits<T>(op(from_bits<T>(v[0])));
}

// The trap of a bulk operation (engine/runtime/bulk_ops.h), left pending; 0 when it completed.
uint64_t bulk_result(JitContext* ctx, std::optional<TrapCode> outcome) {
  return outcome ? trap(ctx, *outcome) : 0;
}

uint32_t lo(uint64_t imm) {
  return uint32_t(imm);
}
uint32_t hi(uint64_t imm) {
  return uint32_t(imm >> 32);
}
uint32_t u32(uint64_t v) {
  return uint32_t(v);
}

// An address, length or index operand of a memory or table of address type `a` (memory64): an
// i64 in full, an i32 from its slot's low half.
uint64_t addr_of(uint64_t v, AddrType a) {
  return a == AddrType::I64 ? v : u32(v);
}
// memory.copy's and table.copy's length: an i64 only when both sides are 64-bit.
AddrType copy_length_type(AddrType to, AddrType from) {
  return to == AddrType::I64 && from == AddrType::I64 ? AddrType::I64 : AddrType::I32;
}
// memory.grow's and table.grow's result: the old size, or -1, as an i32 or an i64.
uint64_t grow_result(int64_t old, AddrType a) {
  return a == AddrType::I64 ? uint64_t(old) : u32(uint64_t(old));
}

}  // namespace

std::optional<NumericHelper> numeric_helper(Opcode op) {
  switch (op) {
    case Opcode::F32Ceil:
      return NumericHelper{unary<float, num::ceil<float>>, 1, false};
    case Opcode::F32Floor:
      return NumericHelper{unary<float, num::floor<float>>, 1, false};
    case Opcode::F32Trunc:
      return NumericHelper{unary<float, num::trunc<float>>, 1, false};
    case Opcode::F32Nearest:
      return NumericHelper{unary<float, num::nearest<float>>, 1, false};
    case Opcode::F64Ceil:
      return NumericHelper{unary<double, num::ceil<double>>, 1, false};
    case Opcode::F64Floor:
      return NumericHelper{unary<double, num::floor<double>>, 1, false};
    case Opcode::F64Trunc:
      return NumericHelper{unary<double, num::trunc<double>>, 1, false};
    case Opcode::F64Nearest:
      return NumericHelper{unary<double, num::nearest<double>>, 1, false};
    case Opcode::I32Popcnt:
      return NumericHelper{unary<uint32_t, num::popcnt<uint32_t>>, 1, false};
    case Opcode::I64Popcnt:
      return NumericHelper{unary<uint64_t, num::popcnt<uint64_t>>, 1, false};
    default:
      return std::nullopt;
  }
}

namespace helpers {

uint64_t call_import(JitContext* ctx, rt::Instance* inst, uint64_t* values, uint64_t imm) {
  return call_function(ctx, inst->funcs[imm], values, inst);
}

uint64_t call_indirect(JitContext* ctx, rt::Instance* inst, uint64_t* values, uint64_t imm) {
  // The module's type index: canonical ids are per engine, and cached code runs in another.
  uint32_t type_id = inst->module->type_ids[lo(imm)];
  const rt::TableInstance& table = *inst->tables[hi(imm)];
  // The index follows the arguments, in the slot layout (a v128 takes two slots).
  size_t arg_bytes = 0;
  for (ValType t : detail::Access::types(*ctx->store->engine).type(type_id).params) {
    arg_bytes += rt::slot_bytes(t);
  }
  uint64_t index = addr_of(values[arg_bytes / rt::kSlotBytes], table.type.addr);
  if (index >= table.elems.size()) return trap(ctx, TrapCode::UndefinedElement), 1;
  auto* f = static_cast<rt::FuncInstance*>(table.elems[index]);
  if (!f) return trap(ctx, TrapCode::UninitializedElement), 1;
  if (f->type_id != type_id && !rt::func_subtype(*ctx->store, f->type_id, type_id)) {
    return trap(ctx, TrapCode::IndirectCallTypeMismatch), 1;
  }
  return call_function(ctx, f, values, inst);
}

uint64_t call_ref(JitContext* ctx, rt::Instance* inst, uint64_t* values, uint64_t imm) {
  auto* f = reinterpret_cast<rt::FuncInstance*>(uintptr_t(values[imm]));
  if (!f) return trap(ctx, TrapCode::NullFunctionReference), 1;
  return call_function(ctx, f, values, inst);
}

uint64_t consume_fuel(JitContext* ctx, rt::Instance*, uint64_t*, uint64_t imm) {
  std::optional<uint64_t>& fuel = ctx->store->fuel;
  if (!fuel) return 0;
  uint64_t cost = *reinterpret_cast<const uint64_t*>(uintptr_t(imm));
  if (*fuel < cost) {
    *fuel = 0;
    return trap(ctx, TrapCode::OutOfFuel);
  }
  *fuel -= cost;
  return 0;
}

uint64_t memory_size(JitContext*, rt::Instance* inst, uint64_t*, uint64_t imm) {
  return inst->memories[lo(imm)]->pages();
}

uint64_t memory_grow(JitContext*, rt::Instance* inst, uint64_t* v, uint64_t imm) {
  rt::MemoryInstance& mem = *inst->memories[lo(imm)];
  return grow_result(mem.grow(addr_of(v[0], mem.type.addr)), mem.type.addr);
}

uint64_t memory_init(JitContext* ctx, rt::Instance* inst, uint64_t* v, uint64_t imm) {
  const rt::MemoryInstance& mem = *inst->memories[hi(imm)];
  return bulk_result(ctx,
                     rt::memory_init(*ctx->store, rt::bytes_of(mem), addr_of(v[0], mem.type.addr),
                                     inst->data_segments[lo(imm)], u32(v[1]), u32(v[2])));
}

uint64_t memory_copy(JitContext* ctx, rt::Instance* inst, uint64_t* v, uint64_t imm) {
  const rt::MemoryInstance& to = *inst->memories[lo(imm)];
  const rt::MemoryInstance& from = *inst->memories[hi(imm)];
  AddrType len = copy_length_type(to.type.addr, from.type.addr);
  return bulk_result(
      ctx, rt::memory_copy(*ctx->store, rt::bytes_of(to), addr_of(v[0], to.type.addr),
                           rt::bytes_of(from), addr_of(v[1], from.type.addr), addr_of(v[2], len)));
}

uint64_t memory_fill(JitContext* ctx, rt::Instance* inst, uint64_t* v, uint64_t imm) {
  const rt::MemoryInstance& mem = *inst->memories[lo(imm)];
  return bulk_result(ctx,
                     rt::memory_fill(*ctx->store, rt::bytes_of(mem), addr_of(v[0], mem.type.addr),
                                     uint8_t(v[1]), addr_of(v[2], mem.type.addr)));
}

uint64_t data_drop(JitContext*, rt::Instance* inst, uint64_t*, uint64_t imm) {
  inst->data_segments[lo(imm)] = {};
  return 0;
}

uint64_t table_get(JitContext* ctx, rt::Instance* inst, uint64_t* v, uint64_t imm) {
  const rt::TableInstance& t = *inst->tables[lo(imm)];
  uint64_t i = addr_of(v[0], t.type.addr);
  if (i >= t.elems.size()) return trap(ctx, TrapCode::TableOutOfBounds);
  return uint64_t(uintptr_t(t.elems[i]));
}

uint64_t table_set(JitContext* ctx, rt::Instance* inst, uint64_t* v, uint64_t imm) {
  rt::TableInstance& t = *inst->tables[lo(imm)];
  uint64_t i = addr_of(v[0], t.type.addr);
  if (i >= t.elems.size()) return trap(ctx, TrapCode::TableOutOfBounds);
  t.elems[i] = reinterpret_cast<Ref>(uintptr_t(v[1]));
  return 0;
}

uint64_t table_size(JitContext*, rt::Instance* inst, uint64_t*, uint64_t imm) {
  return inst->tables[lo(imm)]->elems.size();
}

uint64_t table_grow(JitContext*, rt::Instance* inst, uint64_t* v, uint64_t imm) {
  rt::TableInstance& t = *inst->tables[lo(imm)];
  Ref init = reinterpret_cast<Ref>(uintptr_t(v[0]));
  return grow_result(t.grow(addr_of(v[1], t.type.addr), init), t.type.addr);
}

uint64_t table_fill(JitContext* ctx, rt::Instance* inst, uint64_t* v, uint64_t imm) {
  rt::TableInstance& t = *inst->tables[lo(imm)];
  return bulk_result(
      ctx, rt::table_fill(*ctx->store, t, addr_of(v[0], t.type.addr),
                          reinterpret_cast<Ref>(uintptr_t(v[1])), addr_of(v[2], t.type.addr)));
}

uint64_t table_copy(JitContext* ctx, rt::Instance* inst, uint64_t* v, uint64_t imm) {
  rt::TableInstance& to = *inst->tables[lo(imm)];
  const rt::TableInstance& from = *inst->tables[hi(imm)];
  AddrType len = copy_length_type(to.type.addr, from.type.addr);
  return bulk_result(ctx, rt::table_copy(*ctx->store, to, addr_of(v[0], to.type.addr), from,
                                         addr_of(v[1], from.type.addr), addr_of(v[2], len)));
}

uint64_t table_init(JitContext* ctx, rt::Instance* inst, uint64_t* v, uint64_t imm) {
  rt::TableInstance& t = *inst->tables[hi(imm)];
  return bulk_result(ctx, rt::table_init(*ctx->store, t, addr_of(v[0], t.type.addr),
                                         inst->elem_segments[lo(imm)], u32(v[1]), u32(v[2])));
}

uint64_t elem_drop(JitContext*, rt::Instance* inst, uint64_t*, uint64_t imm) {
  inst->elem_segments[lo(imm)].clear();
  return 0;
}

uint64_t ref_func(JitContext*, rt::Instance* inst, uint64_t*, uint64_t imm) {
  return uint64_t(uintptr_t(inst->funcs[imm]));
}

}  // namespace helpers

}  // namespace tern::jit
