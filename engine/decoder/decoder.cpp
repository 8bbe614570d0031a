// The binary decoder (binary/modules.rst): one pass over the sections, in order, building a
// ModuleInfo. Only structure is checked here; index and type rules are the validator's.
#include "engine/decoder/decoder.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "engine/decoder/disabled_proposals.h"
#include "engine/decoder/instr_reader.h"
#include "engine/decoder/reader.h"
#include "engine/type_canon.h"

namespace tern {
namespace {

enum SectionId : uint8_t {
  kCustom = 0,
  kType = 1,
  kImport = 2,
  kFunction = 3,
  kTable = 4,
  kMemory = 5,
  kGlobal = 6,
  kExport = 7,
  kStart = 8,
  kElem = 9,
  kCode = 10,
  kData = 11,
  kDataCount = 12,
  kTag = 13,  // exception handling
};

// Where each known section may appear: the data count section sits between elem and code, the
// tag section between memory and global.
int section_rank(uint8_t id) {
  static constexpr int kRank[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  return kRank[id];
}

class Decoder {
 public:
  explicit Decoder(ModuleInfo& m) : m_(m), limits_(m.limits), r_(m.bytes, 0, m.bytes.size()) {
    r_.set_features(m.features);
  }

  Result<void> run() {
    header();
    int last_rank = 0;
    bool saw_data = false;
    while (r_.ok() && !r_.at_end()) {
      size_t id_at = r_.pos();
      uint8_t id = r_.u8();
      if (!r_.ok()) break;
      if (id == kTag && !m_.features.exceptions) {
        r_.fail_disabled("tag section (id 13)", "exception handling", "exceptions", id_at);
        break;
      }
      if (id > kTag) {
        r_.fail_at("malformed section id", id_at);
        break;
      }
      uint32_t size = r_.u32();
      if (!r_.ok()) break;
      size_t section_end_outer = r_.limit(size);
      if (!r_.ok()) break;
      if (id != kCustom) {
        int rank = section_rank(id);
        if (rank <= last_rank) {
          r_.fail_at("unexpected content after last section", id_at);
          break;
        }
        last_rank = rank;
      }
      saw_data |= id == kData;
      section(id);
      if (r_.ok() && !r_.at_end()) r_.fail("section size mismatch");
      r_.restore(section_end_outer);
    }
    if (!r_.ok()) return r_.error();
    if (m_.bodies.size() != m_.num_defined_funcs()) {
      return Error::malformed("function and code section have inconsistent lengths",
                              code_count_at_.value_or(r_.pos()));
    }
    if (!saw_data && m_.data_count && *m_.data_count != 0) {
      return Error::malformed("data count and data section have inconsistent lengths", r_.pos());
    }
    mark_declared_funcs();
    m_.type_classes = module_type_classes(m_);
    return {};
  }

 private:
  void mark_declared_funcs() {
    m_.declared_funcs.assign(m_.funcs.size(), false);
    auto mark = [&](uint64_t index) {
      if (index < m_.declared_funcs.size()) m_.declared_funcs[index] = true;
    };
    auto mark_expr = [&](const ConstExpr& e) {
      for (const ConstInstr& c : e.instrs) {
        if (c.op == Opcode::RefFunc) mark(c.bits);
      }
    };
    for (const ConstExpr& e : m_.global_inits) mark_expr(e);
    for (const ConstExpr& e : m_.table_inits) mark_expr(e);
    for (const ElemSegment& seg : m_.elems) {
      mark_expr(seg.offset);
      for (const ConstExpr& e : seg.inits) mark_expr(e);
    }
    for (const DataSegment& seg : m_.datas) mark_expr(seg.offset);
    for (const Export& ex : m_.exports) {
      if (ex.kind == ExternKind::Func) mark(ex.index);
    }
  }

  void header() {
    const uint8_t* magic = r_.bytes(4);
    if (!magic) return;
    if (std::string_view(reinterpret_cast<const char*>(magic), 4) != std::string_view("\0asm", 4)) {
      r_.fail_at("magic header not detected", 0);
      return;
    }
    uint32_t version = r_.fixed32();
    if (r_.ok() && version != 1) r_.fail_at("unknown binary version", 4);
  }

  void section(uint8_t id) {
    switch (id) {
      case kCustom:
        return custom();
      case kType:
        return types();
      case kImport:
        return imports();
      case kFunction:
        return functions();
      case kTable: {
        size_t at = r_.pos();
        uint32_t n = r_.count();
        uint64_t total = uint64_t(n) + m_.num_imported_tables;  // imported tables count too
        if (total > limits_.tables) r_.fail_limit("tables", total, "tables", limits_.tables, at);
        return vec(r_.ok() ? n : 0, [&] { table(); });
      }
      case kMemory:
        return vec([&] {
          if (memory_within_limit(r_.pos())) m_.memories.push_back(memory_type());
        });
      case kGlobal:
        return globals();
      case kExport:
        return exports();
      case kStart:
        m_.start = r_.u32();
        return;
      case kElem:
        return vec(
            r_.limited_count("element segments", "element_segments", limits_.element_segments),
            [&] { elem(); });
      case kDataCount:
        m_.data_count = r_.limited_count("data segments", "data_segments", limits_.data_segments);
        return;
      case kCode:
        return code();
      case kData:
        return datas();
      case kTag:
        return vec([&] { m_.tags.push_back(tag_type()); });
    }
  }

  // Reads a vector: its length, then `one` for each element while the bytes are well formed.
  template <class F>
  void vec(F one) {
    vec(r_.count(), one);
  }
  // The same with the length `n` already read (and checked against its limit).
  template <class F>
  void vec(uint32_t n, F one) {
    for (uint32_t i = 0; i < n && r_.ok(); ++i) one();
  }

  void custom() {
    std::string name = r_.name();
    if (!r_.ok()) return;
    CustomSection c{std::move(name), uint32_t(r_.pos()), uint32_t(r_.remaining())};
    if (c.name == "name") name_section(c.start, c.start + c.size);
    m_.customs.push_back(std::move(c));
    r_.bytes(r_.remaining());
  }

  // The name section (appendix/custom.rst). Errors here are not errors of the module: whatever
  // was read before a problem is dropped and the section is ignored.
  void name_section(size_t begin, size_t end) {
    Reader n(m_.bytes, begin, end);
    std::string module_name;
    std::unordered_map<uint32_t, std::string> func_names;
    int last_id = -1;
    while (n.ok() && !n.at_end()) {
      uint8_t id = n.u8();
      uint32_t size = n.u32();
      if (!n.ok() || int(id) <= last_id) return;
      last_id = id;
      size_t outer = n.limit(size);
      if (id == 0) {
        module_name = n.name();
      } else if (id == 1) {
        uint32_t count = n.count();
        for (uint32_t i = 0; i < count && n.ok(); ++i) {
          uint32_t index = n.u32();
          std::string fname = n.name();
          if (n.ok()) func_names[index] = std::move(fname);
        }
      } else {
        n.bytes(n.remaining());
      }
      if (!n.ok() || !n.at_end()) return;
      n.restore(outer);
    }
    if (!n.ok()) return;
    m_.module_name = std::move(module_name);
    m_.func_names = std::move(func_names);
  }

  // A tag's type: attribute 0 (exception), then its function type index.
  uint32_t tag_type() {
    size_t at = r_.pos();
    if (r_.u8() != 0 && r_.ok()) r_.fail_at("malformed tag attribute", at);
    return r_.u32();
  }

  // A value type; exnref only with exception handling on.
  ValType valtype() {
    size_t at = r_.pos();
    ValType t = read_valtype(r_);
    bool exn = is_ref(t) && (heap_kind(t) == HeapKind::Exn || heap_kind(t) == HeapKind::NoExn);
    if (exn && !m_.features.exceptions) {
      r_.fail_disabled("exnref", "exception handling", "exceptions", at);
    }
    return t;
  }

  // The type section (binary/modules.rst): each entry a recursion group (0x4E) or one
  // subtype; a subtype is `sub`/`sub final` with its supertypes (0x50/0x4F) or a bare
  // composite type (final, no supertypes).
  void types() {
    vec(r_.limited_count("types", "types", limits_.types), [&] {
      if (r_.peek() != 0x4E) return rec_group(1);
      size_t at = r_.pos();
      r_.u8();
      if (!m_.features.gc) {
        fail_disabled_type_form(r_, 0x4E, at);
        return;
      }
      uint32_t n = r_.u32();
      if (r_.ok() && m_.types.size() + n > limits_.types) {
        r_.fail_limit("types", m_.types.size() + n, "types", limits_.types, at);
        return;
      }
      rec_group(n);
    });
  }

  void rec_group(uint32_t size) {
    uint32_t start = uint32_t(m_.types.size());
    TypeDef def;
    def.group_start = start;
    def.group_size = size;
    for (uint32_t i = 0; i < size && r_.ok(); ++i) sub_type(def);
  }

  void sub_type(TypeDef def) {
    size_t at = r_.pos();
    uint8_t form = r_.u8();
    if ((form == 0x50 || form == 0x4F) && r_.ok()) {
      if (!m_.features.gc) {
        fail_disabled_type_form(r_, form, at);
        return;
      }
      def.final = form == 0x4F;
      def.num_supers = r_.u32();
      // More than one is invalid (valid/types.rst), not malformed: the validator says so.
      for (uint32_t i = 0; i < def.num_supers && r_.ok(); ++i) {
        uint32_t super = r_.u32();
        if (i == 0) def.super = super;
      }
      at = r_.pos();
      form = r_.u8();
    }
    if (!r_.ok()) return;
    FuncType t;
    switch (form) {
      case 0x60:
        vec(r_.limited_count("params", "params", limits_.params),
            [&] { t.params.push_back(valtype()); });
        vec(r_.limited_count("results", "results", limits_.results),
            [&] { t.results.push_back(valtype()); });
        break;
      case 0x5F:
      case 0x5E:
        if (!m_.features.gc) {
          fail_disabled_type_form(r_, form, at);
          return;
        }
        if (form == 0x5F) {
          def.kind = CompositeKind::Struct;
          vec(r_.limited_count("struct fields", "struct_fields", limits_.struct_fields),
              [&] { def.fields.push_back(field_type()); });
        } else {
          def.kind = CompositeKind::Array;
          def.fields.push_back(field_type());
        }
        break;
      default:
        if (!fail_disabled_type_form(r_, form, at)) r_.fail_at("malformed function type", at);
        return;
    }
    m_.types.push_back(std::move(t));
    // type_defs stays empty while every type is plain (a function type alone in its group,
    // final, without supertypes), as every 2.0 module's are: ModuleInfo::type_def answers for
    // those, and a million of them cost no TypeDef each (docs/limits.md, "types").
    bool plain =
        def.kind == CompositeKind::Func && def.final && def.num_supers == 0 && def.group_size == 1;
    if (plain && m_.type_defs.empty()) return;
    uint32_t index = uint32_t(m_.types.size()) - 1;
    while (m_.type_defs.size() < index)
      m_.type_defs.push_back(m_.type_def(uint32_t(m_.type_defs.size())));
    m_.type_defs.push_back(std::move(def));
  }

  // A struct field or array element (binary/types.rst): a storage type, then its mutability.
  FieldType field_type() {
    FieldType f;
    uint8_t b = r_.peek();
    if (b == uint8_t(Packed::I8) || b == uint8_t(Packed::I16)) {
      r_.u8();
      f.packed = Packed(b);
    } else {
      f.type = valtype();
    }
    size_t at = r_.pos();
    uint8_t mut = r_.u8();
    if (r_.ok() && mut > 1) r_.fail_at("malformed mutability", at);
    f.mut = mut == 1;
    return f;
  }

  // Limits and the address type (binary/types.rst): flag bit 0 says a maximum follows, bit 2
  // (memory64) makes the address type i64.
  Limits limits(AddrType& addr) {
    size_t at = r_.pos();
    uint8_t flags = r_.u8();
    Limits l;
    if (!r_.ok()) return l;
    if (flags & 0x80) {
      r_.fail_at("integer representation too long", at);
    } else if ((flags & 0x04) && (flags & ~0x05) == 0 && !m_.features.memory64) {
      r_.fail_disabled("a 64-bit address type (limits flag 0x04)", "memory64", "memory64", at);
    } else if ((flags & ~0x05) != 0) {
      r_.fail_at("integer too large", at);
    }
    addr = (flags & 0x04) ? AddrType::I64 : AddrType::I32;
    // 3.0 encodes every bound as a u64 (the validator bounds an i32 one); 2.0 as a u32.
    bool wide = m_.features.memory64;
    l.min = wide ? r_.u64() : r_.u32();
    if (flags & 0x01) l.max = wide ? r_.u64() : r_.u32();
    return l;
  }

  // A defined table: its type, after 0x40 0x00 with an initializer expression (typed function
  // references) or else initialised with null.
  void table() {
    ConstExpr init;
    if (r_.peek() == 0x40) {
      if (!m_.features.function_references) {
        fail_disabled_table_initializer(r_);
        return;
      }
      r_.u8();
      size_t at = r_.pos();
      if (r_.u8() != 0x00 && r_.ok()) r_.fail_at("malformed table", at);
      m_.tables.push_back(table_type());
      init = const_expr();
    } else {
      m_.tables.push_back(table_type());
    }
    m_.table_inits.push_back(std::move(init));
  }

  TableType table_type() {
    TableType t;
    t.elem = read_reftype(r_);
    t.limits = limits(t.addr);
    return t;
  }

  MemoryType memory_type() {
    MemoryType t;
    t.limits = limits(t.addr);
    return t;
  }

  // Counts one more memory against ModuleLimits::memories.
  bool memory_within_limit(size_t at) {
    if (m_.memories.size() < limits_.memories) return true;
    return r_.fail_limit("memories", m_.memories.size() + 1, "memories", limits_.memories, at);
  }

  GlobalType global_type() {
    GlobalType g;
    g.type = valtype();
    size_t at = r_.pos();
    uint8_t mut = r_.u8();
    if (r_.ok() && mut > 1) r_.fail_at("malformed mutability", at);
    g.mut = mut == 1;
    return g;
  }

  void imports() {
    vec(r_.limited_count("imports", "imports", limits_.imports), [&] {
      Import im;
      im.module = r_.name();
      im.name = r_.name();
      size_t at = r_.pos();
      uint8_t kind = r_.u8();
      if (!r_.ok()) return;
      switch (kind) {
        case 0:
          im.kind = ExternKind::Func;
          im.func_type = r_.u32();
          m_.funcs.push_back(im.func_type);
          ++m_.num_imported_funcs;
          break;
        case 1:
          if (m_.tables.size() == limits_.tables) {
            r_.fail_limit("tables", m_.tables.size() + 1, "tables", limits_.tables, at);
            return;
          }
          im.kind = ExternKind::Table;
          im.table = table_type();
          m_.tables.push_back(im.table);
          ++m_.num_imported_tables;
          break;
        case 2:
          if (!memory_within_limit(at)) return;
          im.kind = ExternKind::Memory;
          im.memory = memory_type();
          m_.memories.push_back(im.memory);
          ++m_.num_imported_memories;
          break;
        case 3:
          im.kind = ExternKind::Global;
          im.global = global_type();
          m_.globals.push_back(im.global);
          ++m_.num_imported_globals;
          break;
        case 4:
          if (!m_.features.exceptions) {
            r_.fail_disabled("tag import", "exception handling", "exceptions", at);
            return;
          }
          im.kind = ExternKind::Tag;
          im.tag_type = tag_type();
          m_.tags.push_back(im.tag_type);
          ++m_.num_imported_tags;
          break;
        default:
          r_.fail_at("malformed import kind", at);
          return;
      }
      m_.imports.push_back(std::move(im));
    });
  }

  void functions() {
    vec(r_.limited_count("functions", "functions", limits_.functions),
        [&] { m_.funcs.push_back(r_.u32()); });
  }

  void globals() {
    vec(r_.limited_count("globals", "globals", limits_.globals), [&] {
      m_.globals.push_back(global_type());
      m_.global_inits.push_back(const_expr());
    });
  }

  // A constant expression up to its `end`. Any instruction is read (nested blocks included) so
  // that a non-constant one is the validator's "constant expression required", not a format
  // error.
  ConstExpr const_expr() {
    ConstExpr e;
    e.offset = uint32_t(r_.pos());
    int depth = 0;
    while (read_instr(r_, instr_, targets_, limits_.br_table_targets, m_.features)) {
      if (instr_.op == Opcode::End && depth-- == 0) break;
      if (instr_.op == Opcode::Block || instr_.op == Opcode::Loop || instr_.op == Opcode::If) {
        ++depth;
      }
      ConstInstr c;
      c.op = instr_.op;
      c.offset = instr_.offset;
      c.bits = instr_.bits;
      c.v128 = instr_.v128;
      c.ref_type = instr_.type;
      c.index2 = instr_.index2;
      // The index immediates: a function's or global's, or a GC instruction's type.
      if (c.op == Opcode::RefFunc || c.op == Opcode::GlobalGet || is_gc(c.op)) {
        c.bits = instr_.index;
      }
      e.instrs.push_back(c);
    }
    return e;
  }

  void exports() {
    vec(r_.limited_count("exports", "exports", limits_.exports), [&] {
      Export ex;
      ex.name = r_.name();
      size_t at = r_.pos();
      uint8_t kind = r_.u8();
      if (r_.ok() && kind == 4 && !m_.features.exceptions) {
        r_.fail_disabled("tag export", "exception handling", "exceptions", at);
      } else if (r_.ok() && kind > 4) {
        r_.fail_at("malformed export kind", at);
      }
      ex.kind = ExternKind(kind);
      ex.index = r_.u32();
      m_.exports.push_back(std::move(ex));
    });
  }

  // Element segments: the flags' bit 0 says passive/declarative, bit 1 an explicit table (for
  // active segments) or declarative (otherwise), bit 2 expressions rather than function indices.
  void elem() {
    ElemSegment seg;
    seg.offset_in_module = uint32_t(r_.pos());
    uint32_t flags = r_.u32();
    if (!r_.ok()) return;
    if (flags > 7) {
      r_.fail_at("malformed elements segment kind", seg.offset_in_module);
      return;
    }
    bool passive_or_declarative = flags & 1;
    bool explicit_table_or_declarative = flags & 2;
    bool uses_exprs = flags & 4;
    if (passive_or_declarative) {
      seg.mode = explicit_table_or_declarative ? SegmentMode::Declarative : SegmentMode::Passive;
    } else {
      seg.mode = SegmentMode::Active;
      if (explicit_table_or_declarative) seg.table = r_.u32();
      seg.offset = const_expr();
    }
    // Flags 0 and 4 have neither an element kind nor a reference type: funcref is implied.
    if (flags != 0 && flags != 4) {
      if (uses_exprs) {
        seg.type = read_reftype(r_);
      } else {
        size_t at = r_.pos();
        if (r_.u8() != 0x00 && r_.ok()) r_.fail_at("malformed element kind", at);
      }
    }
    // Function indices are non-null references in 3.0 (binary/modules.rst).
    if (!uses_exprs && m_.features.function_references) {
      seg.type = ref_type(HeapKind::Func, false);
    }
    uint32_t entries = r_.limited_count("element segment entries", "element_segment_entries",
                                        limits_.element_segment_entries);
    vec(entries, [&] {
      if (uses_exprs) {
        seg.inits.push_back(const_expr());
        return;
      }
      ConstExpr e;
      e.offset = uint32_t(r_.pos());
      ConstInstr c;
      c.op = Opcode::RefFunc;
      c.offset = e.offset;
      c.bits = r_.u32();
      e.instrs.push_back(c);
      seg.inits.push_back(std::move(e));
    });
    m_.elems.push_back(std::move(seg));
  }

  // The count is checked against the function section after the last section, as the spec's
  // reference decoder does, so that a misplaced section is reported as such first.
  void code() {
    code_count_at_ = r_.pos();
    uint32_t n = r_.limited_count("functions", "functions", limits_.functions);
    for (uint32_t i = 0; i < n && r_.ok(); ++i) {
      size_t at = r_.pos();
      uint32_t size = r_.u32();
      if (!r_.ok()) return;
      if (size > r_.remaining()) {
        r_.fail("length out of bounds");
        return;
      }
      if (size > limits_.function_body_bytes) {
        r_.fail_limit("function body bytes", size, "function_body_bytes",
                      limits_.function_body_bytes, at);
        return;
      }
      m_.bodies.push_back(FuncBody{uint32_t(r_.pos()), size});
      r_.bytes(size);
    }
  }

  void datas() {
    size_t at = r_.pos();
    uint32_t n = r_.limited_count("data segments", "data_segments", limits_.data_segments);
    if (r_.ok() && m_.data_count && *m_.data_count != n) {
      r_.fail_at("data count and data section have inconsistent lengths", at);
      return;
    }
    for (uint32_t i = 0; i < n && r_.ok(); ++i) {
      DataSegment seg;
      seg.offset_in_module = uint32_t(r_.pos());
      uint32_t flags = r_.u32();
      if (!r_.ok()) return;
      if (flags > 2) {
        r_.fail_at("malformed data segment kind", seg.offset_in_module);
        return;
      }
      seg.mode = flags == 1 ? SegmentMode::Passive : SegmentMode::Active;
      if (flags == 2) seg.memory = r_.u32();
      if (flags != 1) seg.offset = const_expr();
      uint32_t size = r_.u32();
      if (r_.ok() && size > r_.remaining()) {
        r_.fail("length out of bounds");
        return;
      }
      seg.data_start = uint32_t(r_.pos());
      seg.data_size = size;
      r_.bytes(size);
      m_.datas.push_back(std::move(seg));
    }
  }

  ModuleInfo& m_;
  const ModuleLimits& limits_;
  Reader r_;
  Instr instr_;
  std::vector<uint32_t> targets_;
  std::optional<size_t> code_count_at_;  // where the code section's count is, once read
};

}  // namespace

namespace {

// Offsets are 32-bit whatever the limit.
Result<void> check_module_bytes(std::span<const uint8_t> bytes, const ModuleLimits& limits) {
  uint64_t max_bytes = std::min<uint64_t>(limits.module_bytes, UINT32_MAX);
  if (bytes.size() <= max_bytes) return {};
  Reader whole(bytes, 0, bytes.size());
  whole.fail_limit("module bytes", bytes.size(), "module_bytes", max_bytes, 0);
  return whole.error();
}

}  // namespace

Result<ModuleInfo> decode_module(std::span<const uint8_t> bytes, const ModuleLimits& limits,
                                 const WasmFeatures& features) {
  // Checked before the copy, the largest allocation here.
  TERN_TRY(check_module_bytes(bytes, limits));
  return decode_module(std::vector<uint8_t>(bytes.begin(), bytes.end()), limits, features);
}

Result<ModuleInfo> decode_module(std::vector<uint8_t>&& bytes, const ModuleLimits& limits,
                                 const WasmFeatures& features) {
  TERN_TRY(check_module_bytes(bytes, limits));
  ModuleInfo m;
  m.limits = limits;
  m.features = features;
  m.bytes = std::move(bytes);
  Decoder d(m);
  TERN_TRY(d.run());
  return m;
}

}  // namespace tern
