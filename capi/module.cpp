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

// The compiled-module cache (Module::serialize, docs/embedding.md): the JIT's native code and
// the module, or in a build or engine without the JIT the module alone (the interpreter
// prepares it again on loading). A module whose code cannot be serialized (compiled with fuel
// metering) gives an empty vector.
void wasm_module_serialize(const wasm_module_t* m, wasm_byte_vec_t* out) {
  auto bytes = m->module.serialize();
  if (!bytes) {
    wasm_byte_vec_new_empty(out);
    return;
  }
  wasm_byte_vec_new(out, bytes->size(), reinterpret_cast<const wasm_byte_t*>(bytes->data()));
}

// NULL for anything Module::deserialize rejects: another build, CPU or tier, corruption, or a
// plain module binary (wasm_module_new compiles those).
wasm_module_t* wasm_module_deserialize(wasm_store_t* store, const wasm_byte_vec_t* bytes) {
  auto module = tern::Module::deserialize(store->engine->engine, bytes_of(bytes));
  if (!module) return nullptr;
  return new wasm_module_t(store, std::make_shared<tern::capi::Identity>(), *module);
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
