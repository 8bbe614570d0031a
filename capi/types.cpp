// Type representations: value, function, global, table, memory and extern types, import and
// export types, and their conversions to and from the C++ API's types.
#include "capi/internal.h"

namespace tern::capi {

// wasm.h has no v128 kind; v128 gets the next free number kind (after f64), as a number.
constexpr wasm_valkind_t kV128Kind = WASM_F64 + 1;

wasm_valkind_t valkind_of(ValType t) {
  switch (storage_type(t)) {
    case ValType::I32:
      return WASM_I32;
    case ValType::I64:
      return WASM_I64;
    case ValType::F32:
      return WASM_F32;
    case ValType::F64:
      return WASM_F64;
    case ValType::V128:
      return kV128Kind;
    case ValType::FuncRef:
      return WASM_FUNCREF;
    case ValType::ExternRef:
      return WASM_EXTERNREF;
    case ValType::ExnRef:  // wasm.h has no exnref kind; such values do not cross the C API
      break;
  }
  return WASM_I32;
}

std::optional<ValType> valtype_of(wasm_valkind_t k) {
  switch (k) {
    case WASM_I32:
      return ValType::I32;
    case WASM_I64:
      return ValType::I64;
    case WASM_F32:
      return ValType::F32;
    case WASM_F64:
      return ValType::F64;
    case kV128Kind:
      return ValType::V128;
    case WASM_FUNCREF:
      return ValType::FuncRef;
    case WASM_EXTERNREF:
      return ValType::ExternRef;
  }
  return std::nullopt;
}

wasm_valtype_vec_t valtype_vec_of(const std::vector<ValType>& types) {
  wasm_valtype_vec_t v;
  wasm_valtype_vec_new_uninitialized(&v, types.size());
  for (size_t i = 0; i < types.size(); ++i) v.data[i] = wasm_valtype_new(valkind_of(types[i]));
  return v;
}

namespace {

std::optional<std::vector<ValType>> valtypes_of(const wasm_valtype_vec_t& v) {
  std::vector<ValType> out;
  for (size_t i = 0; i < v.size; ++i) {
    auto t = valtype_of(v.data[i]->kind);
    if (!t) return std::nullopt;
    out.push_back(*t);
  }
  return out;
}

}  // namespace

wasm_functype_t* functype_of(const FuncType& t) {
  return new wasm_functype_t(valtype_vec_of(t.params), valtype_vec_of(t.results));
}

std::optional<FuncType> func_type_of(const wasm_functype_t* t) {
  auto params = valtypes_of(t->params);
  auto results = valtypes_of(t->results);
  if (!params || !results) return std::nullopt;
  return FuncType{std::move(*params), std::move(*results)};
}

wasm_limits_t limits_of(const Limits& l) {
  return {uint32_t(l.min), l.max ? uint32_t(*l.max) : wasm_limits_max_default};
}

Limits limits_of(const wasm_limits_t& l) {
  Limits out{l.min, std::nullopt};
  if (l.max != wasm_limits_max_default) out.max = l.max;
  return out;
}

namespace {

wasm_externtype_t* globaltype_of(const GlobalType& t) {
  return new wasm_globaltype_t(wasm_valtype_new(valkind_of(t.type)), t.mut ? WASM_VAR : WASM_CONST);
}
wasm_externtype_t* tabletype_of(const TableType& t) {
  return new wasm_tabletype_t(wasm_valtype_new(valkind_of(t.elem)), limits_of(t.limits));
}
wasm_externtype_t* memorytype_of(const MemoryType& t) {
  return new wasm_memorytype_t(limits_of(t.limits));
}

// The type of an import or export: the C++ API describes both with the same four fields.
template <class Desc>
wasm_externtype_t* externtype_of_desc(const Desc& d) {
  switch (d.kind) {
    case ExternKind::Func:
      return functype_of(d.func);
    case ExternKind::Table:
      return tabletype_of(d.table);
    case ExternKind::Memory:
      return memorytype_of(d.memory);
    case ExternKind::Global:
      return globaltype_of(d.global);
    case ExternKind::Tag:  // wasm.h (the C API) has no tag types
      break;
  }
  return nullptr;
}

wasm_name_t name_of(const std::string& s) {
  wasm_name_t n;
  wasm_byte_vec_new(&n, s.size(), s.data());
  return n;
}

}  // namespace

wasm_externtype_t* externtype_of(const Extern& e) {
  switch (kind_of(e)) {
    case ExternKind::Func:
      return functype_of(std::get<Func>(e).type());
    case ExternKind::Table:
      return tabletype_of(std::get<Table>(e).type());
    case ExternKind::Memory:
      return memorytype_of(std::get<Memory>(e).type());
    case ExternKind::Global:
      return globaltype_of(std::get<Global>(e).type());
    case ExternKind::Tag:
      break;
  }
  return nullptr;
}

wasm_importtype_t* importtype_of(const Module::ImportDesc& d) {
  return new wasm_importtype_t{name_of(d.module), name_of(d.name), externtype_of_desc(d)};
}

wasm_exporttype_t* exporttype_of(const Module::ExportDesc& d) {
  return new wasm_exporttype_t{name_of(d.name), externtype_of_desc(d)};
}

}  // namespace tern::capi

