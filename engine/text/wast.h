// The text format: .wat modules and .wast scripts. Text modules are encoded to the binary
// format, so they take the same decoder and validator path as .wasm files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tern/error.h"
#include "tern/value.h"

namespace tern::text {

// Parses one module, `(module …)` or the bare fields of one, and encodes it to the binary
// format. Errors are ErrorKind::Malformed with the byte offset in `source` (and line:column in
// the message).
Result<std::vector<uint8_t>> wat_to_binary(std::string_view source);

// `ref.extern N` in scripts: an externref whose payload is N+1, so N=0 is not null.
inline Value extern_ref(uint32_t n) {
  return Value::externref(reinterpret_cast<Ref>(uintptr_t(n) + 1));
}

// A module in a script.
struct ScriptModule {
  enum class Form : uint8_t { Text, Binary, Quote } form = Form::Text;
  std::optional<std::string> id;      // `$name`
  std::vector<uint8_t> binary;        // Text and Binary forms, when `encode_error` is empty
  std::optional<Error> encode_error;  // a Text module the encoder rejected
  std::string quote;                  // Quote form: the concatenated strings, to parse later
  uint32_t line = 0;
};

struct Action {
  enum class Kind : uint8_t { Invoke, Get } kind = Kind::Invoke;
  std::optional<std::string> module_id;  // the most recent module when empty
  std::string field;
  std::vector<Value> args;
};

enum class NanKind : uint8_t { None, Canonical, Arithmetic };

struct ResultPattern {
  ValType type = ValType::I32;
  Value value;                  // the exact value, when no NaN pattern applies
  NanKind nan = NanKind::None;  // f32/f64: nan:canonical / nan:arithmetic
  bool any_ref = false;         // `(ref.func)` or `(ref.extern)` without an index: any non-null
  // v128 written as `v128.const f32x4 …`/`f64x2 …` may hold NaN patterns per lane.
  uint8_t lane_count = 0;  // 0 when not a float-lane v128 pattern
  uint8_t lane_bits = 0;   // 32 or 64
  NanKind lane_nan[4] = {NanKind::None, NanKind::None, NanKind::None, NanKind::None};
};

struct Command {
  enum class Kind : uint8_t {
    Module,    // define and instantiate
    Register,  // (register "name" $id?)
    Action,    // a bare invoke / get
    AssertReturn,
    AssertTrap,  // action, or module (instantiation traps)
    AssertExhaustion,
    AssertInvalid,
    AssertMalformed,
    AssertUnlinkable,
    AssertUninstantiable,
  } kind = Kind::Module;
  uint32_t line = 0;
  ScriptModule module;      // Module and the module assertions
  bool has_module = false;  // AssertTrap on a module instead of an action
  Action action;
  std::vector<ResultPattern> expected;  // AssertReturn
  std::string message;                  // the failure text the assertion expects
  std::string register_name;            // Register
  std::optional<std::string> register_id;
};

struct Script {
  std::vector<Command> commands;
};

// Parses a whole script. Only a script that is not well-formed S-expressions fails as a whole;
// a text module inside it that the encoder rejects is kept with its `encode_error`.
Result<Script> parse_wast(std::string_view source);

}  // namespace tern::text
