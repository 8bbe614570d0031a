#include "jit/common/gc_helpers.h"

#include <cstring>

#include "engine/runtime/gc_heap.h"
#include "engine/runtime/gc_ops.h"
#include "engine/runtime/trap.h"

namespace tern::jit::helpers {

namespace {

uint32_t lo(uint64_t imm) {
  return uint32_t(imm);
}
uint32_t hi(uint64_t imm) {
  return uint32_t(imm >> 32);
}

uint64_t trap(JitContext* ctx, TrapCode code) {
  set_trap(ctx, rt::make_trap(code));
  return 0;
}

const rt::GcType& gc_type(const rt::Instance* inst, uint64_t imm) {
  return *inst->module->gc_types[lo(imm)];
}

const uint8_t* bytes(const uint64_t* values) {
  return reinterpret_cast<const uint8_t*>(values);
}

// The operand slots a value of an array's element type takes (a v128 two).
uint32_t elem_slots(const rt::GcType& type) {
  return type.fields[0].type == ValType::V128 ? 2 : 1;
}

rt::GcObject* object(uint64_t ref) {
  return reinterpret_cast<rt::GcObject*>(uintptr_t(ref));
}

// A new object, or the heap-limit trap when there was no room.
uint64_t allocated(JitContext* ctx, const rt::GcObject* o) {
  return o ? uint64_t(uintptr_t(o)) : trap(ctx, TrapCode::GcHeapExhausted);
}
uint64_t allocated(JitContext* ctx, std::optional<TrapCode> t, const rt::GcObject* o) {
  return t ? trap(ctx, *t) : uint64_t(uintptr_t(o));
}

uint64_t bulk(JitContext* ctx, std::optional<TrapCode> t) {
  return t ? trap(ctx, *t) : 0;
}

template <class M>
M read(const uint8_t* p) {
  M v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// A field's value as its slot holds it (packed values extended to an i32); a v128's two
// halves go to `values` as well.
uint64_t load_field(const uint8_t* p, rt::FieldAccess a, uint64_t* values) {
  switch (a) {
    case rt::FieldAccess::I8S:
      return uint32_t(int32_t(read<int8_t>(p)));
    case rt::FieldAccess::I8U:
      return read<uint8_t>(p);
    case rt::FieldAccess::I16S:
      return uint32_t(int32_t(read<int16_t>(p)));
    case rt::FieldAccess::I16U:
      return read<uint16_t>(p);
    case rt::FieldAccess::B32:
      return read<uint32_t>(p);
    case rt::FieldAccess::B64:
      return read<uint64_t>(p);
    case rt::FieldAccess::B128:
      std::memcpy(values, p, 16);
      return values[0];
  }
  return 0;
}

// The element `index` of the array `ref` of `bytes`-byte elements, or null with the trap left
// pending.
uint8_t* element(JitContext* ctx, uint64_t ref, uint64_t index, uint32_t bytes) {
  rt::GcObject* a = object(ref);
  if (!a) return trap(ctx, TrapCode::NullArrayReference), nullptr;
  if (uint32_t(index) >= a->length) return trap(ctx, TrapCode::ArrayOutOfBounds), nullptr;
  return a->fields() + uint64_t(uint32_t(index)) * bytes;
}

}  // namespace

uint64_t struct_new(JitContext* ctx, rt::Instance* inst, uint64_t* values, uint64_t imm) {
  return allocated(ctx, rt::new_struct(*ctx->store, gc_type(inst, imm), bytes(values)));
}

uint64_t struct_new_default(JitContext* ctx, rt::Instance* inst, uint64_t*, uint64_t imm) {
  return allocated(ctx, rt::new_struct(*ctx->store, gc_type(inst, imm), nullptr));
}

uint64_t array_new(JitContext* ctx, rt::Instance* inst, uint64_t* values, uint64_t imm) {
  const rt::GcType& type = gc_type(inst, imm);
  rt::GcObject* o = nullptr;
  auto t = rt::new_array(*ctx->store, type, uint32_t(values[elem_slots(type)]), bytes(values), &o);
  return allocated(ctx, t, o);
}

uint64_t array_new_default(JitContext* ctx, rt::Instance* inst, uint64_t* values, uint64_t imm) {
  rt::GcObject* o = nullptr;
  auto t = rt::new_array(*ctx->store, gc_type(inst, imm), uint32_t(values[0]), nullptr, &o);
  return allocated(ctx, t, o);
}

uint64_t array_new_fixed(JitContext* ctx, rt::Instance* inst, uint64_t* values, uint64_t imm) {
  return allocated(ctx,
                   rt::new_array_fixed(*ctx->store, gc_type(inst, imm), hi(imm), bytes(values)));
}

uint64_t array_new_data(JitContext* ctx, rt::Instance* inst, uint64_t* values, uint64_t imm) {
  rt::GcObject* o = nullptr;
  auto t = rt::new_array_data(*ctx->store, gc_type(inst, imm), inst->data_segments[hi(imm)],
                              uint32_t(values[0]), uint32_t(values[1]), &o);
  return allocated(ctx, t, o);
}

uint64_t array_new_elem(JitContext* ctx, rt::Instance* inst, uint64_t* values, uint64_t imm) {
  rt::GcObject* o = nullptr;
  auto t = rt::new_array_elem(*ctx->store, gc_type(inst, imm), inst->elem_segments[hi(imm)],
                              uint32_t(values[0]), uint32_t(values[1]), &o);
  return allocated(ctx, t, o);
}

uint64_t struct_get(JitContext* ctx, rt::Instance*, uint64_t* values, uint64_t imm) {
  rt::GcObject* o = object(values[0]);
  if (!o) return trap(ctx, TrapCode::NullStructReference);
  return load_field(o->fields() + lo(imm), rt::FieldAccess(hi(imm)), values);
}

uint64_t struct_set(JitContext* ctx, rt::Instance*, uint64_t* values, uint64_t imm) {
  rt::GcObject* o = object(values[0]);
  if (!o) return trap(ctx, TrapCode::NullStructReference);
  rt::store_field(o->fields() + lo(imm), bytes(&values[1]), rt::FieldAccess(hi(imm)));
  return 0;
}

uint64_t array_get(JitContext* ctx, rt::Instance*, uint64_t* values, uint64_t imm) {
  auto a = rt::FieldAccess(lo(imm));
  uint8_t* e = element(ctx, values[0], values[1], rt::access_bytes(a));
  return e ? load_field(e, a, values) : 0;
}

uint64_t array_set(JitContext* ctx, rt::Instance*, uint64_t* values, uint64_t imm) {
  auto a = rt::FieldAccess(lo(imm));
  uint8_t* e = element(ctx, values[0], values[1], rt::access_bytes(a));
  if (e) rt::store_field(e, bytes(&values[2]), a);
  return 0;
}

uint64_t array_len(JitContext* ctx, rt::Instance*, uint64_t* values, uint64_t) {
  rt::GcObject* a = object(values[0]);
  return a ? a->length : trap(ctx, TrapCode::NullArrayReference);
}

uint64_t array_fill(JitContext* ctx, rt::Instance* inst, uint64_t* values, uint64_t imm) {
  uint32_t n = uint32_t(values[2 + elem_slots(gc_type(inst, imm))]);
  return bulk(ctx, rt::array_fill(*ctx->store, object(values[0]), uint32_t(values[1]),
                                  bytes(&values[2]), n));
}

uint64_t array_copy(JitContext* ctx, rt::Instance*, uint64_t* values, uint64_t) {
  return bulk(ctx, rt::array_copy(*ctx->store, object(values[0]), uint32_t(values[1]),
                                  object(values[2]), uint32_t(values[3]), uint32_t(values[4])));
}

uint64_t array_init_data(JitContext* ctx, rt::Instance* inst, uint64_t* values, uint64_t imm) {
  return bulk(ctx, rt::array_init_data(*ctx->store, object(values[0]), uint32_t(values[1]),
                                       inst->data_segments[lo(imm)], uint32_t(values[2]),
                                       uint32_t(values[3])));
}

uint64_t array_init_elem(JitContext* ctx, rt::Instance* inst, uint64_t* values, uint64_t imm) {
  return bulk(ctx, rt::array_init_elem(*ctx->store, object(values[0]), uint32_t(values[1]),
                                       inst->elem_segments[lo(imm)], uint32_t(values[2]),
                                       uint32_t(values[3])));
}

uint64_t ref_test(JitContext* ctx, rt::Instance* inst, uint64_t* values, uint64_t imm) {
  uint32_t target = lo(imm);
  const rt::GcType* concrete =
      (target & 0xffu) == rt::kConcreteTarget ? inst->module->gc_types[hi(imm)] : nullptr;
  return rt::ref_test(*ctx->store, values[0], target, concrete);
}

uint64_t any_convert_extern(JitContext* ctx, rt::Instance*, uint64_t* values, uint64_t) {
  uint64_t any = rt::any_convert_extern(*ctx->store, values[0]);
  return values[0] && !any ? trap(ctx, TrapCode::GcHeapExhausted) : any;
}

uint64_t extern_convert_any(JitContext*, rt::Instance*, uint64_t* values, uint64_t) {
  return rt::extern_convert_any(values[0]);
}

}  // namespace tern::jit::helpers
