#include "tools/cli_args.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "engine/feature_switches.h"

namespace tern::cli {

bool ArgCursor::at_option() {
  if (operands_only_ || done()) return false;
  std::string_view arg = argv_[i_];
  if (arg == "--") {
    operands_only_ = true;
    ++i_;
    return false;
  }
  return arg.size() > 1 && arg[0] == '-';
}

std::string ArgCursor::option_name() const {
  std::string_view arg = argv_[i_];
  return std::string(arg.substr(0, arg.find('=')));
}

std::optional<std::string> ArgCursor::take_value() {
  std::string_view arg = argv_[i_++];
  size_t eq = arg.find('=');
  if (eq != std::string_view::npos) return std::string(arg.substr(eq + 1));
  if (i_ >= argc_) return std::nullopt;
  return std::string(argv_[i_++]);
}

std::string apply_feature_option(std::string_view option, std::string_view value,
                                 WasmFeatures& features) {
  if (option == "-W") return apply_feature_switches(value, features);
  auto preset = wasm_features_preset(value);
  if (!preset) return "unknown version '" + std::string(value) + "' (2.0 or 3.0)";
  features = *preset;
  return {};
}

std::string apply_profile_option(std::string_view value, Config& config) {
  if (value != "perfmap") return "unknown profiler '" + std::string(value) + "' (perfmap)";
  config.profiler = Profiler::PerfMap;
  return {};
}

std::optional<uint64_t> parse_u64(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text) {
  struct Unit {
    std::string_view name;
    uint64_t nanoseconds;
  };
  // "ms" before "m", so that it is not read as minutes followed by "s".
  static constexpr Unit kUnits[] = {{"ns", 1},         {"us", 1000},       {"ms", 1000000},
                                    {"s", 1000000000}, {"m", 60000000000}, {"h", 3600000000000}};
  constexpr uint64_t kMax = uint64_t(INT64_MAX);
  const bool bare_seconds = text.find_first_not_of("0123456789") == std::string_view::npos;
  uint64_t total = 0;
  while (!text.empty()) {
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc()) return std::nullopt;
    text.remove_prefix(size_t(end - text.data()));
    uint64_t scale = bare_seconds ? 1000000000 : 0;
    for (const Unit& u : kUnits) {
      if (!bare_seconds && text.starts_with(u.name)) {
        scale = u.nanoseconds;
        text.remove_prefix(u.name.size());
        break;
      }
    }
    if (!scale || n > (kMax - total) / scale) return std::nullopt;
    total += n * scale;
  }
  if (total == 0) return std::nullopt;
  return std::chrono::nanoseconds(int64_t(total));
}

namespace {

// An integer of `bits` bits: in [-2^(bits-1), 2^bits - 1], kept as its two's complement.
std::optional<uint64_t> parse_integer(std::string_view text, unsigned bits) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative || (!text.empty() && text[0] == '+')) text.remove_prefix(1);
  auto magnitude = parse_u64(text);
  if (!magnitude) return std::nullopt;
  const uint64_t max_unsigned = bits == 64 ? ~0ull : (1ull << bits) - 1;
  const uint64_t max_negative = 1ull << (bits - 1);
  if (negative ? *magnitude > max_negative : *magnitude > max_unsigned) return std::nullopt;
  return (negative ? 0 - *magnitude : *magnitude) & max_unsigned;
}

// strtof/strtod take decimal, hex, `nan`, `inf` and `infinity`; we reject leading blanks and
// anything left over.
template <class F>
std::optional<F> parse_float(std::string_view text) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
  std::string s(text);
  char* end = nullptr;
  F v;
  if constexpr (sizeof(F) == 4)
    v = std::strtof(s.c_str(), &end);
  else
    v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<Value> parse_value(ValType type, std::string_view text) {
  switch (type) {
    case ValType::I32:
      if (auto v = parse_integer(text, 32)) return Value::i32(int32_t(uint32_t(*v)));
      return std::nullopt;
    case ValType::I64:
      if (auto v = parse_integer(text, 64)) return Value::i64(int64_t(*v));
      return std::nullopt;
    case ValType::F32:
      if (auto v = parse_float<float>(text)) return Value::f32(*v);
      return std::nullopt;
    case ValType::F64:
      if (auto v = parse_float<double>(text)) return Value::f64(*v);
      return std::nullopt;
    case ValType::FuncRef:
    case ValType::ExternRef:
    case ValType::ExnRef:
      if (text == "null") return Value::ref(type, nullptr);
      return std::nullopt;
    case ValType::V128:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace tern::cli
