// The vector families wasm.h declares with WASM_DECLARE_VEC. A vector owns its array; a vector
// of pointers also owns the objects, so copy copies them and delete deletes them. Arrays come
// from new[] so that only vectors this library made are ever freed by it.
#include <algorithm>

#include "capi/internal.h"

namespace {

template <class T>
T* new_array(size_t n) {
  return n == 0 ? nullptr : new T[n]();
}

}  // namespace

// The parts every vector shares: empty, uninitialized (zeroed: null pointers, zero values) and
// new (taking over the elements).
#define TERN_CAPI_VEC_COMMON(name, elem)                                                       \
  extern "C" void wasm_##name##_vec_new_empty(wasm_##name##_vec_t* out) {                      \
    out->size = 0;                                                                             \
    out->data = nullptr;                                                                       \
  }                                                                                            \
  extern "C" void wasm_##name##_vec_new_uninitialized(wasm_##name##_vec_t* out, size_t size) { \
    out->size = size;                                                                          \
    out->data = new_array<elem>(size);                                                         \
  }                                                                                            \
  extern "C" void wasm_##name##_vec_new(wasm_##name##_vec_t* out, size_t size,                 \
                                        elem const data[]) {                                   \
    wasm_##name##_vec_new_uninitialized(out, size);                                            \
    if (size) std::copy(data, data + size, out->data);                                         \
  }

// A vector of plain values: copy is a byte copy, delete frees the array.
#define TERN_CAPI_VEC_OF_VALUES(name, elem)                                \
  TERN_CAPI_VEC_COMMON(name, elem)                                         \
  extern "C" void wasm_##name##_vec_copy(wasm_##name##_vec_t* out,         \
                                         const wasm_##name##_vec_t* src) { \
    wasm_##name##_vec_new(out, src->size, src->data);                      \
  }                                                                        \
  extern "C" void wasm_##name##_vec_delete(wasm_##name##_vec_t* v) {       \
    delete[] v->data;                                                      \
    wasm_##name##_vec_new_empty(v);                                        \
  }

// A vector of owned objects: copy copies each (wasm_X_copy), delete deletes each.
#define TERN_CAPI_VEC_OF_OWNED(name)                                            \
  TERN_CAPI_VEC_COMMON(name, wasm_##name##_t*)                                  \
  extern "C" void wasm_##name##_vec_copy(wasm_##name##_vec_t* out,              \
                                         const wasm_##name##_vec_t* src) {      \
    wasm_##name##_vec_new_uninitialized(out, src->size);                        \
    for (size_t i = 0; i < src->size; ++i) {                                    \
      out->data[i] = src->data[i] ? wasm_##name##_copy(src->data[i]) : nullptr; \
    }                                                                           \
  }                                                                             \
  extern "C" void wasm_##name##_vec_delete(wasm_##name##_vec_t* v) {            \
    for (size_t i = 0; i < v->size; ++i) wasm_##name##_delete(v->data[i]);      \
    delete[] v->data;                                                           \
    wasm_##name##_vec_new_empty(v);                                             \
  }

TERN_CAPI_VEC_OF_VALUES(byte, wasm_byte_t)
TERN_CAPI_VEC_OF_OWNED(valtype)
TERN_CAPI_VEC_OF_OWNED(functype)
TERN_CAPI_VEC_OF_OWNED(globaltype)
TERN_CAPI_VEC_OF_OWNED(tabletype)
TERN_CAPI_VEC_OF_OWNED(memorytype)
TERN_CAPI_VEC_OF_OWNED(externtype)
TERN_CAPI_VEC_OF_OWNED(importtype)
TERN_CAPI_VEC_OF_OWNED(exporttype)
TERN_CAPI_VEC_OF_OWNED(frame)
TERN_CAPI_VEC_OF_OWNED(extern)

// Values own their references: copy copies them, delete deletes them.
TERN_CAPI_VEC_COMMON(val, wasm_val_t)

extern "C" void wasm_val_vec_copy(wasm_val_vec_t* out, const wasm_val_vec_t* src) {
  wasm_val_vec_new_uninitialized(out, src->size);
  for (size_t i = 0; i < src->size; ++i) wasm_val_copy(&out->data[i], &src->data[i]);
}

extern "C" void wasm_val_vec_delete(wasm_val_vec_t* v) {
  for (size_t i = 0; i < v->size; ++i) wasm_val_delete(&v->data[i]);
  delete[] v->data;
  wasm_val_vec_new_empty(v);
}

extern "C" void wasm_val_delete(wasm_val_t* v) {
  if (wasm_valkind_is_ref(v->kind) && v->of.ref) {
    wasm_ref_delete(v->of.ref);
    v->of.ref = nullptr;
  }
}

extern "C" void wasm_val_copy(wasm_val_t* out, const wasm_val_t* v) {
  *out = *v;
  if (wasm_valkind_is_ref(v->kind) && v->of.ref) out->of.ref = wasm_ref_copy(v->of.ref);
}