// The families every type has: delete, copy.
#define TERN_CAPI_TYPE_OWN(name)                             \
  extern "C" void wasm_##name##_delete(wasm_##name##_t* t) { \
    delete t;                                                \
  }                                                          \
  extern "C" wasm_##name##_t* wasm_##name##_copy(const wasm_##name##_t* t)

TERN_CAPI_TYPE_OWN(valtype) {
  return new wasm_valtype_t(*t);
}
TERN_CAPI_TYPE_OWN(externtype) {
  return t->clone();
}
TERN_CAPI_TYPE_OWN(functype) {
  return static_cast<wasm_functype_t*>(t->clone());
}
TERN_CAPI_TYPE_OWN(globaltype) {
  return static_cast<wasm_globaltype_t*>(t->clone());
}
TERN_CAPI_TYPE_OWN(tabletype) {
  return static_cast<wasm_tabletype_t*>(t->clone());
}
TERN_CAPI_TYPE_OWN(memorytype) {
  return static_cast<wasm_memorytype_t*>(t->clone());
}
TERN_CAPI_TYPE_OWN(importtype) {
  wasm_importtype_t* c = new wasm_importtype_t{{}, {}, t->type->clone()};
  wasm_byte_vec_copy(&c->module, &t->module);
  wasm_byte_vec_copy(&c->name, &t->name);
  return c;
}
TERN_CAPI_TYPE_OWN(exporttype) {
  wasm_exporttype_t* c = new wasm_exporttype_t{{}, t->type->clone()};
  wasm_byte_vec_copy(&c->name, &t->name);
  return c;
}

wasm_functype_t::~wasm_functype_t() {
  wasm_valtype_vec_delete(&params);
  wasm_valtype_vec_delete(&results);
}
wasm_externtype_t* wasm_functype_t::clone() const {
  wasm_valtype_vec_t p, r;
  wasm_valtype_vec_copy(&p, &params);
  wasm_valtype_vec_copy(&r, &results);
  return new wasm_functype_t(p, r);
}
wasm_externtype_t* wasm_globaltype_t::clone() const {
  return new wasm_globaltype_t(wasm_valtype_copy(content), mutability);
}
wasm_externtype_t* wasm_tabletype_t::clone() const {
  return new wasm_tabletype_t(wasm_valtype_copy(element), limits);
}
wasm_externtype_t* wasm_memorytype_t::clone() const {
  return new wasm_memorytype_t(limits);
}
wasm_importtype_t::~wasm_importtype_t() {
  wasm_byte_vec_delete(&module);
  wasm_byte_vec_delete(&name);
  delete type;
}
wasm_exporttype_t::~wasm_exporttype_t() {
  wasm_byte_vec_delete(&name);
  delete type;
}

extern "C" {

wasm_valtype_t* wasm_valtype_new(wasm_valkind_t kind) {
  return new wasm_valtype_t{kind};
}
wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t* t) {
  return t->kind;
}

