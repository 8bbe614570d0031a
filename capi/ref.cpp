// References: the families every reference type has (delete, copy, same, host info, casts to and
// from wasm_ref_t), foreign objects, and references crossing into and out of wasm.
#include "capi/internal.h"

using tern::capi::RefKind;

namespace {

bool is_extern_kind(RefKind k) {
  return k == RefKind::Func || k == RefKind::Global || k == RefKind::Table || k == RefKind::Memory;
}

}  // namespace

// delete, copy, same and host info, for wasm_ref_t and each reference type.
#define TERN_CAPI_REF_BASE(name)                                                             \
  extern "C" void wasm_##name##_delete(wasm_##name##_t* r) {                                 \
    delete r;                                                                                \
  }                                                                                          \
  extern "C" wasm_##name##_t* wasm_##name##_copy(const wasm_##name##_t* r) {                 \
    return static_cast<wasm_##name##_t*>(r->clone());                                        \
  }                                                                                          \
  extern "C" bool wasm_##name##_same(const wasm_##name##_t* a, const wasm_##name##_t* b) {   \
    return a->id == b->id;                                                                   \
  }                                                                                          \
  extern "C" void* wasm_##name##_get_host_info(const wasm_##name##_t* r) {                   \
    return r->id->host_info;                                                                 \
  }                                                                                          \
  extern "C" void wasm_##name##_set_host_info(wasm_##name##_t* r, void* info) {              \
    r->id->set_host_info(info, nullptr);                                                     \
  }                                                                                          \
  extern "C" void wasm_##name##_set_host_info_with_finalizer(wasm_##name##_t* r, void* info, \
                                                             void (*finalizer)(void*)) {     \
    r->id->set_host_info(info, finalizer);                                                   \
  }

// The casts to wasm_ref_t (every reference is one) and back (NULL for another kind).
#define TERN_CAPI_REF(name, is_kind)                                                  \
  TERN_CAPI_REF_BASE(name)                                                            \
  extern "C" wasm_ref_t* wasm_##name##_as_ref(wasm_##name##_t* r) {                   \
    return r;                                                                         \
  }                                                                                   \
  extern "C" const wasm_ref_t* wasm_##name##_as_ref_const(const wasm_##name##_t* r) { \
    return r;                                                                         \
  }                                                                                   \
  extern "C" wasm_##name##_t* wasm_ref_as_##name(wasm_ref_t* r) {                     \
    return r && is_kind(r->kind) ? static_cast<wasm_##name##_t*>(r) : nullptr;        \
  }                                                                                   \
  extern "C" const wasm_##name##_t* wasm_ref_as_##name##_const(const wasm_ref_t* r) { \
    return r && is_kind(r->kind) ? static_cast<const wasm_##name##_t*>(r) : nullptr;  \
  }

#define TERN_CAPI_IS(kind) [](RefKind k) { return k == RefKind::kind; }

TERN_CAPI_REF_BASE(ref)
TERN_CAPI_REF(trap, TERN_CAPI_IS(Trap))
TERN_CAPI_REF(foreign, TERN_CAPI_IS(Foreign))
TERN_CAPI_REF(module, TERN_CAPI_IS(Module))
TERN_CAPI_REF(instance, TERN_CAPI_IS(Instance))
TERN_CAPI_REF(func, TERN_CAPI_IS(Func))
TERN_CAPI_REF(global, TERN_CAPI_IS(Global))
TERN_CAPI_REF(table, TERN_CAPI_IS(Table))
TERN_CAPI_REF(memory, TERN_CAPI_IS(Memory))
TERN_CAPI_REF(extern, is_extern_kind)

extern "C" wasm_foreign_t* wasm_foreign_new(wasm_store_t* store) {
  return new wasm_foreign_t(RefKind::Foreign, store, std::make_shared<tern::capi::Identity>());
}

namespace tern::capi {

std::optional<Ref> engine_ref_of(wasm_store_t* store, const wasm_ref_t* ref, ValType t) {
  if (!ref) return Ref(nullptr);
  if (t == ValType::FuncRef) {
    if (ref->kind != RefKind::Func) return std::nullopt;
    return detail::Access::func(static_cast<const wasm_func_t*>(ref)->func());
  }
  // An externref is the object's identity, kept by the store from now on; the exemplar lets a
  // reference of the right kind be made again when wasm hands it back.
  if (!ref->id->exemplar) {
    ref->id->exemplar.reset(ref->clone());
    ref->id->exemplar->id.reset();
  }
  store->pin(ref->id);
  return Ref(ref->id.get());
}

wasm_ref_t* ref_of(wasm_store_t* store, ValType t, Ref ref) {
  if (!ref) return nullptr;
  if (t == ValType::FuncRef) {
    return make_extern(store, detail::Access::wrap(static_cast<rt::FuncInstance*>(ref)));
  }
  return static_cast<Identity*>(ref)->make_ref();
}

}  // namespace tern::capi
