// Module-level validation (valid/modules.rst): everything outside function bodies.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

#include "engine/features.h"
#include "engine/subtyping.h"
#include "engine/validator/allocation.h"
#include "engine/validator/parallel_validation.h"
#include "engine/validator/validator.h"

namespace tern {
namespace {

std::string unknown(const char* what, uint64_t index) {
  return std::string("unknown ") + what + " " + std::to_string(index);
}

class ModuleValidator {
 public:
  explicit ModuleValidator(const ModuleInfo& m) : m_(m) {}

  Result<void> run() {
    TERN_TRY(type_section());
    TERN_TRY(typed_references());
    for (const Import& im : m_.imports) {
      if (im.kind == ExternKind::Func) TERN_TRY(func_type_index(im.func_type));
    }
    for (uint32_t type_index : m_.tags) TERN_TRY(tag_type(type_index));
    for (uint32_t i = m_.num_imported_funcs; i < m_.funcs.size(); ++i) {
      TERN_TRY(func_type_index(m_.funcs[i]));
    }
    for (const TableType& t : m_.tables) {
      if (t.addr == AddrType::I64) {
        TERN_TRY(limits(t.limits, UINT64_MAX, nullptr));
      } else {
        TERN_TRY(limits(t.limits, UINT32_MAX, "table size must be at most 2^32-1"));
      }
    }
    for (const MemoryType& mem : m_.memories) {
      if (mem.addr == AddrType::I64) {
        TERN_TRY(limits(mem.limits, kMaxPages64, "memory size must be at most 2^48 pages"));
      } else {
        TERN_TRY(limits(mem.limits, kMaxPages32, "memory size must be at most 65536 pages (4GiB)"));
      }
    }
    if (m_.memories.size() > 1 && !m_.features.multi_memory) {
      return Error::invalid(
          "multiple memories (" +
          feature_disabled_message("a second memory", "multi-memory", "multi-memory") + ")");
    }
    for (size_t i = 0; i < m_.table_inits.size(); ++i) {
      ValType elem = m_.tables[m_.num_imported_tables + i].elem;
      if (!m_.table_inits[i].instrs.empty()) {
        // Tables precede the globals: an initializer reads imported globals only.
        TERN_TRY(const_expr(m_.table_inits[i], elem, m_.num_imported_globals));
      } else if (!is_nullable(elem)) {
        return Error::invalid(
            "type mismatch: a table of non-null references needs an "
            "initializer");
      }
    }
    for (size_t i = 0; i < m_.global_inits.size(); ++i) {
      TERN_TRY(const_expr(m_.global_inits[i], m_.globals[m_.num_imported_globals + i].type,
                          m_.num_imported_globals + i));
    }
    TERN_TRY(exports());
    if (m_.start) {
      if (*m_.start >= m_.funcs.size()) return Error::invalid(unknown("function", *m_.start));
      const FuncType& t = m_.func_type(*m_.start);
      if (!t.params.empty() || !t.results.empty()) return Error::invalid("start function");
    }
    for (const ElemSegment& seg : m_.elems) TERN_TRY(elem(seg));
    for (const DataSegment& seg : m_.datas) {
      if (seg.mode != SegmentMode::Active) continue;
      if (seg.memory >= m_.memories.size()) {
        return Error::invalid(unknown("memory", seg.memory), seg.offset_in_module);
      }
      TERN_TRY(const_expr(seg.offset, valtype_of(m_.memories[seg.memory].addr)));
    }
    return {};
  }

 private:
  // `bound` is the largest size the type allows; `too_large` the rule's wording when exceeded.
  static Result<void> limits(const Limits& l, uint64_t bound, const char* too_large) {
    if (too_large && (l.min > bound || (l.max && *l.max > bound))) return Error::invalid(too_large);
    if (l.max && l.min > *l.max) {
      return Error::invalid("size minimum must not be greater than maximum");
    }
    return {};
  }