wasm_functype_t* wasm_functype_new(wasm_valtype_vec_t* params, wasm_valtype_vec_t* results) {
  wasm_functype_t* t = new wasm_functype_t(*params, *results);
  wasm_valtype_vec_new_empty(params);  // taken over
  wasm_valtype_vec_new_empty(results);
  return t;
}
const wasm_valtype_vec_t* wasm_functype_params(const wasm_functype_t* t) {
  return &t->params;
}
const wasm_valtype_vec_t* wasm_functype_results(const wasm_functype_t* t) {
  return &t->results;
}

wasm_globaltype_t* wasm_globaltype_new(wasm_valtype_t* content, wasm_mutability_t mutability) {
  return new wasm_globaltype_t(content, mutability);
}
const wasm_valtype_t* wasm_globaltype_content(const wasm_globaltype_t* t) {
  return t->content;
}
wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t* t) {
  return t->mutability;
}

wasm_tabletype_t* wasm_tabletype_new(wasm_valtype_t* element, const wasm_limits_t* limits) {
  return new wasm_tabletype_t(element, *limits);
}
const wasm_valtype_t* wasm_tabletype_element(const wasm_tabletype_t* t) {
  return t->element;
}
const wasm_limits_t* wasm_tabletype_limits(const wasm_tabletype_t* t) {
  return &t->limits;
}

wasm_memorytype_t* wasm_memorytype_new(const wasm_limits_t* limits) {
  return new wasm_memorytype_t(*limits);
}
const wasm_limits_t* wasm_memorytype_limits(const wasm_memorytype_t* t) {
  return &t->limits;
}

wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t* t) {
  return t->kind;
}

wasm_importtype_t* wasm_importtype_new(wasm_name_t* module, wasm_name_t* name,
                                       wasm_externtype_t* type) {
  wasm_importtype_t* t = new wasm_importtype_t{*module, *name, type};
  wasm_byte_vec_new_empty(module);  // taken over
  wasm_byte_vec_new_empty(name);
  return t;
}
const wasm_name_t* wasm_importtype_module(const wasm_importtype_t* t) {
  return &t->module;
}
const wasm_name_t* wasm_importtype_name(const wasm_importtype_t* t) {
  return &t->name;
}
const wasm_externtype_t* wasm_importtype_type(const wasm_importtype_t* t) {
  return t->type;
}

wasm_exporttype_t* wasm_exporttype_new(wasm_name_t* name, wasm_externtype_t* type) {
  wasm_exporttype_t* t = new wasm_exporttype_t{*name, type};
  wasm_byte_vec_new_empty(name);  // taken over
  return t;
}
const wasm_name_t* wasm_exporttype_name(const wasm_exporttype_t* t) {
  return &t->name;
}
const wasm_externtype_t* wasm_exporttype_type(const wasm_exporttype_t* t) {
  return t->type;
}

}  // extern "C"

// Extern type casts: a function, global, table or memory type is an extern type; the way back
// checks the kind and gives NULL on a mismatch.
#define TERN_CAPI_EXTERNTYPE_CASTS(name, extern_kind)                                 \
  extern "C" wasm_externtype_t* wasm_##name##_as_externtype(wasm_##name##_t* t) {     \
    return t;                                                                         \
  }                                                                                   \
  extern "C" const wasm_externtype_t* wasm_##name##_as_externtype_const(              \
      const wasm_##name##_t* t) {                                                     \
    return t;                                                                         \
  }                                                                                   \
  extern "C" wasm_##name##_t* wasm_externtype_as_##name(wasm_externtype_t* t) {       \
    return t->kind == extern_kind ? static_cast<wasm_##name##_t*>(t) : nullptr;       \
  }                                                                                   \
  extern "C" const wasm_##name##_t* wasm_externtype_as_##name##_const(                \
      const wasm_externtype_t* t) {                                                   \
    return t->kind == extern_kind ? static_cast<const wasm_##name##_t*>(t) : nullptr; \
  }

TERN_CAPI_EXTERNTYPE_CASTS(functype, WASM_EXTERN_FUNC)
TERN_CAPI_EXTERNTYPE_CASTS(globaltype, WASM_EXTERN_GLOBAL)
TERN_CAPI_EXTERNTYPE_CASTS(tabletype, WASM_EXTERN_TABLE)
TERN_CAPI_EXTERNTYPE_CASTS(memorytype, WASM_EXTERN_MEMORY)
