#include <span>

#include "engine/decoder/decoder.h"
#include "engine/validator/validator.h"
#include "fuzz/targets/targets.h"

int tern_fuzz_decode(const uint8_t* data, size_t size) {
  // Every proposal Tern has (Wasm 3.0, legacy exceptions too): their sections and opcodes.
  auto module =
      tern::decode_module(std::span<const uint8_t>(data, size), {}, tern::WasmFeatures::wasm30());
  if (!module.ok()) {
    // Limit: a count or size beyond Config::module_limits (docs/limits.md).
    if (module.error().kind != tern::ErrorKind::Malformed &&
        module.error().kind != tern::ErrorKind::Limit) {
      tern_fuzz_fail("decode_module failed with a kind other than Malformed/Limit");
    }
    return 0;
  }
  // Limit: an implementation limit the spec allows (e.g. a function's total locals).
  auto valid = tern::validate(*module);
  if (!valid.ok() && valid.error().kind != tern::ErrorKind::Invalid &&
      valid.error().kind != tern::ErrorKind::Malformed &&
      valid.error().kind != tern::ErrorKind::Limit) {
    tern_fuzz_fail("validate failed with a kind other than Invalid/Malformed/Limit");
  }
  return 0;
}
