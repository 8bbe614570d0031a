#include "engine/runtime/gc_ops.h"

#include "engine/runtime/api_access.h"
#include "engine/runtime/bulk_ops.h"
#include "engine/runtime/gc_collector.h"
#include "engine/runtime/i31.h"

namespace tern::rt {

namespace {

GcObject* alloc_struct(Store& store, const GcType& type) {
  GcObject* o = gc_allocate(store, GcHeap::struct_bytes(type));
  if (o) o->type = &type;
  return o;
}

GcObject* alloc_array(Store& store, const GcType& type, uint32_t length) {
  GcObject* o = gc_allocate(store, GcHeap::array_bytes(type, length));
  if (!o) return nullptr;
  o->type = &type;
  o->length = length;
  return o;
}

uint8_t* element(GcObject* a, uint64_t i) {
  return a->fields() + i * a->type->elem_bytes();
}

// The object a reference of the any hierarchy points at (none for null and i31s).
const GcObject* object_of(uint64_t ref) {
  if (ref == 0 || is_i31(ref)) return nullptr;
  return reinterpret_cast<const GcObject*>(uintptr_t(ref));
}

// A move of `n` bytes into an array, charged as memory.copy's (engine/runtime/bulk_ops.h).
std::optional<TrapCode> move_bytes(Store& store, uint8_t* dst, const uint8_t* src, uint64_t n) {
  if (n < kBytesPerFuel) {
    if (n) std::memmove(dst, src, n);
    return std::nullopt;
  }
  return memory_move_chunked(store, dst, src, n);
}

}  // namespace

GcObject* new_struct(Store& store, const GcType& type, const uint8_t* slots) {
  GcObject* o = alloc_struct(store, type);
  if (!o || !slots) return o;
  for (size_t i = 0; i < type.fields.size(); ++i) {
    store_field(o->fields() + type.offsets[i], slots, field_access(type.fields[i]));
    slots += type.fields[i].type == ValType::V128 ? 16 : 8;
  }
  return o;
}

GcObject* new_array_fixed(Store& store, const GcType& type, uint32_t count, const uint8_t* slots) {
  GcObject* o = alloc_array(store, type, count);
  if (!o) return o;
  FieldAccess a = field_access(type.fields[0]);
  uint32_t step = a == FieldAccess::B128 ? 16 : 8;
  for (uint32_t i = 0; i < count; ++i) store_field(element(o, i), slots + i * step, a);
  return o;
}

std::optional<TrapCode> new_array(Store& store, const GcType& type, uint32_t length,
                                  const uint8_t* init, GcObject** out) {
  GcObject* o = alloc_array(store, type, length);
  if (!o) return TrapCode::GcHeapExhausted;
  *out = o;
  return init ? array_fill(store, o, 0, init, length) : std::nullopt;
}

std::optional<TrapCode> new_array_data(Store& store, const GcType& type,
                                       const std::span<const uint8_t>& data, uint32_t offset,
                                       uint32_t length, GcObject** out) {
  uint64_t bytes = uint64_t(length) * type.elem_bytes();
  if (!range_in_bounds(data.size(), offset, bytes)) return TrapCode::MemoryOutOfBounds;
  GcObject* o = alloc_array(store, type, length);
  if (!o) return TrapCode::GcHeapExhausted;
  *out = o;
  return move_bytes(store, o->fields(), data.data() + offset, bytes);
}

std::optional<TrapCode> new_array_elem(Store& store, const GcType& type,
                                       const std::vector<Ref>& elems, uint32_t offset,
                                       uint32_t length, GcObject** out) {
  if (!range_in_bounds(elems.size(), offset, length)) return TrapCode::TableOutOfBounds;
  GcObject* o = alloc_array(store, type, length);
  if (!o) return TrapCode::GcHeapExhausted;
  *out = o;
  return move_bytes(store, o->fields(), reinterpret_cast<const uint8_t*>(elems.data() + offset),
                    uint64_t(length) * sizeof(Ref));
}

std::optional<TrapCode> array_fill(Store& store, GcObject* a, uint32_t offset, const uint8_t* value,
                                   uint32_t n) {
  if (!a) return TrapCode::NullArrayReference;
  if (!range_in_bounds(a->length, offset, n)) return TrapCode::ArrayOutOfBounds;
  return element_fill_chunked(store, element(a, offset), value, a->type->elem_bytes(), n);
}

std::optional<TrapCode> array_copy(Store& store, GcObject* dst, uint32_t d, GcObject* src,
                                   uint32_t s, uint32_t n) {
  if (!dst || !src) return TrapCode::NullArrayReference;
  if (!range_in_bounds(dst->length, d, n) || !range_in_bounds(src->length, s, n)) {
    return TrapCode::ArrayOutOfBounds;
  }
  return move_bytes(store, element(dst, d), element(src, s), uint64_t(n) * dst->type->elem_bytes());
}

std::optional<TrapCode> array_init_data(Store& store, GcObject* a, uint32_t d,
                                        const std::span<const uint8_t>& data, uint32_t s,
                                        uint32_t n) {
  if (!a) return TrapCode::NullArrayReference;
  if (!range_in_bounds(a->length, d, n)) return TrapCode::ArrayOutOfBounds;
  uint64_t bytes = uint64_t(n) * a->type->elem_bytes();
  if (!range_in_bounds(data.size(), s, bytes)) return TrapCode::MemoryOutOfBounds;
  return move_bytes(store, element(a, d), data.data() + s, bytes);
}

std::optional<TrapCode> array_init_elem(Store& store, GcObject* a, uint32_t d,
                                        const std::vector<Ref>& elems, uint32_t s, uint32_t n) {
  if (!a) return TrapCode::NullArrayReference;
  if (!range_in_bounds(a->length, d, n)) return TrapCode::ArrayOutOfBounds;
  if (!range_in_bounds(elems.size(), s, n)) return TrapCode::TableOutOfBounds;
  return move_bytes(store, element(a, d), reinterpret_cast<const uint8_t*>(elems.data() + s),
                    uint64_t(n) * sizeof(Ref));
}

bool ref_test(const Store& store, uint64_t ref, uint32_t target, const GcType* concrete) {
  if (ref == 0) return (target & 0x100u) != 0;
  if (concrete) {
    if (concrete->kind == CompositeKind::Func) {
      auto* f = static_cast<const FuncInstance*>(reinterpret_cast<void*>(uintptr_t(ref)));
      return f->type_id == concrete->id ||
             detail::Access::types(*store.engine).is_subtype(f->type_id, concrete->id);
    }
    const GcObject* o = object_of(ref);
    return o && o->type && o->type->is_subtype_of(concrete);
  }
  const GcObject* o = object_of(ref);
  switch (HeapKind(target & 0xffu)) {
    case HeapKind::Any:
    case HeapKind::Func:
    case HeapKind::Extern:
    case HeapKind::Exn:
      return true;
    case HeapKind::Eq:
      return is_i31(ref) || (o && !o->is_host_box());
    case HeapKind::I31:
      return is_i31(ref);
    case HeapKind::Struct:
      return o && o->is_struct();
    case HeapKind::Array:
      return o && o->is_array();
    default:  // the bottom types, which only null is of
      return false;
  }
}

bool func_subtype(const Store& store, uint32_t id, uint32_t expected) {
  return detail::Access::types(*store.engine).is_subtype(id, expected);
}

uint64_t any_convert_extern(Store& store, uint64_t ref) {
  if (ref == 0 || is_i31(ref)) return ref;
  void* p = reinterpret_cast<void*>(uintptr_t(ref));
  if (store.heap.contains(p)) return ref;
  GcObject* box = store.heap.find_box(p);
  if (!box) {
    box = gc_allocate(store, GcHeap::kBoxBytes);
    if (!box) return 0;
    std::memcpy(box->fields(), &p, sizeof p);  // type stays null: a host box
    store.heap.add_box(p, box);
  }
  return uint64_t(uintptr_t(box));
}

uint64_t extern_convert_any(uint64_t ref) {
  if (ref == 0 || is_i31(ref)) return ref;
  auto* o = reinterpret_cast<GcObject*>(uintptr_t(ref));
  if (!o->is_host_box()) return ref;
  void* host;
  std::memcpy(&host, o->fields(), sizeof host);
  return uint64_t(uintptr_t(host));
}

}  // namespace tern::rt
