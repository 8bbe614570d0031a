// Errors are values at every boundary: what went wrong, where (byte offset) and which rule.
#pragma once

#include <tern/detail.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

enum class TrapCode : uint8_t {
  Unreachable,
  MemoryOutOfBounds,
  TableOutOfBounds,
  UndefinedElement,      // call_indirect index past the table's end
  UninitializedElement,  // call_indirect through a null entry
  IndirectCallTypeMismatch,
  IntegerDivideByZero,
  IntegerOverflow,
  InvalidConversionToInteger,
  CallStackExhausted,
  NullReference,
  OutOfFuel,
  Interrupted,
  HostError,  // a host function failed; the message says why
  Exit,       // the guest asked to exit (WASI proc_exit); exit_code holds the status
  Exception,  // not a trap: a Wasm exception in flight (Trap::exception); never catchable as one
  NullFunctionReference,  // call_ref or return_call_ref through a null reference
  NullI31Reference,       // i31.get_s or i31.get_u of a null reference
  CastFailure,            // ref.cast of a reference not of the target type
  NullStructReference,    // a struct access through a null reference
  NullArrayReference,     // an array access through a null reference
  ArrayOutOfBounds,       // an array access past the array's length
  GcHeapExhausted,        // a GC allocation past StoreLimits::gc_heap_bytes
};

// The spec's wording for each trap ("integer divide by zero", ...).
const char* trap_message(TrapCode code);

struct BacktraceFrame {
  uint32_t func_index = 0;
  std::string func_name;                   // from the name section, or empty
  std::string module_name;                 // from the name section, or empty
  std::optional<uint32_t> code_offset;     // byte offset of the instruction in the module, if known
  std::optional<uint32_t> body_offset;     // byte offset of the function's body (defined functions)
  const rt::Instance* instance = nullptr;  // the function's instance, as an identity (the C API's
                                           // wasm_frame_instance maps it back); null for host
};

struct Trap {
  TrapCode code = TrapCode::Unreachable;
  std::string message;
  std::vector<BacktraceFrame> backtrace;  // innermost frame first
  int exit_code = 0;                      // for TrapCode::Exit
  // For TrapCode::Exception: the exception object (owned by its store, valid while the store
  // lives; tern::Exn::from_error reads it). Tiers pass it up like a trap until a handler
  // catches it.
  rt::ExnInstance* exception = nullptr;
};

enum class ErrorKind : uint8_t {
  Malformed,   // the bytes (or text) do not follow the format
  Invalid,     // well formed but fails validation
  Unlinkable,  // imports do not match
  Trap,        // a trap while running (including during instantiation)
  Limit,       // an embedder-set resource limit
  Io,          // reading a file failed
  Exception,   // a Wasm exception (exception handling) left the outermost Wasm frame uncaught
};

// "malformed", "invalid", "unlinkable", "trap", "limit", "io", "exception".
const char* to_string(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::Invalid;
  std::string message;             // the rule broken, e.g. "type mismatch"
  std::optional<uint64_t> offset;  // byte offset in the module (or text) where it was found
  std::optional<tern::Trap> trap;  // for ErrorKind::Trap

  static Error malformed(std::string msg, std::optional<uint64_t> at = std::nullopt) {
    return {ErrorKind::Malformed, std::move(msg), at, {}};
  }
  static Error invalid(std::string msg, std::optional<uint64_t> at = std::nullopt) {
    return {ErrorKind::Invalid, std::move(msg), at, {}};
  }
  static Error unlinkable(std::string msg) {
    return {ErrorKind::Unlinkable, std::move(msg), {}, {}};
  }
  // A trap, or (TrapCode::Exception) an uncaught Wasm exception, whose kind is Exception.
  static Error from_trap(tern::Trap t) {
    Error e{
        t.code == TrapCode::Exception ? ErrorKind::Exception : ErrorKind::Trap, t.message, {}, {}};
    e.trap = std::move(t);
    return e;
  }

  // "invalid at offset 0x1a: type mismatch" style text.
  std::string to_string() const;
};

// Result<T>: a T or an Error. Result<void> carries only success or the Error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T v) : v_(std::move(v)) {}
  Result(Error e) : v_(std::move(e)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const Error& error() const { return std::get<1>(v_); }
  Error&& take_error() { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  // User-provided, so that `return {};` does not zero the whole (large, disengaged) Error first:
  // on a short call that memset was a third of the cost.
  Result() {}
  Result(Error e) : e_(std::move(e)) {}
  bool ok() const { return !e_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *e_; }
  Error&& take_error() { return std::move(*e_); }

 private:
  std::optional<Error> e_;
};

// Propagates an error out of the current function: TERN_TRY(r) where r is a Result.
#define TERN_TRY(expr)                                                \
  do {                                                                \
    auto&& tern_try_result_ = (expr);                                 \
    if (!tern_try_result_.ok()) return tern_try_result_.take_error(); \
  } while (0)

}  // namespace tern

#pragma GCC visibility pop
