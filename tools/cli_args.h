// Hand-rolled command-line parsing for the `tern` CLI: options in `--name VALUE` or
// `--name=VALUE` form, and Wasm values from their command-line text.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "tern/config.h"
#include "tern/types.h"
#include "tern/value.h"

namespace tern::cli {

// Walks argv. Options come first; the first operand (or what follows `--`) ends them.
class ArgCursor {
 public:
  ArgCursor(int argc, char** argv, int first) : argc_(argc), argv_(argv), i_(first) {}

  bool done() const { return i_ >= argc_; }
  // Whether the next argument is an option (starts with `-` and is not `-` or after `--`).
  bool at_option();
  // The next option's name, without any `=VALUE` part.
  std::string option_name() const;
  // Consumes the current option; for one that takes a value, the value (from `=VALUE` or the
  // next argument) or nullopt when it has none.
  void skip_flag() { ++i_; }
  std::optional<std::string> take_value();
  const char* next_operand() { return i_ < argc_ ? argv_[i_++] : nullptr; }

 private:
  int argc_;
  char** argv_;
  int i_;
  bool operands_only_ = false;
};

// Applies `--wasm 2.0|3.0` (a preset) or `-W name=y|n,...` (single proposals) to `features`;
// returns what is wrong with the value, or an empty string.
std::string apply_feature_option(std::string_view option, std::string_view value,
                                 WasmFeatures& features);

// Applies `--profile STRATEGY` (wasmtime's spelling; only perfmap) to `config`; returns what is
// wrong with the value, or an empty string.
std::string apply_profile_option(std::string_view value, Config& config);

// Unsigned decimal or 0x hex; fails on anything else or overflow.
std::optional<uint64_t> parse_u64(std::string_view text);
// A positive duration as wasmtime writes it: one or more NUMBER UNIT parts, units ns, us, ms,
// s, m, h (`500ms`, `2s`, `1m30s`); a bare number is seconds. Fails on zero or overflow.
std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text);
// A Wasm value of type `type` from text: integers decimal or 0x hex, optionally negative, in
// the signed or unsigned range of the type; floats decimal or hex, `nan`, `inf`, `-0`; `null`
// for references.
std::optional<Value> parse_value(ValType type, std::string_view text);

}  // namespace tern::cli
