#include "engine/feature_switches.h"

namespace tern {

namespace {

struct Switch {
  std::string_view name;
  bool WasmFeatures::*flag;
};

constexpr Switch kSwitches[] = {
    {"tail-call", &WasmFeatures::tail_call},
    {"exceptions", &WasmFeatures::exceptions},
    {"legacy-exceptions", &WasmFeatures::legacy_exceptions},
    {"memory64", &WasmFeatures::memory64},
    {"multi-memory", &WasmFeatures::multi_memory},
    {"extended-const", &WasmFeatures::extended_const},
    {"function-references", &WasmFeatures::function_references},
    {"gc", &WasmFeatures::gc},
    {"relaxed-simd", &WasmFeatures::relaxed_simd},
};

std::optional<bool> parse_switch_value(std::string_view v) {
  if (v == "y" || v == "yes" || v == "true") return true;
  if (v == "n" || v == "no" || v == "false") return false;
  return std::nullopt;
}

}  // namespace

std::optional<WasmFeatures> wasm_features_preset(std::string_view version) {
  if (version == "2.0") return WasmFeatures::wasm20();
  if (version == "3.0") return WasmFeatures::wasm30();
  return std::nullopt;
}

std::string apply_feature_switches(std::string_view switches, WasmFeatures& features) {
  WasmFeatures result = features;
  while (!switches.empty()) {
    size_t comma = switches.find(',');
    std::string_view item = switches.substr(0, comma);
    switches = comma == std::string_view::npos ? std::string_view() : switches.substr(comma + 1);
    size_t eq = item.find('=');
    std::string_view name = item.substr(0, eq);
    std::optional<bool> on = true;
    if (eq != std::string_view::npos) on = parse_switch_value(item.substr(eq + 1));
    if (!on) {
      return "bad value in '" + std::string(item) + "' (expected y or n)";
    }
    const Switch* found = nullptr;
    for (const Switch& s : kSwitches) {
      if (s.name == name) found = &s;
    }
    if (!found) {
      return "unknown proposal '" + std::string(name) + "' (known: " + feature_switch_names() + ")";
    }
    result.*(found->flag) = *on;
  }
  features = result;
  return {};
}

std::string feature_switch_names() {
  std::string names;
  for (const Switch& s : kSwitches) names += (names.empty() ? "" : ", ") + std::string(s.name);
  return names;
}

}  // namespace tern
