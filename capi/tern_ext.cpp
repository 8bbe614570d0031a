// Tern's additions to the C API (tern_c.h): tier, fuel, interruption, limits, text format.
#include <tern_c.h>

#include "capi/internal.h"
#ifdef TERN_CAPI_HAVE_TEXT
#include "engine/text/wast.h"
#endif

extern "C" {

bool tern_config_set_tier(wasm_config_t* config, tern_tier_t tier) {
  tern::Tier wanted = tier == TERN_TIER_INTERP ? tern::Tier::Interp
                      : tier == TERN_TIER_AUTO ? tern::Tier::Auto
                                               : tern::Tier::Jit;
  if (wanted != tern::Tier::Auto && !tern::Engine::has_tier(wanted)) return false;
  config->config.tier = wanted;
  config->config.lazy_compile = tier == TERN_TIER_JIT_LAZY;
  return true;
}

void tern_config_set_consume_fuel(wasm_config_t* config, bool on) {
  config->config.consume_fuel = on;
}

bool tern_config_set_max_call_depth(wasm_config_t* config, uint32_t depth) {
  if (depth < 1 || depth > tern::kMaxCallDepth) return false;
  config->config.max_call_depth = depth;
  return true;
}

void tern_store_set_fuel(wasm_store_t* store, uint64_t fuel) {
  store->store.set_fuel(fuel);
}

bool tern_store_get_fuel(const wasm_store_t* store, uint64_t* fuel) {
  auto left = store->store.fuel();
  if (left) *fuel = *left;
  return left.has_value();
}

void tern_store_interrupt(wasm_store_t* store) {
  store->store.interrupt();
}

void tern_store_set_limits(wasm_store_t* store, uint64_t memory_pages, uint64_t table_elements,
                           uint32_t instances) {
  store->store.set_limits({memory_pages, table_elements, instances});
}

bool tern_wat_to_wasm(const char* text, size_t size, wasm_byte_vec_t* out, wasm_message_t* error) {
  wasm_byte_vec_new_empty(out);
#ifdef TERN_CAPI_HAVE_TEXT
  auto binary = tern::text::wat_to_binary(std::string_view(text, size));
  if (binary) {
    wasm_byte_vec_new(out, binary->size(), reinterpret_cast<const wasm_byte_t*>(binary->data()));
    return true;
  }
  std::string message = binary.error().to_string();
#else
  (void)text;
  (void)size;
  std::string message = "this Tern is built without the text reader (TERN_TEXT=OFF)";
#endif
  if (error) wasm_byte_vec_new(error, message.size() + 1, message.c_str());
  return false;
}

}  // extern "C"
