// What the binary decoder produces: the sections of one module, structurally checked, with
// function bodies kept as byte ranges for the validator to read. Indices follow the spec:
// imported functions/tables/memories/globals come first in each index space.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/composite_type.h"
#include "engine/opcodes.h"
#include "tern/config.h"
#include "tern/types.h"
#include "tern/value.h"

namespace tern {

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t func_type = 0;  // type index, for ExternKind::Func
  TableType table;
  MemoryType memory;
  GlobalType global;
  uint32_t tag_type = 0;  // type index, for ExternKind::Tag
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

// One instruction of a constant expression. 2.0 allows t.const, ref.null, ref.func and
// global.get; the validator checks which are allowed where.
struct ConstInstr {
  Opcode op = Opcode::I32Const;
  uint64_t bits = 0;                    // i32/i64/f32/f64 payload, the func/global index, or a
                                        // GC instruction's type index
  V128 v128{};                          // for v128.const
  ValType ref_type = ValType::FuncRef;  // for ref.null
  uint32_t index2 = 0;                  // GC: array.new_fixed's length
  uint32_t offset = 0;                  // byte offset in the module, for diagnostics
};
struct ConstExpr {
  std::vector<ConstInstr> instrs;  // without the final end
  uint32_t offset = 0;
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Active;
  uint32_t table = 0;
  ConstExpr offset;  // Active only
  ValType type = ValType::FuncRef;
  std::vector<ConstExpr> inits;  // function-index encodings become ref.func expressions
  uint32_t offset_in_module = 0;
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Active;  // never Declarative
  uint32_t memory = 0;
  ConstExpr offset;         // Active only
  uint32_t data_start = 0;  // byte range of the contents in ModuleInfo::bytes
  uint32_t data_size = 0;
  uint32_t offset_in_module = 0;
};

// A defined function's body: the byte range [start, start+size) in ModuleInfo::bytes that holds
// its local declarations and code (after the body-size prefix).
struct FuncBody {
  uint32_t start = 0;
  uint32_t size = 0;
};

struct CustomSection {
  std::string name;
  uint32_t start = 0;  // contents, after the name
  uint32_t size = 0;
};

// A type index's place in the type section (binary/modules.rst, rec and sub): the recursion group
// it belongs to, whether it is final, its declared supertype, and its composite type. A type
// outside an explicit `rec` is a group of one. A function type's signature is in
// ModuleInfo::types; a struct or array type has an empty entry there and its fields here.
struct TypeDef {
  uint32_t group_start = 0;
  uint32_t group_size = 1;
  bool final = true;
  CompositeKind kind = CompositeKind::Func;
  uint32_t super = kNoSuper;      // the declared supertype's index
  uint32_t num_supers = 0;        // as declared: validation allows at most one
  std::vector<FieldType> fields;  // a struct's fields, or an array's one element
};

struct ModuleInfo {
  std::vector<uint8_t> bytes;  // the whole binary module, owned
  ModuleLimits limits;         // the implementation limits it was decoded under
  WasmFeatures features;       // the proposals it may use

  std::vector<FuncType> types;
  // Empty while every type is plain (a function type alone in its group, final, without
  // supertypes; type_def answers for those), else one per entry of types.
  std::vector<TypeDef> type_defs;
  // Per type index, a class number that two indices share iff their types are equal under
  // iso-recursive equivalence (engine/type_canon.h); filled by the decoder.
  std::vector<uint32_t> type_classes;
  std::vector<Import> imports;

  // Index spaces, imports first.
  std::vector<uint32_t> funcs;  // type index of every function
  std::vector<TableType> tables;
  std::vector<MemoryType> memories;
  std::vector<GlobalType> globals;
  std::vector<uint32_t> tags;  // type index of every tag (exception handling)
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;
  uint32_t num_imported_tags = 0;

  std::vector<ConstExpr> global_inits;  // one per defined global
  // One per defined table: its initializer expression; without instructions when the table
  // has none (its elements start null).
  std::vector<ConstExpr> table_inits;
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::optional<uint32_t> data_count;
  std::vector<DataSegment> datas;
  std::vector<FuncBody> bodies;  // one per defined function
  std::vector<CustomSection> customs;

  // declared_funcs[i]: function i may be named by ref.func inside code, because an element
  // segment, an export or a constant expression references it (valid/modules.rst, C.refs).
  // Filled by the decoder.
  std::vector<bool> declared_funcs;

  // From the "name" custom section, when present and well formed (a bad name section is
  // ignored, as the spec's appendix allows).
  std::string module_name;
  std::unordered_map<uint32_t, std::string> func_names;

  TypeDef type_def(uint32_t index) const {
    if (index < type_defs.size()) return type_defs[index];
    TypeDef plain;
    plain.group_start = index;
    return plain;
  }
  CompositeKind type_kind(uint32_t index) const {
    return index < type_defs.size() ? type_defs[index].kind : CompositeKind::Func;
  }
  bool is_func_type(uint32_t index) const {
    return index < types.size() && type_kind(index) == CompositeKind::Func;
  }
  uint32_t num_defined_funcs() const { return uint32_t(funcs.size()) - num_imported_funcs; }
  const FuncType& func_type(uint32_t func_index) const { return types[funcs[func_index]]; }
  std::span<const uint8_t> body_bytes(uint32_t defined_index) const {
    const FuncBody& b = bodies[defined_index];
    return {bytes.data() + b.start, b.size};
  }
};

}  // namespace tern
