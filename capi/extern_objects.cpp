// Externals: functions, globals, tables and memories as wasm_extern_t, and the globals, tables
// and memories themselves (functions are in func.cpp).
#include "capi/internal.h"

using tern::capi::RefKind;
namespace capi = tern::capi;

namespace {

RefKind ref_kind_of(const tern::Extern& e) {
  switch (tern::kind_of(e)) {
    case tern::ExternKind::Func:
      return RefKind::Func;
    case tern::ExternKind::Table:
      return RefKind::Table;
    case tern::ExternKind::Memory:
      return RefKind::Memory;
    case tern::ExternKind::Global:
      return RefKind::Global;
    case tern::ExternKind::Tag:  // wasm.h has no tags; make_extern never wraps one
      break;
  }
  return RefKind::Func;
}

// The store object behind an extern: its identity key.
const void* object_of(const tern::Extern& e) {
  using tern::detail::Access;
  switch (tern::kind_of(e)) {
    case tern::ExternKind::Func:
      return Access::func(std::get<tern::Func>(e));
    case tern::ExternKind::Table:
      return Access::table(std::get<tern::Table>(e));
    case tern::ExternKind::Memory:
      return Access::memory(std::get<tern::Memory>(e));
    case tern::ExternKind::Global:
      return Access::global(std::get<tern::Global>(e));
    case tern::ExternKind::Tag:
      return Access::tag(std::get<tern::Tag>(e));
  }
  return nullptr;
}

}  // namespace

wasm_extern_t::wasm_extern_t(wasm_store_t* s, tern::Extern e)
    : wasm_ref_t(ref_kind_of(e), s, s->identity_of(object_of(e))), ext(std::move(e)) {}

wasm_ref_t* wasm_extern_t::clone() const {
  return capi::make_extern(store, ext);
}

namespace tern::capi {

wasm_extern_t* make_extern(wasm_store_t* store, const Extern& e) {
  switch (kind_of(e)) {
    case ExternKind::Func:
      return new wasm_func_t(store, e);
    case ExternKind::Table:
      return new wasm_table_t(store, e);
    case ExternKind::Memory:
      return new wasm_memory_t(store, e);
    case ExternKind::Global:
      return new wasm_global_t(store, e);
    case ExternKind::Tag:  // wasm.h (the C API) has no tag externs
      break;
  }
  return nullptr;
}

}  // namespace tern::capi

