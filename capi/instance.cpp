// Instances: instantiating a module with imports given in import order, and its exports.
#include "capi/internal.h"
#include "engine/runtime/objects.h"

namespace capi = tern::capi;

extern "C" {

// Any failure (a missing or mismatched import, a trap in the start function) gives NULL and,
// where `trap` is given, a trap saying why.
wasm_instance_t* wasm_instance_new(wasm_store_t* store, const wasm_module_t* module,
                                   const wasm_extern_vec_t* imports, wasm_trap_t** trap) {
  if (trap) *trap = nullptr;
  auto fail = [&](wasm_trap_t* why) -> wasm_instance_t* {
    if (trap)
      *trap = why;
    else
      wasm_trap_delete(why);
    return nullptr;
  };
  if (tern::detail::Access::module(module->module)->engine != &store->engine->engine) {
    return fail(capi::make_trap(store, "the module was compiled by another engine"));
  }
  auto wanted = module->module.imports();
  size_t given = imports ? imports->size : 0;
  if (given < wanted.size()) {
    return fail(capi::make_trap(store, "the module has " + std::to_string(wanted.size()) +
                                           " imports, " + std::to_string(given) + " given"));
  }
  tern::Linker linker;
  for (size_t i = 0; i < wanted.size(); ++i) {
    const wasm_extern_t* e = imports->data[i];
    if (!e || e->store != store) {
      return fail(capi::make_trap(store, "import " + std::to_string(i) + " (" + wanted[i].module +
                                             "." + wanted[i].name +
                                             ") is null or from another store"));
    }
    linker.define(wanted[i].module, wanted[i].name, e->ext);
  }
  auto instance = linker.instantiate(store->store, module->module);
  if (!instance) return fail(capi::trap_of(store, instance.error()));
  return new wasm_instance_t(store, store->identity_of(tern::detail::Access::instance(*instance)),
                             *instance);
}

void wasm_instance_exports(const wasm_instance_t* instance, wasm_extern_vec_t* out) {
  auto exports = instance->instance.exports();
  wasm_extern_vec_new_uninitialized(out, exports.size());
  for (size_t i = 0; i < exports.size(); ++i) {
    out->data[i] = capi::make_extern(instance->store, exports[i].second);
  }
}

}  // extern "C"
