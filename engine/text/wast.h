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

// `ref.extern N` in scripts: an externref whose payload is (N+1)*8, so N=0 is not null and the
// value is aligned as a host pointer is: a set low bit would make it an i31 once converted into
// the any hierarchy (engine/runtime/i31.h).
inline Value extern_ref(uint32_t n) {
  return Value::externref(reinterpret_cast<Ref>((uintptr_t(n) + 1) * 8));
}
// `ref.host N`: the host reference `ref.extern N` as a value of the any hierarchy. It holds the
// host reference's bits until the runner converts it as any.convert_extern does (boxing it in
// the store's GC heap) before passing it to wasm.
inline Value host_ref(uint32_t n) {
  return Value::ref(ref_type(HeapKind::Any, false), extern_ref(n).ref());
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
  // Why an argument cannot be passed (a reference Tern has no value for, e.g. `ref.host 1`
  // or `ref.null any` before GC); the action then fails with this text.
  std::string unsupported_arg;
};

enum class NanKind : uint8_t { None, Canonical, Arithmetic };

// The reference hierarchies a result pattern can name (a heap type's top type).
enum class RefHierarchy : uint8_t { Unspecified, Func, Extern, Exn, Gc };

// The hierarchy of a reference type Tern has values of; nullopt for number and vector types.
inline std::optional<RefHierarchy> hierarchy_of(ValType type) {
  ValType t = storage_type(type);  // (ref $f) and nullfuncref are of func's hierarchy, ...
  if (t == ValType::FuncRef) return RefHierarchy::Func;
  if (t == ValType::ExternRef) return RefHierarchy::Extern;
  if (t == ValType::ExnRef) return RefHierarchy::Exn;
  if (t == ref_type(HeapKind::Any, true)) return RefHierarchy::Gc;  // only null, before GC runs
  return std::nullopt;
}

// The type of the null reference of `h`, when Tern has values of that hierarchy.
inline std::optional<ValType> null_type_of(RefHierarchy h) {
  if (h == RefHierarchy::Func) return ValType::FuncRef;
  if (h == RefHierarchy::Extern) return ValType::ExternRef;
  if (h == RefHierarchy::Exn) return ValType::ExnRef;
  if (h == RefHierarchy::Gc) return ref_type(HeapKind::Any, true);
  return std::nullopt;
}

struct ResultPattern {
  // How a reference pattern matches; Exact compares `value` (numbers, vectors, `ref.extern N`).
  enum class Ref : uint8_t {
    Exact,
    Null,     // `ref.null HEAP`: the null of `hierarchy` (any null for `ref.null` or a type index)
    NonNull,  // `ref.func`, `ref.extern`, `ref.array`, …: any non-null reference of `hierarchy`
  } ref = Ref::Exact;
  RefHierarchy hierarchy = RefHierarchy::Unspecified;
  std::string ref_text;  // a Null/NonNull pattern as written, e.g. "ref.null exn"
  ValType type = ValType::I32;
  Value value;                  // the exact value, when no NaN pattern applies
  NanKind nan = NanKind::None;  // f32/f64: nan:canonical / nan:arithmetic
  // `(either r1 r2 …)`: matches when one of these does (the other fields are unused).
  std::vector<ResultPattern> alternatives;
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
    AssertException,   // an action that ends with an uncaught Wasm exception
    ModuleDefinition,  // (module definition $id? …): compile only
    ModuleInstance,    // (module instance $instance? $definition?): instantiate a definition
  } kind = Kind::Module;
  uint32_t line = 0;
  ScriptModule module;      // Module and the module assertions
  bool has_module = false;  // AssertTrap on a module instead of an action
  Action action;
  std::vector<ResultPattern> expected;  // AssertReturn
  std::string message;                  // the failure text the assertion expects
  std::string register_name;            // Register
  std::optional<std::string> register_id;
  std::optional<std::string> instance_id;    // ModuleInstance: the instance's name
  std::optional<std::string> definition_id;  // ModuleInstance: the latest definition when empty
};

struct Script {
  std::vector<Command> commands;
};

// Parses a whole script. Only a script that is not well-formed S-expressions fails as a whole;
// a text module inside it that the encoder rejects is kept with its `encode_error`.
Result<Script> parse_wast(std::string_view source);

}  // namespace tern::text
