// Wasm modules for the micro-benchmarks, written in the text format and encoded once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tern/tern.h"

namespace tern::bench {

// Encodes a .wat module; aborts with the parser's message if it does not parse, since a
// benchmark of a module that is not there would measure nothing.
std::vector<uint8_t> wat(std::string_view source);

// A large module (1.4 MB) of generated functions mixing arithmetic, locals, memory access,
// blocks, loops, branches and calls, the shapes compiled C code has. Built once and cached.
// TERN_BENCH_MODULE=path.wasm replaces it with a module from disk (e.g. a bench program).
const std::vector<uint8_t>& large_module();

// An Engine's configuration for a tier (benchmarks skip a tier !Engine::has_tier).
Config config_for(Tier tier);
inline constexpr char kTierUnavailable[] = "this tier is not built in";

// A .wat module compiled for `tier` and instantiated with `linker` in a store of its own, for a
// benchmark that calls its exports. Without `instance`, `error` says why (the tier is not
// built in, or the module did not compile or link): the reason for State::SkipWithError.
struct Instantiated {
  Instantiated(Tier tier, std::string_view source, const Linker& linker = Linker(),
               const StoreLimits& limits = StoreLimits());
  Engine engine;
  Store store;
  std::optional<Instance> instance;
  std::string error;
};

}  // namespace tern::bench
