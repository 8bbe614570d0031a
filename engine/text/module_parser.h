// Text modules (spec text/modules.rst, text/instructions.rst) parsed in two passes: the first
// collects every identifier and explicit type so fields may refer forward; the second encodes
// each field into ModuleSections, appending implicit types for inline type uses.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/opcodes.h"
#include "engine/text/binary_writer.h"
#include "engine/text/token_cursor.h"
#include "tern/value.h"

namespace tern::text {

// One index space and the identifiers bound in it.
class IndexSpace {
 public:
  explicit IndexSpace(const char* kind) : kind_(kind) {}
  // Binds the next index to `id` (if any); "duplicate <kind>" if it is already bound.
  uint32_t add(const TokenCursor& c, std::optional<std::string_view> id);
  // Reads an index: a u32 literal or a bound identifier ("unknown <kind>" otherwise).
  uint32_t resolve(TokenCursor& c) const;
  uint32_t size() const { return count_; }
  // The bound identifiers (without `$`) by index, ascending.
  std::vector<std::pair<uint32_t, std::string>> names() const;
  void clear() {
    ids_.clear();
    count_ = 0;
  }

 private:
  const char* kind_;
  std::unordered_map<std::string, uint32_t> ids_;
  uint32_t count_ = 0;
};

// True if the token can be an index: a number or an identifier.
bool is_index_token(const Token& t);

// `i8x16 …` through `f64x2 …` after v128.const.
V128 parse_v128_literal(TokenCursor& c);

class ModuleParser {
 public:
  explicit ModuleParser(TokenCursor& c) : c_(c) {}
  // Parses fields up to the closing `)` or end of input (not consumed) and encodes them.
  Bytes parse_fields();

 private:
  using ParamIds = std::vector<std::optional<std::string>>;
  struct ElemSegment;

  // module_parser.cpp: fields.
  void collect_field();
  void encode_field();
  void import_field();
  void func_field();
  void table_field();
  void memory_field();
  void global_field();
  void export_field();
  void start_field();
  void elem_field();
  void data_field();
  void tag_field();
  void note_definition(const char* kind);
  void note_import(const Token& at);
  IndexSpace& space_for(std::string_view kind);
  void inline_exports(ExternKind kind, uint32_t index);
  std::optional<std::pair<std::string, std::string>> inline_import();
  Bytes import_entry(const std::pair<std::string, std::string>& names, ExternKind kind,
                     const Bytes& desc);
  // `ids` receives the parameter names; null where names are not allowed.
  FuncType signature(ParamIds* ids);
  uint32_t type_use(ParamIds* ids);
  uint32_t type_index_of(const FuncType& t);
  AddrType addr_type();  // an optional `i32` or `i64` before limits (memory64)
  Limits limits();
  Bytes table_type();
  Bytes memory_type();
  Bytes global_type();
  Bytes const_expr_form(const char* keyword);
  Bytes encode_elem(const ElemSegment& s);

  // type_parser.cpp: value types (with typed references) and type definitions.
  std::optional<ValType> take_val_type();
  ValType expect_val_type();
  ValType expect_ref_type();
  ValType expect_heap_type(bool nullable);  // a reference to the heap type that follows
  FieldType field_type();                   // `(mut storagetype)` or `storagetype`
  void struct_fields(TypeDefText& def, IndexSpace& names);
  // A field index of struct type `type`: a number, or an identifier its definition bound.
  uint32_t field_index(uint32_t type);
  void collect_types();
  void type_definitions();
  // Where pass 1 found each type definition (after `(type $id?`), and its recursion group.
  struct TypeSource {
    size_t position;
    uint32_t group_start;
    uint32_t group_size;
    bool starts_rec;
  };
  std::vector<TypeSource> type_sources_;
  std::vector<IndexSpace> field_names_;  // per explicit type definition: its fields' identifiers

  // instr_parser.cpp: instructions.
  void instrs(ByteWriter& out);
  void folded_instr(ByteWriter& out);
  void plain_instr(ByteWriter& out);
  void block_instr(Opcode op, ByteWriter& out, bool folded);
  // instr_parser_exceptions.cpp: try_table and the legacy try, plain and folded.
  void try_table_instr(ByteWriter& out, bool folded);
  void try_instr(ByteWriter& out, bool folded);
  void catch_clauses(ByteWriter& out);
  Bytes tag_type();
  void block_type(ByteWriter& out);
  void end_label(const std::optional<std::string>& label);
  void operation(Opcode op, ByteWriter& out);
  void immediates(Opcode op, ByteWriter& out);
  uint32_t label_index();
  void mem_arg(const OpcodeInfo& info, ByteWriter& out, bool lane_follows);
  uint32_t memory_index();  // an optional memory index (0 when absent)
  uint8_t lane_index();
  // instr_parser_gc.cpp: ref.test, ref.cast and br_on_cast, whose reference types decide their
  // encoding.
  void cast_instr(Opcode op, ByteWriter& out);
  Bytes const_expr();  // instructions up to `)`, then `end`

  TokenCursor& c_;
  ModuleSections out_;
  IndexSpace types_{"type"}, funcs_{"func"}, tables_{"table"}, memories_{"memory"},
      globals_{"global"}, elems_{"elem"}, datas_{"data"}, locals_{"local"}, tags_{"tag"};
  const char* first_definition_ = nullptr;  // imports must precede all definitions
  // Pass 2 counters: the index the next field of each kind gets.
  uint32_t next_func_ = 0, next_table_ = 0, next_memory_ = 0, next_global_ = 0, next_tag_ = 0;
  std::vector<std::optional<std::string>> labels_;  // innermost last
  // Instructions nest by recursion; deeper nesting than this is rejected, not a stack overflow.
  static constexpr unsigned kMaxNesting = 2000;
  unsigned nesting_ = 0;
  class NestingGuard;
};

// Counts one level of instruction nesting while it lives.
class ModuleParser::NestingGuard {
 public:
  explicit NestingGuard(ModuleParser& p) : p_(p) {
    if (++p_.nesting_ > kMaxNesting) p_.c_.fail("nesting too deep");
  }
  ~NestingGuard() { --p_.nesting_; }

 private:
  ModuleParser& p_;
};

}  // namespace tern::text
