// Names and printing for the core types.
#include "tern/types.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "tern/error.h"
#include "tern/value.h"

namespace tern {

namespace {

// The text name of an abstract heap type.
const char* heap_name(HeapKind h) {
  switch (h) {
    case HeapKind::Func:
      return "func";
    case HeapKind::Extern:
      return "extern";
    case HeapKind::Any:
      return "any";
    case HeapKind::Eq:
      return "eq";
    case HeapKind::I31:
      return "i31";
    case HeapKind::Struct:
      return "struct";
    case HeapKind::Array:
      return "array";
    case HeapKind::Exn:
      return "exn";
    case HeapKind::None:
      return "none";
    case HeapKind::NoExtern:
      return "noextern";
    case HeapKind::NoFunc:
      return "nofunc";
    case HeapKind::NoExn:
      return "noexn";
  }
  return "?";
}

}  // namespace

ValType storage_type(ValType t) {
  if (!is_ref(t)) return t;
  switch (heap_kind(t)) {
    case HeapKind::Func:
    case HeapKind::NoFunc:
      return ValType::FuncRef;
    case HeapKind::Extern:
    case HeapKind::NoExtern:
      return ValType::ExternRef;
    case HeapKind::Exn:
    case HeapKind::NoExn:
      return ValType::ExnRef;
    default:
      return ref_type(HeapKind::Any, true);
  }
}

const char* name_of(ValType t) {
  switch (t) {
    case ValType::I32:
      return "i32";
    case ValType::I64:
      return "i64";
    case ValType::F32:
      return "f32";
    case ValType::F64:
      return "f64";
    case ValType::V128:
      return "v128";
    case ValType::FuncRef:
      return "funcref";
    case ValType::ExternRef:
      return "externref";
    case ValType::ExnRef:
      return "exnref";
  }
  if (!is_ref(t)) return "<unknown type>";
  if (is_concrete(t)) return is_nullable(t) ? "(ref null $type)" : "(ref $type)";
  // The other abstract references: one static name each.
  static const struct Names {
    std::string text[2][256];
    Names() {
      for (uint32_t b = uint32_t(HeapKind::Exn); b <= uint32_t(HeapKind::NoExn); ++b) {
        std::string h = heap_name(HeapKind(b));
        text[0][b] = "(ref null " + h + ")";
        text[1][b] = "(ref " + h + ")";
      }
    }
  } names;
  return names.text[is_nullable(t) ? 0 : 1][uint32_t(t) & 0xFF].c_str();
}

std::string to_string(ValType t) {
  if (!is_ref(t) || !is_concrete(t)) return name_of(t);
  return std::string(is_nullable(t) ? "(ref null " : "(ref ") + std::to_string(ref_type_index(t)) +
         ")";
}

const char* name_of(ExternKind k) {
  switch (k) {
    case ExternKind::Func:
      return "func";
    case ExternKind::Table:
      return "table";
    case ExternKind::Memory:
      return "memory";
    case ExternKind::Global:
      return "global";
    case ExternKind::Tag:
      return "tag";
  }
  return "<unknown kind>";
}

std::string to_string(const FuncType& t) {
  auto list = [](const std::vector<ValType>& v) {
    std::string s = "(";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? " " : "") + to_string(v[i]);
    return s + ")";
  };
  return list(t.params) + " -> " + list(t.results);
}

namespace {

// Shortest text that reads back to the same float: std::to_chars gives exactly that.
template <class F>
std::string float_text(F f) {
  if (std::isnan(f)) return std::signbit(f) ? "-nan" : "nan";
  if (std::isinf(f)) return std::signbit(f) ? "-inf" : "inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, f);
  return std::string(buf, r.ptr);
}

}  // namespace

std::string to_string(const Value& v) {
  switch (storage_type(v.type())) {
    case ValType::I32:
      return std::to_string(v.i32());
    case ValType::I64:
      return std::to_string(v.i64());
    case ValType::F32:
      return float_text(v.f32());
    case ValType::F64:
      return float_text(v.f64());
    case ValType::V128: {
      std::string s = "0x";
      char buf[3];
      for (int i = 15; i >= 0; --i) {
        std::snprintf(buf, sizeof buf, "%02x", v.v128().bytes[i]);
        s += buf;
      }
      return s;
    }
    case ValType::FuncRef:
    case ValType::ExternRef:
    case ValType::ExnRef: {
      if (v.is_null()) return "null";
      char buf[32];
      const char* kind = heap_name(heap_kind(storage_type(v.type())));
      std::snprintf(buf, sizeof buf, "%s:%p", kind, v.ref());
      return buf;
    }
  }
  return "?";
}

const char* trap_message(TrapCode code) {
  switch (code) {
    case TrapCode::Unreachable:
      return "unreachable";
    case TrapCode::MemoryOutOfBounds:
      return "out of bounds memory access";
    case TrapCode::TableOutOfBounds:
      return "out of bounds table access";
    case TrapCode::UndefinedElement:
      return "undefined element";
    case TrapCode::UninitializedElement:
      return "uninitialized element";
    case TrapCode::IndirectCallTypeMismatch:
      return "indirect call type mismatch";
    case TrapCode::IntegerDivideByZero:
      return "integer divide by zero";
    case TrapCode::IntegerOverflow:
      return "integer overflow";
    case TrapCode::InvalidConversionToInteger:
      return "invalid conversion to integer";
    case TrapCode::CallStackExhausted:
      return "call stack exhausted";
    case TrapCode::NullReference:
      return "null reference";
    case TrapCode::NullFunctionReference:
      return "null function reference";
    case TrapCode::NullI31Reference:
      return "null i31 reference";
    case TrapCode::CastFailure:
      return "cast failure";
    case TrapCode::NullStructReference:
      return "null structure reference";
    case TrapCode::NullArrayReference:
      return "null array reference";
    case TrapCode::ArrayOutOfBounds:
      return "out of bounds array access";
    case TrapCode::GcHeapExhausted:
      return "allocation failed: GC heap limit";
    case TrapCode::OutOfFuel:
      return "all fuel consumed";
    case TrapCode::Interrupted:
      return "interrupted";
    case TrapCode::HostError:
      return "host function error";
    case TrapCode::Exit:
      return "exit";
    case TrapCode::Exception:
      return "uncaught exception";
  }
  return "unknown trap";
}

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Malformed:
      return "malformed";
    case ErrorKind::Invalid:
      return "invalid";
    case ErrorKind::Unlinkable:
      return "unlinkable";
    case ErrorKind::Trap:
      return "trap";
    case ErrorKind::Limit:
      return "limit";
    case ErrorKind::Io:
      return "io";
    case ErrorKind::Exception:
      return "exception";
  }
  return "unknown";
}

std::string Error::to_string() const {
  if (kind == ErrorKind::Io) return message;  // it says what failed; a kind would add nothing
  std::string s = tern::to_string(kind);
  if (offset) {
    char buf[32];
    std::snprintf(buf, sizeof buf, " at offset 0x%llx", static_cast<unsigned long long>(*offset));
    s += buf;
  }
  return s + ": " + message;
}

}  // namespace tern
