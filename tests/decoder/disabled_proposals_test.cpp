// Constructs of proposals Config::features has off fail to decode with errors that name the
// proposal and its switch.
#include <catch2/catch.hpp>

#include "decoder/module_builder.h"
#include "engine/decoder/decoder.h"

using namespace tern;
using namespace tern::test;

namespace {

std::string malformed_message(const Bytes& b, const WasmFeatures& features) {
  auto r = decode_module(b, ModuleLimits{}, features);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Malformed);
  return r.error().message;
}

}  // namespace

TEST_CASE("GC and typed function reference types name their switch when it is off", "[decoder]") {
  Bytes struct_type = module({section(1, {0x01, 0x5F, 0x00})});
  CHECK(decode_module(struct_type, ModuleLimits{}, WasmFeatures::wasm30()).ok());
  CHECK(malformed_message(struct_type, WasmFeatures::wasm20()) ==
        "type definition 0x5f (struct) requires the garbage collection proposal (-W gc), which "
        "is not enabled");
  CHECK(malformed_message(module({section(1, {0x01, 0x4E, 0x00})}), WasmFeatures::wasm20())
            .find("(rec) requires the garbage collection proposal") != std::string::npos);
  CHECK(decode_module(module({section(1, {0x01, 0x4E, 0x00})}), ModuleLimits{}, {}).ok());
  // A declared supertype decodes.
  CHECK(decode_module(module({section(1, {0x02, 0x50, 0x00, 0x60, 0x00, 0x00, 0x50, 0x01, 0x00,
                                          0x60, 0x00, 0x00})}),
                      ModuleLimits{}, {})
            .ok());

  // Typed references decode with the proposal on.
  Bytes typed_ref_param = module({section(1, {0x01, 0x60, 0x01, 0x63, 0x70, 0x00})});
  CHECK(decode_module(typed_ref_param, ModuleLimits{}, WasmFeatures::wasm30()).ok());
  WasmFeatures no_function_references;
  no_function_references.function_references = false;
  CHECK(malformed_message(typed_ref_param, no_function_references) ==
        "type 0x63 (ref null) requires the typed function references proposal "
        "(-W function-references), which is not enabled");

  // A table with an initialiser: 0x40 0x00, then (ref func), limits and ref.func 0.
  Bytes table_init =
      module({section(4, {0x01, 0x40, 0x00, 0x64, 0x70, 0x00, 0x01, 0xD2, 0x00, 0x0B})});
  CHECK(decode_module(table_init, ModuleLimits{}, {}).ok());
  CHECK(malformed_message(table_init, no_function_references) ==
        "a table with an initializer expression requires the typed function references "
        "proposal (-W function-references), which is not enabled");
  // A table of anyref.
  Bytes anyref_table = module({section(4, {0x01, 0x6E, 0x00, 0x00})});
  CHECK(decode_module(anyref_table, ModuleLimits{}, {}).ok());
  WasmFeatures no_gc;
  no_gc.gc = false;
  CHECK(malformed_message(anyref_table, no_gc) ==
        "type 0x6e (anyref) requires the garbage collection proposal (-W gc), which is not "
        "enabled");
}

TEST_CASE("a switched-off relaxed SIMD opcode names its switch, in a constant expression too",
          "[decoder]") {
  // A v128 global initialised by 0xFD 0x100 (i8x16.relaxed_swizzle): with the proposal on it
  // decodes (the validator then finds it is not constant).
  Bytes global = module({section(6, {0x01, 0x7B, 0x00, 0xFD, 0x80, 0x02, 0x0B})});
  WasmFeatures no_relaxed_simd;
  no_relaxed_simd.relaxed_simd = false;
  CHECK(malformed_message(global, no_relaxed_simd) ==
        "i8x16.relaxed_swizzle requires the relaxed SIMD proposal (-W relaxed-simd), which is "
        "not enabled");
  CHECK(decode_module(global, ModuleLimits{}, WasmFeatures::wasm30()).ok());
}
