// Modules: compiling, validating, reflection, serializing and sharing across threads.
#include "capi/internal.h"
#include "engine/runtime/objects.h"

namespace {

std::span<const uint8_t> bytes_of(const wasm_byte_vec_t* v) {
  return {reinterpret_cast<const uint8_t*>(v->data), v->size};
}

}  // namespace

extern "C" {

wasm_module_t* wasm_module_new(wasm_store_t* store, const wasm_byte_vec_t* binary) {
  auto module = tern::Module::compile(store->engine->engine, bytes_of(binary));
  if (!module) return nullptr;
  return new wasm_module_t(store, std::make_shared<tern::capi::Identity>(), *module);
}

bool wasm_module_validate(wasm_store_t* store, const wasm_byte_vec_t* binary) {
  return tern::Module::validate(store->engine->engine, bytes_of(binary)).ok();
}

void wasm_module_imports(const wasm_module_t* m, wasm_importtype_vec_t* out) {
  auto imports = m->module.imports();
  wasm_importtype_vec_new_uninitialized(out, imports.size());
  for (size_t i = 0; i < imports.size(); ++i) out->data[i] = tern::capi::importtype_of(imports[i]);
}

void wasm_module_exports(const wasm_module_t* m, wasm_exporttype_vec_t* out) {
  auto exports = m->module.exports();
  wasm_exporttype_vec_new_uninitialized(out, exports.size());
  for (size_t i = 0; i < exports.size(); ++i) out->data[i] = tern::capi::exporttype_of(exports[i]);
}

// Until Tern has a compiled-code cache, the serialized form is the module's binary, and
// deserializing compiles it again.
void wasm_module_serialize(const wasm_module_t* m, wasm_byte_vec_t* out) {
  const std::vector<uint8_t>& bytes = tern::detail::Access::module(m->module)->info.bytes;
  wasm_byte_vec_new(out, bytes.size(), reinterpret_cast<const wasm_byte_t*>(bytes.data()));
}

wasm_module_t* wasm_module_deserialize(wasm_store_t* store, const wasm_byte_vec_t* bytes) {
  return wasm_module_new(store, bytes);
}

// A compiled module is immutable and may be used from any thread: sharing copies the handle.
wasm_shared_module_t* wasm_module_share(const wasm_module_t* m) {
  return new wasm_shared_module_t{m->module};
}

void wasm_shared_module_delete(wasm_shared_module_t* shared) {
  delete shared;
}

// NULL for a store of another engine: the module's types are only meaningful in its own.
wasm_module_t* wasm_module_obtain(wasm_store_t* store, const wasm_shared_module_t* shared) {
  if (tern::detail::Access::module(shared->module)->engine != &store->engine->engine) {
    return nullptr;
  }
  return new wasm_module_t(store, std::make_shared<tern::capi::Identity>(), shared->module);
}

}  // extern "C"