extern "C" {

wasm_externkind_t wasm_extern_kind(const wasm_extern_t* e) {
  switch (e->kind) {
    case RefKind::Global:
      return WASM_EXTERN_GLOBAL;
    case RefKind::Table:
      return WASM_EXTERN_TABLE;
    case RefKind::Memory:
      return WASM_EXTERN_MEMORY;
    default:
      return WASM_EXTERN_FUNC;
  }
}

wasm_externtype_t* wasm_extern_type(const wasm_extern_t* e) {
  return capi::externtype_of(e->ext);
}

// Globals.

wasm_global_t* wasm_global_new(wasm_store_t* store, const wasm_globaltype_t* type,
                               const wasm_val_t* init) {
  auto content = capi::valtype_of(type->content->kind);
  if (!content) return nullptr;
  auto value = capi::value_of(store, *init, *content);
  if (!value) return nullptr;
  auto global =
      tern::Global::create(store->store, {*content, type->mutability == WASM_VAR}, *value);
  if (!global) return nullptr;
  return new wasm_global_t(store, *global);
}

wasm_globaltype_t* wasm_global_type(const wasm_global_t* g) {
  return static_cast<wasm_globaltype_t*>(capi::externtype_of(g->ext));
}

void wasm_global_get(const wasm_global_t* g, wasm_val_t* out) {
  *out = capi::val_of(g->store, g->global().get());
}

// wasm.h gives no way to report failure: an immutable global or a value of another type is
// left as it was.
void wasm_global_set(wasm_global_t* g, const wasm_val_t* v) {
  auto value = capi::value_of(g->store, *v, g->global().type().type);
  if (value) (void)g->global().set(*value);
}

// Tables.

wasm_table_t* wasm_table_new(wasm_store_t* store, const wasm_tabletype_t* type, wasm_ref_t* init) {
  auto elem = capi::valtype_of(type->element->kind);
  if (!elem || !tern::is_ref(*elem)) return nullptr;
  auto init_ref = capi::engine_ref_of(store, init, *elem);
  if (!init_ref) return nullptr;
  auto table = tern::Table::create(store->store, {*elem, capi::limits_of(type->limits)}, *init_ref);
  if (!table) return nullptr;
  return new wasm_table_t(store, *table);
}

wasm_tabletype_t* wasm_table_type(const wasm_table_t* t) {
  return static_cast<wasm_tabletype_t*>(capi::externtype_of(t->ext));
}

wasm_ref_t* wasm_table_get(const wasm_table_t* t, wasm_table_size_t index) {
  auto v = t->table().get(index);
  return v ? capi::ref_of(t->store, v->type(), v->ref()) : nullptr;
}

bool wasm_table_set(wasm_table_t* t, wasm_table_size_t index, wasm_ref_t* ref) {
  tern::ValType elem = t->table().type().elem;
  auto r = capi::engine_ref_of(t->store, ref, elem);
  return r && t->table().set(index, tern::Value::ref(elem, *r));
}

wasm_table_size_t wasm_table_size(const wasm_table_t* t) {
  return wasm_table_size_t(t->table().size());
}

bool wasm_table_grow(wasm_table_t* t, wasm_table_size_t delta, wasm_ref_t* init) {
  auto r = capi::engine_ref_of(t->store, init, t->table().type().elem);
  return r && t->table().grow(delta, *r).ok();
}

// Memories.

wasm_memory_t* wasm_memory_new(wasm_store_t* store, const wasm_memorytype_t* type) {
  auto memory = tern::Memory::create(store->store, {capi::limits_of(type->limits)});
  if (!memory) return nullptr;
  return new wasm_memory_t(store, *memory);
}

wasm_memorytype_t* wasm_memory_type(const wasm_memory_t* m) {
  return static_cast<wasm_memorytype_t*>(capi::externtype_of(m->ext));
}

byte_t* wasm_memory_data(wasm_memory_t* m) {
  return reinterpret_cast<byte_t*>(m->memory().data());
}

size_t wasm_memory_data_size(const wasm_memory_t* m) {
  return m->memory().size_bytes();
}

wasm_memory_pages_t wasm_memory_size(const wasm_memory_t* m) {
  return wasm_memory_pages_t(m->memory().pages());
}

bool wasm_memory_grow(wasm_memory_t* m, wasm_memory_pages_t delta) {
  return m->memory().grow(delta).ok();
}

}  // extern "C"

// A function, global, table or memory is an extern; the way back checks the kind.
#define TERN_CAPI_EXTERN_CASTS(name, ref_kind)                                              \
  extern "C" wasm_extern_t* wasm_##name##_as_extern(wasm_##name##_t* x) {                   \
    return x;                                                                               \
  }                                                                                         \
  extern "C" const wasm_extern_t* wasm_##name##_as_extern_const(const wasm_##name##_t* x) { \
    return x;                                                                               \
  }                                                                                         \
  extern "C" wasm_##name##_t* wasm_extern_as_##name(wasm_extern_t* e) {                     \
    return e->kind == RefKind::ref_kind ? static_cast<wasm_##name##_t*>(e) : nullptr;       \
  }                                                                                         \
  extern "C" const wasm_##name##_t* wasm_extern_as_##name##_const(const wasm_extern_t* e) { \
    return e->kind == RefKind::ref_kind ? static_cast<const wasm_##name##_t*>(e) : nullptr; \
  }

TERN_CAPI_EXTERN_CASTS(func, Func)
TERN_CAPI_EXTERN_CASTS(global, Global)
TERN_CAPI_EXTERN_CASTS(table, Table)
TERN_CAPI_EXTERN_CASTS(memory, Memory)
