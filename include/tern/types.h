// Wasm types as the embedding API and every engine phase see them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

// Value types. A number or vector type is its binary-format byte. A reference type is the byte of
// its heap type's abstract shorthand (0x70 func, 0x6F extern, 0x69 exn, ...; binary/types.rst)
// plus two flags: kNonNull, and kConcrete with a type index of the module in the bits above.
// So the nullable abstract references keep their byte (FuncRef is `(ref null func)`) and the
// spellings ValType::FuncRef/ExternRef/ExnRef mean what they did before typed references.
enum class ValType : uint32_t {
  I32 = 0x7F,
  I64 = 0x7E,
  F32 = 0x7D,
  F64 = 0x7C,
  V128 = 0x7B,
  FuncRef = 0x70,
  ExternRef = 0x6F,
  ExnRef = 0x69,  // exception handling: a caught exception (exnref)
};

// The abstract heap types, by their binary byte. A concrete (indexed) heap type is stored with
// Func as its byte and the kConcrete flag, whatever its kind: a struct or array type's index is
// told apart by the module's types (engine/subtyping.h), since a type may be used before it is
// defined (GC's recursion groups).
enum class HeapKind : uint8_t {
  Func = 0x70,
  Extern = 0x6F,
  Any = 0x6E,
  Eq = 0x6D,
  I31 = 0x6C,
  Struct = 0x6B,
  Array = 0x6A,
  Exn = 0x69,
  None = 0x71,
  NoExtern = 0x72,
  NoFunc = 0x73,
  NoExn = 0x74,
};

namespace reftype_bits {
constexpr uint32_t kNonNull = 0x100;
constexpr uint32_t kConcrete = 0x200;
constexpr uint32_t kIndexShift = 10;
constexpr uint32_t kMaxIndex = (uint32_t(1) << (32 - kIndexShift)) - 1;
}  // namespace reftype_bits

inline HeapKind heap_kind(ValType t) {
  return HeapKind(uint32_t(t) & 0xFF);
}
inline bool is_num(ValType t) {
  return t == ValType::I32 || t == ValType::I64 || t == ValType::F32 || t == ValType::F64;
}
inline bool is_ref(ValType t) {
  uint32_t b = uint32_t(t) & 0xFF;
  return b >= uint32_t(HeapKind::Exn) && b <= uint32_t(HeapKind::NoExn);
}
inline bool is_nullable(ValType t) {
  return !(uint32_t(t) & reftype_bits::kNonNull);
}
inline bool is_concrete(ValType t) {
  return uint32_t(t) & reftype_bits::kConcrete;
}
inline uint32_t ref_type_index(ValType t) {
  return uint32_t(t) >> reftype_bits::kIndexShift;
}
inline ValType ref_type(HeapKind h, bool nullable) {
  return ValType(uint32_t(h) | (nullable ? 0 : reftype_bits::kNonNull));
}
// `(ref null? index)`: a reference to the module's type `index`.
inline ValType ref_to_type(uint32_t index, bool nullable) {
  return ValType(uint32_t(HeapKind::Func) | reftype_bits::kConcrete |
                 (index << reftype_bits::kIndexShift) | (nullable ? 0 : reftype_bits::kNonNull));
}
inline ValType as_nullable(ValType t) {
  return ValType(uint32_t(t) & ~reftype_bits::kNonNull);
}
inline ValType as_non_null(ValType t) {
  return is_ref(t) ? ValType(uint32_t(t) | reftype_bits::kNonNull) : t;
}
// The type a tier stores a value as: a reference becomes the nullable top of its hierarchy
// (FuncRef, ExternRef, ExnRef, or anyref for the GC types); other types stay. A concrete type
// counts as a function type, since its ValType does not say its kind: the runtime reports a
// struct or array type's values to the embedder as (ref struct) or (ref array) instead.
ValType storage_type(ValType t);
const char* name_of(ValType t);    // "i32", "funcref", "(ref func)", "(ref null $type)", ...
std::string to_string(ValType t);  // as name_of, with a concrete type's index: "(ref 3)"

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
};
std::string to_string(const FuncType& t);  // "(i32 i64) -> (f32)"

// The type of the addresses of a memory or the indices of a table: i32, or i64 with the
// memory64 proposal.
enum class AddrType : uint8_t { I32, I64 };
inline ValType valtype_of(AddrType a) {
  return a == AddrType::I64 ? ValType::I64 : ValType::I32;
}

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool operator==(const Limits&) const = default;
};

struct TableType {
  ValType elem = ValType::FuncRef;
  Limits limits;
  AddrType addr = AddrType::I32;
  bool operator==(const TableType&) const = default;
};

struct MemoryType {
  Limits limits;  // in 64 KiB pages
  AddrType addr = AddrType::I32;
  bool operator==(const MemoryType&) const = default;
};

struct GlobalType {
  ValType type = ValType::I32;
  bool mut = false;
  bool operator==(const GlobalType&) const = default;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };
const char* name_of(ExternKind k);

constexpr uint64_t kPageSize = 65536;
constexpr uint64_t kMaxPages32 = 65536;              // 4 GiB
constexpr uint64_t kMaxPages64 = uint64_t(1) << 48;  // 2^64 bytes

}  // namespace tern

#pragma GCC visibility pop
