#include "bench/micro/modules.h"

#include <fmt/core.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "engine/text/wast.h"

namespace tern::bench {

std::vector<uint8_t> wat(std::string_view source) {
  auto binary = text::wat_to_binary(source);
  if (!binary) {
    fmt::print(stderr, "bench module does not parse: {}\n", binary.error().to_string());
    std::abort();
  }
  return std::move(binary).value();
}

namespace {

// One generated function: $f<i> (param i32 i32) (result i32). The body varies with `i` so the
// module is not one body repeated; every function calls an earlier one.
void append_function(std::string& out, uint32_t i) {
  const uint32_t k = i * 2654435761u;
  out += "(func $f" + std::to_string(i) + " (type $t) (param i32 i32) (result i32)\n";
  out += "  (local i32 i64 f64)\n";
  out += "  (local.set 2 (i32.add (local.get 0) (i32.const " + std::to_string(k % 1000) + ")))\n";
  out += "  (block $done (loop $again\n";
  out += "    (br_if $done (i32.ge_u (local.get 2) (local.get 1)))\n";
  out += "    (i32.store offset=" + std::to_string(k % 64 * 4) +
         " (i32.and (local.get 2) (i32.const 0xfff0))\n";
  out += "      (i32.xor (i32.load (i32.and (local.get 0) (i32.const 0xfff0))) (local.get 2)))\n";
  out += "    (local.set 3 (i64.add (local.get 3) (i64.extend_i32_u (local.get 2))))\n";
  out += "    (local.set 4 (f64.add (local.get 4) (f64.convert_i32_s (local.get 2))))\n";
  out +=
      "    (local.set 2 (i32.add (local.get 2) (i32.const " + std::to_string(1 + k % 7) + ")))\n";
  out += "    (br $again)))\n";
  switch (k % 3) {
    case 0:
      out += "  (if (i32.eqz (local.get 1)) (then (local.set 2 (i32.const 1)))\n";
      out += "    (else (local.set 2 (i32.mul (local.get 2) (i32.const 3)))))\n";
      break;
    case 1:
      out += "  (block (block (block (br_table 0 1 2 (i32.and (local.get 2) (i32.const 3))))\n";
      out += "    (local.set 2 (i32.shl (local.get 2) (i32.const 1))))\n";
      out += "    (local.set 2 (i32.rotl (local.get 2) (i32.const 5))))\n";
      break;
    default:
      out +=
          "  (local.set 2 (select (local.get 2) (local.get 1) (f64.lt (local.get 4) "
          "(f64.const 1.5))))\n";
      break;
  }
  out += "  (i32.add (i32.wrap_i64 (local.get 3))\n";
  if (i > 0) {
    out += "    (call $f" + std::to_string(k % i) + " (local.get 2) (i32.const 0)))\n";
  } else {
    out += "    (local.get 2))\n";
  }
  out += ")\n";
}

std::vector<uint8_t> generate_large_module() {
  constexpr uint32_t kFunctions = 12000;
  std::string source = "(module (type $t (func (param i32 i32) (result i32))) (memory 1)\n";
  source.reserve(kFunctions * 1200);
  for (uint32_t i = 0; i < kFunctions; ++i) append_function(source, i);
  source += "(export \"f0\" (func $f0)))\n";
  return wat(source);
}

}  // namespace

const std::vector<uint8_t>& large_module() {
  static const std::vector<uint8_t> bytes = [] {
    if (const char* path = std::getenv("TERN_BENCH_MODULE")) {
      std::ifstream in(path, std::ios::binary);
      std::vector<uint8_t> file((std::istreambuf_iterator<char>(in)), {});
      if (file.empty()) {
        fmt::print(stderr, "TERN_BENCH_MODULE={}: cannot read it\n", path);
        std::abort();
      }
      return file;
    }
    return generate_large_module();
  }();
  return bytes;
}

Config config_for(Tier tier) {
  Config config;
  config.tier = tier;
  return config;
}

Instantiated::Instantiated(Tier tier, std::string_view source, const Linker& linker,
                           const StoreLimits& limits)
    : engine(config_for(tier)), store(engine) {
  if (!Engine::has_tier(tier)) {
    error = kTierUnavailable;
    return;
  }
  auto module = Module::compile(engine, wat(source));
  if (!module) {
    error = module.error().to_string();
    return;
  }
  store.set_limits(limits);
  auto made = linker.instantiate(store, *module);
  if (!made) {
    error = made.error().to_string();
    return;
  }
  instance = *made;
}

}  // namespace tern::bench