  // A constant expression producing one `want` (valid/instructions.rst, "Constant
  // Expressions"): constants, ref.null, ref.func, global.get of an immutable global, with
  // extended const i32/i64 add, sub and mul, and with GC the instructions of gc_const. 2.0 lets
  // global.get name imported globals only; 3.0 (a rule that came with GC, which switches it) any of
  // the first `visible_globals`: a global's initialiser sees the globals before it, a segment's
  // every global.
  Result<void> const_expr(const ConstExpr& e, ValType want, uint32_t visible_globals = UINT32_MAX) {
    const uint64_t readable_globals = m_.features.gc
                                          ? std::min<uint64_t>(visible_globals, m_.globals.size())
                                          : m_.num_imported_globals;
    std::vector<ValType> stack;
    for (const ConstInstr& c : e.instrs) {
      switch (c.op) {
        case Opcode::I32Const:
          stack.push_back(ValType::I32);
          break;
        case Opcode::I64Const:
          stack.push_back(ValType::I64);
          break;
        case Opcode::F32Const:
          stack.push_back(ValType::F32);
          break;
        case Opcode::F64Const:
          stack.push_back(ValType::F64);
          break;
        case Opcode::V128Const:
          stack.push_back(ValType::V128);
          break;
        case Opcode::RefNull:
          TERN_TRY(known_type(c.ref_type));
          stack.push_back(c.ref_type);
          break;
        case Opcode::RefFunc:
          if (c.bits >= m_.funcs.size())
            return Error::invalid(unknown("function", c.bits), c.offset);
          // A function reference is non-null, of its function's type (typed references).
          stack.push_back(m_.features.function_references ? ref_to_type(m_.funcs[c.bits], false)
                                                          : ValType::FuncRef);
          break;
        case Opcode::GlobalGet:
          if (c.bits >= m_.globals.size())
            return Error::invalid(unknown("global", c.bits), c.offset);
          if (c.bits >= readable_globals) {
            return Error::invalid(unknown("global", c.bits), c.offset);
          }
          if (m_.globals[c.bits].mut)
            return Error::invalid("constant expression required", c.offset);
          stack.push_back(m_.globals[c.bits].type);
          break;
        case Opcode::StructNew:
        case Opcode::StructNewDefault:
        case Opcode::ArrayNew:
        case Opcode::ArrayNewDefault:
        case Opcode::ArrayNewFixed:
        case Opcode::RefI31:
        case Opcode::AnyConvertExtern:
        case Opcode::ExternConvertAny:
          TERN_TRY(gc_const(c, stack));
          break;
        case Opcode::I32Add:
        case Opcode::I32Sub:
        case Opcode::I32Mul:
        case Opcode::I64Add:
        case Opcode::I64Sub:
        case Opcode::I64Mul:
          TERN_TRY(extended_const_arithmetic(c, stack));
          break;
        default:
          return Error::invalid("constant expression required", c.offset);
      }
    }
    if (stack.size() != 1 || !val_matches(stack[0], want, TypeSpace::of(m_))) {
      return Error::invalid("type mismatch", e.offset);
    }
    return {};
  }

  // A concrete reference type names a type below `bound` (the module's types by default).
  Result<void> known_type(ValType t, uint64_t bound = UINT64_MAX) const {
    if (!is_ref(t) || !is_concrete(t)) return {};
    if (ref_type_index(t) >= std::min<uint64_t>(bound, m_.types.size())) {
      return Error::invalid(unknown("type", ref_type_index(t)));
    }
    return {};
  }

  // A type definition refers to types before its recursion group's end only; a declared
  // supertype is a single earlier type, not final, that the definition matches (valid/types.rst,
  // "sub type").
  Result<void> type_section() const {
    for (uint32_t i = 0; i < m_.types.size(); ++i) {
      TypeDef d = m_.type_def(i);
      uint64_t bound = uint64_t(d.group_start) + d.group_size;
      for (ValType t : m_.types[i].params) TERN_TRY(known_type(t, bound));
      for (ValType t : m_.types[i].results) TERN_TRY(known_type(t, bound));
      for (const FieldType& f : d.fields) TERN_TRY(known_type(f.type, bound));
      if (d.num_supers > 1) return Error::invalid("sub type: more than one supertype");
      if (d.super == kNoSuper) continue;
      if (d.super >= i) return Error::invalid(unknown("type", d.super));
      if (m_.type_def(d.super).final) return Error::invalid("sub type: the supertype is final");
      if (!composite_matches(m_, i, d.super)) {
        return Error::invalid("sub type: type " + std::to_string(i) +
                              " does not match its supertype " + std::to_string(d.super));
      }
    }
    return {};
  }

  // A type index that must name a function type: a function's, an import's or a tag's.
  Result<void> func_type_index(uint32_t index) const {
    if (index >= m_.types.size()) return Error::invalid(unknown("type", index));
    if (!m_.is_func_type(index)) {
      return Error::invalid("type mismatch: type " + std::to_string(index) +
                            " is not a function type");
    }
    return {};
  }

  // Every reference type outside code names a known type.
  Result<void> typed_references() const {
    for (const Import& im : m_.imports) {
      if (im.kind == ExternKind::Table) TERN_TRY(known_type(im.table.elem));
      if (im.kind == ExternKind::Global) TERN_TRY(known_type(im.global.type));
    }
    for (const TableType& t : m_.tables) TERN_TRY(known_type(t.elem));
    for (const GlobalType& g : m_.globals) TERN_TRY(known_type(g.type));
    for (const ElemSegment& seg : m_.elems) TERN_TRY(known_type(seg.type));
    return {};
  }

