// Wasm types as the embedding API and every engine phase see them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

// Value types, encoded as their binary-format byte so the decoder maps them 1:1.
enum class ValType : uint8_t {
  I32 = 0x7F,
  I64 = 0x7E,
  F32 = 0x7D,
  F64 = 0x7C,
  V128 = 0x7B,
  FuncRef = 0x70,
  ExternRef = 0x6F,
  ExnRef = 0x69,  // exception handling: a caught exception (exnref)
};

inline bool is_num(ValType t) {
  return t == ValType::I32 || t == ValType::I64 || t == ValType::F32 || t == ValType::F64;
}
inline bool is_ref(ValType t) {
  return t == ValType::FuncRef || t == ValType::ExternRef || t == ValType::ExnRef;
}
const char* name_of(ValType t);  // "i32", "funcref", ...

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
