// Types in the text format with typed references (text/types.rst): `(ref null? heaptype)`, the
// reference shorthands, and the type section's `rec` groups and `sub` types. Type definitions
// are read once every type identifier is bound, so that a type may refer to a later one.
#include <array>
#include <utility>

#include "engine/text/module_parser.h"

namespace tern::text {

namespace {

using Kind = Token::Kind;

constexpr std::pair<std::string_view, HeapKind> kHeapTypes[] = {
    {"func", HeapKind::Func},     {"extern", HeapKind::Extern},     {"any", HeapKind::Any},
    {"eq", HeapKind::Eq},         {"i31", HeapKind::I31},           {"struct", HeapKind::Struct},
    {"array", HeapKind::Array},   {"exn", HeapKind::Exn},           {"none", HeapKind::None},
    {"nofunc", HeapKind::NoFunc}, {"noextern", HeapKind::NoExtern}, {"noexn", HeapKind::NoExn}};

// The shorthands for nullable abstract references (`funcref` is `(ref null func)`).
constexpr std::pair<std::string_view, HeapKind> kRefShorthands[] = {
    {"funcref", HeapKind::Func},
    {"externref", HeapKind::Extern},
    {"anyref", HeapKind::Any},
    {"eqref", HeapKind::Eq},
    {"i31ref", HeapKind::I31},
    {"structref", HeapKind::Struct},
    {"arrayref", HeapKind::Array},
    {"exnref", HeapKind::Exn},
    {"nullref", HeapKind::None},
    {"nullfuncref", HeapKind::NoFunc},
    {"nullexternref", HeapKind::NoExtern},
    {"nullexnref", HeapKind::NoExn}};

constexpr std::pair<std::string_view, ValType> kNumTypes[] = {{"i32", ValType::I32},
                                                              {"i64", ValType::I64},
                                                              {"f32", ValType::F32},
                                                              {"f64", ValType::F64},
                                                              {"v128", ValType::V128}};

}  // namespace

ValType ModuleParser::expect_heap_type(bool nullable) {
  for (auto [text, kind] : kHeapTypes) {
    if (c_.take_atom(text)) return ref_type(kind, nullable);
  }
  return ref_to_type(types_.resolve(c_), nullable);
}

std::optional<ValType> ModuleParser::take_val_type() {
  for (auto [text, type] : kNumTypes) {
    if (c_.take_atom(text)) return type;
  }
  for (auto [text, kind] : kRefShorthands) {
    if (c_.take_atom(text)) return ref_type(kind, true);
  }
  if (!c_.take_form("ref")) return std::nullopt;
  bool nullable = c_.take_atom("null");
  ValType t = expect_heap_type(nullable);
  c_.expect_rparen();
  return t;
}

ValType ModuleParser::expect_val_type() {
  auto t = take_val_type();
  if (!t) c_.unexpected();
  return *t;
}

ValType ModuleParser::expect_ref_type() {
  auto t = take_val_type();
  if (!t || !is_ref(*t)) c_.unexpected();
  return *t;
}

// Pass 1: `(type $id? ...)` or `(rec (type $id? ...)*)`, at its opening parenthesis. Binds the
// identifiers; the definitions are read by type_definitions().
void ModuleParser::collect_types() {
  bool rec = c_.take_form("rec");
  uint32_t start = types_.size();
  std::vector<size_t> members;
  if (rec) {
    while (c_.at_form("type")) {
      members.push_back(c_.position());
      c_.skip_sexpr();
    }
    c_.expect_rparen();
  } else {
    members.push_back(c_.position());
  }
  for (size_t at : members) {
    size_t after = c_.position();
    c_.seek(at);
    c_.expect_lparen();
    c_.expect_atom("type");
    types_.add(c_, c_.take_id());
    type_sources_.push_back(
        TypeSource{c_.position(), start, uint32_t(members.size()), rec && members.front() == at});
    c_.seek(after);
  }
}

FieldType ModuleParser::field_type() {
  FieldType f;
  bool mut = c_.take_form("mut");
  f.mut = mut;
  if (c_.take_atom("i8")) {
    f.packed = Packed::I8;
  } else if (c_.take_atom("i16")) {
    f.packed = Packed::I16;
  } else {
    f.type = expect_val_type();
  }
  if (mut) c_.expect_rparen();
  return f;
}

// `(field $id fieldtype)` or `(field fieldtype*)`, repeated, inside `(struct ...)`.
void ModuleParser::struct_fields(TypeDefText& def, IndexSpace& names) {
  while (c_.take_form("field")) {
    if (auto id = c_.take_id()) {
      names.add(c_, id);
      def.fields.push_back(field_type());
    } else {
      while (!c_.at(Kind::RParen)) {
        names.add(c_, std::nullopt);
        def.fields.push_back(field_type());
      }
    }
    c_.expect_rparen();
  }
}

uint32_t ModuleParser::field_index(uint32_t type) {
  static const IndexSpace kUnnamed("field");
  return (type < field_names_.size() ? field_names_[type] : kUnnamed).resolve(c_);
}

// After pass 1: each recorded definition, `(func ...)`, `(struct ...)` or `(array ...)`, bare or
// in `(sub final? $super* ...)`.
void ModuleParser::type_definitions() {
  size_t resume = c_.position();
  for (const TypeSource& src : type_sources_) {
    c_.seek(src.position);
    TypeDefText def;
    def.group_size = src.group_size;
    def.starts_rec = src.starts_rec;
    bool sub = c_.take_form("sub");
    if (sub) {
      def.sub = true;
      def.final = c_.take_atom("final");
      while (is_index_token(c_.peek())) def.supertypes.push_back(types_.resolve(c_));
    }
    IndexSpace& names = field_names_.emplace_back("field");
    FuncType signature_of_func;
    if (c_.take_form("struct")) {
      def.kind = CompositeKind::Struct;
      struct_fields(def, names);
    } else if (c_.take_form("array")) {
      def.kind = CompositeKind::Array;
      def.fields.push_back(field_type());
    } else {
      c_.expect_lparen();
      c_.expect_atom("func");
      ParamIds ids;
      signature_of_func = signature(&ids);
    }
    out_.types.push_back(std::move(signature_of_func));
    c_.expect_rparen();
    if (sub) c_.expect_rparen();
    c_.expect_rparen();
    out_.type_defs.push_back(std::move(def));
  }
  c_.seek(resume);
}

}  // namespace tern::text
