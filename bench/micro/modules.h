// Wasm modules for the micro-benchmarks, written in the text format and encoded once.
#pragma once

#include <cstdint>
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

}  // namespace tern::bench