  // An extended-const binary operator: two operands of its type in, one out.
  Result<void> extended_const_arithmetic(const ConstInstr& c, std::vector<ValType>& stack) {
    if (!m_.features.extended_const) {
      return Error::invalid(
          feature_disabled_message(std::string(name_of(c.op)) + " in a constant expression",
                                   "extended constant expressions", "extended-const"),
          c.offset);
    }
    bool is_i32 = c.op == Opcode::I32Add || c.op == Opcode::I32Sub || c.op == Opcode::I32Mul;
    ValType type = is_i32 ? ValType::I32 : ValType::I64;
    if (stack.size() < 2 || stack[stack.size() - 1] != type || stack[stack.size() - 2] != type) {
      return Error::invalid("type mismatch", c.offset);
    }
    stack.pop_back();
    return {};
  }

  // The GC instructions a constant expression may hold (valid/instructions.rst, "Constant
  // Expressions"): allocations of structs and arrays from operands or defaults, ref.i31, and
  // the conversions between any and extern. Types as in function bodies.
  Result<void> gc_const(const ConstInstr& c, std::vector<ValType>& stack) const {
    auto pop = [&](ValType want) {
      if (stack.empty() || !val_matches(stack.back(), want, TypeSpace::of(m_))) return false;
      stack.pop_back();
      return true;
    };
    auto mismatch = [&] { return Error::invalid("type mismatch", c.offset); };
    if (c.op == Opcode::RefI31) {
      if (!pop(ValType::I32)) return mismatch();
      stack.push_back(ref_type(HeapKind::I31, false));
      return {};
    }
    if (c.op == Opcode::AnyConvertExtern || c.op == Opcode::ExternConvertAny) {
      bool to_any = c.op == Opcode::AnyConvertExtern;
      if (stack.empty()) return mismatch();
      ValType operand = stack.back();
      if (!pop(ref_type(to_any ? HeapKind::Extern : HeapKind::Any, true))) return mismatch();
      stack.push_back(ref_type(to_any ? HeapKind::Any : HeapKind::Extern, is_nullable(operand)));
      return {};
    }
    uint32_t index = uint32_t(c.bits);
    if (index >= m_.types.size()) return Error::invalid(unknown("type", index), c.offset);
    bool is_struct = c.op == Opcode::StructNew || c.op == Opcode::StructNewDefault;
    if (m_.type_kind(index) != (is_struct ? CompositeKind::Struct : CompositeKind::Array)) {
      return mismatch();
    }
    if (c.op == Opcode::ArrayNewFixed) {
      if (auto over = array_new_fixed_over_limit(c.index2, m_.limits)) {
        return Error{ErrorKind::Limit, std::move(*over), c.offset, {}};
      }
    }
    std::vector<ValType> operands;
    const TypeDef& d = m_.type_defs[index];  // a struct or array type: type_defs holds every type
    if (const char* msg = allocation_operands(c.op, d, c.index2, operands)) {
      return Error::invalid(msg, c.offset);
    }
    for (size_t i = operands.size(); i-- > 0;) {
      if (!pop(operands[i])) return mismatch();
    }
    stack.push_back(ref_to_type(index, false));
    return {};
  }

  // A tag's type is a function type with no results (exception handling).
  Result<void> tag_type(uint32_t type_index) {
    TERN_TRY(func_type_index(type_index));
    if (!m_.types[type_index].results.empty()) {
      return Error::invalid("non-empty tag result type");
    }
    return {};
  }

  Result<void> exports() {
    std::unordered_set<std::string_view> names;
    names.reserve(m_.exports.size());
    for (const Export& ex : m_.exports) {
      if (!names.insert(ex.name).second) return Error::invalid("duplicate export name");
      size_t bound = 0;
      const char* what = "";
      switch (ex.kind) {
        case ExternKind::Func:
          bound = m_.funcs.size(), what = "function";
          break;
        case ExternKind::Table:
          bound = m_.tables.size(), what = "table";
          break;
        case ExternKind::Memory:
          bound = m_.memories.size(), what = "memory";
          break;
        case ExternKind::Global:
          bound = m_.globals.size(), what = "global";
          break;
        case ExternKind::Tag:
          bound = m_.tags.size(), what = "tag";
          break;
      }
      if (ex.index >= bound) return Error::invalid(unknown(what, ex.index));
    }
    return {};
  }

  Result<void> elem(const ElemSegment& seg) {
    for (const ConstExpr& e : seg.inits) TERN_TRY(const_expr(e, seg.type));
    if (seg.mode != SegmentMode::Active) return {};
    if (seg.table >= m_.tables.size()) {
      return Error::invalid(unknown("table", seg.table), seg.offset_in_module);
    }
    TERN_TRY(const_expr(seg.offset, valtype_of(m_.tables[seg.table].addr)));
    if (!val_matches(seg.type, m_.tables[seg.table].elem, TypeSpace::of(m_))) {
      return Error::invalid("type mismatch", seg.offset_in_module);
    }
    return {};
  }

  const ModuleInfo& m_;
};

}  // namespace

Result<void> validate_module(const ModuleInfo& module) {
  return ModuleValidator(module).run();
}

Result<void> validate(const ModuleInfo& module) {
  TERN_TRY(validate_module(module));
  return validate_functions(module, 0);
}

}  // namespace tern
