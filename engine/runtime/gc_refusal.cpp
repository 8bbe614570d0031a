#include "engine/runtime/gc_refusal.h"

namespace tern::rt {

namespace {

std::optional<std::string> gc_in_const_expr(const ConstExpr& e) {
  for (const ConstInstr& c : e.instrs) {
    // ref.i31 needs no heap (engine/runtime/i31.h): eval_const_expr boxes it for every tier.
    if (is_gc(c.op) && c.op != Opcode::RefI31)
      return std::string(name_of(c.op)) + " in a constant expression";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> gc_module_construct(const ModuleInfo& m) {
  for (uint32_t i = 0; i < m.type_defs.size(); ++i) {
    const TypeDef& d = m.type_defs[i];
    if (d.kind == CompositeKind::Struct) return "struct type " + std::to_string(i);
    if (d.kind == CompositeKind::Array) return "array type " + std::to_string(i);
    if (d.super != kNoSuper) return "a declared supertype (type " + std::to_string(i) + ")";
  }
  for (const ConstExpr& e : m.global_inits) {
    if (auto c = gc_in_const_expr(e)) return c;
  }
  for (const ConstExpr& e : m.table_inits) {
    if (auto c = gc_in_const_expr(e)) return c;
  }
  for (const ElemSegment& seg : m.elems) {
    for (const ConstExpr& e : seg.inits) {
      if (auto c = gc_in_const_expr(e)) return c;
    }
  }
  return std::nullopt;
}

Error gc_refusal(const std::string& construct, std::optional<uint64_t> at) {
  return Error{
      ErrorKind::Limit,
      construct +
          " needs garbage collection, which Tier::Auto leaves to the interpreter (issue 14)",
      at,
      {}};
}

Error gc_instruction_refusal(const Instr& in, const char* tier) {
  return gc_refusal(std::string(tier) + "'s instruction '" + std::string(name_of(in.op)) + "'",
                    in.offset);
}

}  // namespace tern::rt
