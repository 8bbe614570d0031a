// The binary format's encodings (spec binary/*.rst): LEB128 integers, floats, names, and the
// sections of a module in their required order.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/composite_type.h"
#include "tern/types.h"

namespace tern::text {

using Bytes = std::vector<uint8_t>;

class ByteWriter {
 public:
  void u8(uint8_t b) { bytes_.push_back(b); }
  void u32(uint32_t v);            // unsigned LEB128
  void s32(int32_t v) { s64(v); }  // signed LEB128
  void s64(int64_t v);
  void f32(uint32_t bits) { fixed(bits, 4); }
  void f64(uint64_t bits) { fixed(bits, 8); }
  void raw(const Bytes& b) { bytes_.insert(bytes_.end(), b.begin(), b.end()); }
  void raw(std::string_view b) { bytes_.insert(bytes_.end(), b.begin(), b.end()); }
  void name(std::string_view s);  // length-prefixed bytes
  void val_type(ValType t);
  void heap_type(ValType t);  // the heap type of reference type `t` (ref.null's immediate)
  void func_type(const FuncType& t);
  void field_type(const FieldType& f);
  void u64(uint64_t v);  // unsigned LEB128
  // Limits with their address type: flag 0x04 and u64 bounds for i64 (memory64).
  void limits(const Limits& l, AddrType addr = AddrType::I32);

  const Bytes& bytes() const { return bytes_; }
  Bytes take() { return std::move(bytes_); }

 private:
  void fixed(uint64_t v, int n);
  Bytes bytes_;
};

// A type definition's place in the type section: `rec` groups and `sub` (binary/modules.rst).
struct TypeDefText {
  bool starts_rec = false;  // the first member of an explicit `rec` group
  uint32_t group_size = 1;
  bool sub = false;  // written as `sub`/`sub final` rather than a bare composite type
  bool final = true;
  std::vector<uint32_t> supertypes;
  CompositeKind kind = CompositeKind::Func;  // a struct or array type has its fields here
  std::vector<FieldType> fields;
};

// A module's contents, each entry already encoded, ready to be framed into sections.
struct ModuleSections {
  std::vector<FuncType> types;
  // Per entry of types; a plain `(func ...)` when missing. A struct or array type's entry in
  // types is empty.
  std::vector<TypeDefText> type_defs;
  std::vector<Bytes> imports;
  std::vector<uint32_t> funcs;  // type index of each defined function
  std::vector<Bytes> tables, memories, globals, exports, elems, codes, datas;
  std::vector<Bytes> tags;  // exception handling: the tag section
  std::optional<uint32_t> start;
  bool needs_data_count = false;  // memory.init or data.drop is used
  // Functions' identifiers (without `$`) by index, ascending: the name section, so that
  // backtraces of modules written as text name their functions.
  std::vector<std::pair<uint32_t, std::string>> func_names;

  Bytes encode() const;
};

}  // namespace tern::text
