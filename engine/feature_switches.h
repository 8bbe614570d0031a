// The command-line spelling of Config::features, shared by `tern` and the spec runner:
// `--wasm 2.0|3.0` picks a preset, `-W name=y|n,...` switches single proposals (wasmtime's
// names: tail-call, exceptions, legacy-exceptions, memory64, multi-memory, extended-const,
// function-references, gc, relaxed-simd).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tern/config.h"

namespace tern {

// The preset `--wasm VERSION` names ("2.0" or "3.0"), or nullopt.
std::optional<WasmFeatures> wasm_features_preset(std::string_view version);

// Applies switches "name=y|n|yes|no|true|false,..." (a bare name means on) to `features`.
// Returns what is wrong with the first bad switch, or an empty string; `features` is then
// unchanged.
std::string apply_feature_switches(std::string_view switches, WasmFeatures& features);

// The switch names, comma-separated, for help texts and errors.
std::string feature_switch_names();

}  // namespace tern
