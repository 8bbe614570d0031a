// The runtime environment: configs, engines and stores, and the identities a store keeps for
// its objects.
#include "capi/internal.h"

namespace tern::capi {

Identity::~Identity() {
  if (finalizer) finalizer(host_info);
}

void Identity::set_host_info(void* info, void (*fin)(void*)) {
  // The info replaced is finalized now: nothing could reach it any more.
  if (finalizer) finalizer(host_info);
  host_info = info;
  finalizer = fin;
}

wasm_ref_t* Identity::make_ref() {
  wasm_ref_t* r = exemplar->clone();
  r->id = shared_from_this();
  return r;
}

}  // namespace tern::capi

std::shared_ptr<tern::capi::Identity> wasm_store_t::identity_of(const void* object) {
  auto& id = object_ids[object];
  if (!id) id = std::make_shared<tern::capi::Identity>();
  return id;
}

void wasm_store_t::pin(const std::shared_ptr<tern::capi::Identity>& id) {
  pinned.emplace(id.get(), id);
}

wasm_instance_t* wasm_store_t::instance_of(const tern::rt::Instance* instance) {
  auto& entry = instances[instance];
  if (!entry) {
    auto handle = tern::detail::Access::wrap(const_cast<tern::rt::Instance*>(instance));
    entry = std::make_unique<wasm_instance_t>(this, identity_of(instance), handle);
  }
  return entry.get();
}

extern "C" {

wasm_config_t* wasm_config_new(void) {
  return new wasm_config_t{};
}
void wasm_config_delete(wasm_config_t* config) {
  delete config;
}

wasm_engine_t* wasm_engine_new(void) {
  return new wasm_engine_t(tern::Config{});
}
wasm_engine_t* wasm_engine_new_with_config(wasm_config_t* config) {
  wasm_engine_t* engine = new wasm_engine_t(config->config);
  delete config;
  return engine;
}
void wasm_engine_delete(wasm_engine_t* engine) {
  delete engine;
}

wasm_store_t* wasm_store_new(wasm_engine_t* engine) {
  return new wasm_store_t(engine);
}
void wasm_store_delete(wasm_store_t* store) {
  delete store;
}

}  // extern "C"
