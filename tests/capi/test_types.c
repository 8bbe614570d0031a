/* Type representations and vectors: construction, reflection, casts, copies and ownership. */
#include "capi_test.h"

static void value_types(void) {
  wasm_valkind_t kinds[] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_EXTERNREF, WASM_FUNCREF};
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; ++i) {
    wasm_valtype_t* t = wasm_valtype_new(kinds[i]);
    CHECK(wasm_valtype_kind(t) == kinds[i]);
    CHECK(wasm_valtype_is_ref(t) == (kinds[i] >= WASM_EXTERNREF));
    wasm_valtype_t* c = wasm_valtype_copy(t);
    CHECK(c != t && wasm_valtype_kind(c) == kinds[i]);
    wasm_valtype_delete(t);
    wasm_valtype_delete(c);
  }
}

static void function_types(void) {
  wasm_functype_t* t = wasm_functype_new_2_1(wasm_valtype_new_i32(), wasm_valtype_new_f64(),
                                             wasm_valtype_new_externref());
  CHECK(wasm_functype_params(t)->size == 2);
  CHECK(wasm_valtype_kind(wasm_functype_params(t)->data[1]) == WASM_F64);
  CHECK(wasm_functype_results(t)->size == 1);
  CHECK(wasm_valtype_kind(wasm_functype_results(t)->data[0]) == WASM_EXTERNREF);

  wasm_functype_t* c = wasm_functype_copy(t);
  wasm_functype_delete(t); /* the copy owns its own parts */
  CHECK(wasm_valtype_kind(wasm_functype_params(c)->data[0]) == WASM_I32);

  wasm_externtype_t* e = wasm_functype_as_externtype(c);
  CHECK(wasm_externtype_kind(e) == WASM_EXTERN_FUNC);
  CHECK(wasm_externtype_as_functype(e) == c);
  CHECK(wasm_externtype_as_globaltype(e) == NULL);
  CHECK(wasm_externtype_as_tabletype_const(wasm_functype_as_externtype_const(c)) == NULL);
  CHECK(wasm_externtype_as_functype_const(e) == c);
  wasm_externtype_t* ec = wasm_externtype_copy(e);
  CHECK(wasm_externtype_kind(ec) == WASM_EXTERN_FUNC);
  CHECK(wasm_functype_results(wasm_externtype_as_functype(ec))->size == 1);
  wasm_externtype_delete(ec);
  wasm_externtype_delete(e); /* deletes c */

  wasm_functype_t* empty = wasm_functype_new_0_0();
  CHECK(wasm_functype_params(empty)->size == 0 && wasm_functype_results(empty)->size == 0);
  wasm_functype_delete(empty);
}

static void global_table_memory_types(void) {
  wasm_globaltype_t* g = wasm_globaltype_new(wasm_valtype_new_i64(), WASM_VAR);
  CHECK(wasm_valtype_kind(wasm_globaltype_content(g)) == WASM_I64);
  CHECK(wasm_globaltype_mutability(g) == WASM_VAR);
  wasm_externtype_t* ge = wasm_globaltype_as_externtype(g);
  CHECK(wasm_externtype_kind(ge) == WASM_EXTERN_GLOBAL);
  CHECK(wasm_externtype_as_globaltype_const(ge) == g);
  CHECK(wasm_externtype_as_memorytype(ge) == NULL);
  wasm_globaltype_t* gc = wasm_globaltype_copy(g);
  CHECK(wasm_globaltype_mutability(gc) == WASM_VAR);
  wasm_globaltype_delete(g);
  wasm_globaltype_delete(gc);

  wasm_limits_t limits = {1, 10};
  wasm_tabletype_t* t = wasm_tabletype_new(wasm_valtype_new_funcref(), &limits);
  CHECK(wasm_valtype_kind(wasm_tabletype_element(t)) == WASM_FUNCREF);
  CHECK(wasm_tabletype_limits(t)->min == 1 && wasm_tabletype_limits(t)->max == 10);
  CHECK(wasm_externtype_kind(wasm_tabletype_as_externtype_const(t)) == WASM_EXTERN_TABLE);
  CHECK(wasm_externtype_as_tabletype(wasm_tabletype_as_externtype(t)) == t);
  wasm_tabletype_t* tc = wasm_tabletype_copy(t);
  CHECK(wasm_tabletype_limits(tc)->max == 10);
  wasm_tabletype_delete(t);
  wasm_tabletype_delete(tc);

  wasm_limits_t unbounded = {2, wasm_limits_max_default};
  wasm_memorytype_t* m = wasm_memorytype_new(&unbounded);
  CHECK(wasm_memorytype_limits(m)->min == 2);
  CHECK(wasm_memorytype_limits(m)->max == wasm_limits_max_default);
  CHECK(wasm_externtype_kind(wasm_memorytype_as_externtype(m)) == WASM_EXTERN_MEMORY);
  CHECK(wasm_externtype_as_memorytype_const(wasm_memorytype_as_externtype_const(m)) == m);
  wasm_memorytype_t* mc = wasm_memorytype_copy(m);
  wasm_memorytype_delete(m);
  CHECK(wasm_memorytype_limits(mc)->min == 2);
  wasm_memorytype_delete(mc);
}

static void import_export_types(void) {
  wasm_name_t module, name;
  wasm_name_new_from_string(&module, "env");
  wasm_name_new_from_string(&name, "memory");
  wasm_limits_t limits = {1, 2};
  wasm_importtype_t* imp = wasm_importtype_new(
      &module, &name, wasm_memorytype_as_externtype(wasm_memorytype_new(&limits)));
  CHECK(module.data == NULL && name.data == NULL); /* taken over */
  CHECK(name_is(wasm_importtype_module(imp), "env"));
  CHECK(name_is(wasm_importtype_name(imp), "memory"));
  CHECK(wasm_externtype_kind(wasm_importtype_type(imp)) == WASM_EXTERN_MEMORY);
  wasm_importtype_t* impc = wasm_importtype_copy(imp);
  wasm_importtype_delete(imp);
  CHECK(name_is(wasm_importtype_name(impc), "memory"));

  wasm_importtype_vec_t imports;
  wasm_importtype_vec_new(&imports, 1, &impc);
  wasm_importtype_vec_t imports_copy;
  wasm_importtype_vec_copy(&imports_copy, &imports);
  CHECK(imports_copy.size == 1 && imports_copy.data[0] != impc);
  CHECK(name_is(wasm_importtype_module(imports_copy.data[0]), "env"));
  wasm_importtype_vec_delete(&imports); /* deletes impc */
  CHECK(imports.size == 0 && imports.data == NULL);
  wasm_importtype_vec_delete(&imports_copy);

  wasm_name_t ename;
  wasm_name_new_from_string(&ename, "run");
  wasm_exporttype_t* exp =
      wasm_exporttype_new(&ename, wasm_functype_as_externtype(wasm_functype_new_0_0()));
  CHECK(name_is(wasm_exporttype_name(exp), "run"));
  CHECK(wasm_externtype_kind(wasm_exporttype_type(exp)) == WASM_EXTERN_FUNC);
  wasm_exporttype_t* expc = wasm_exporttype_copy(exp);
  wasm_exporttype_delete(exp);
  CHECK(name_is(wasm_exporttype_name(expc), "run"));
  wasm_exporttype_delete(expc);
}

static void vectors(void) {
  wasm_byte_vec_t empty;
  wasm_byte_vec_new_empty(&empty);
  CHECK(empty.size == 0);
  wasm_byte_vec_delete(&empty);

  wasm_byte_vec_t bytes, copy;
  wasm_byte_vec_new(&bytes, 3, "abc");
  wasm_byte_vec_copy(&copy, &bytes);
  CHECK(copy.size == 3 && copy.data != bytes.data && memcmp(copy.data, "abc", 3) == 0);
  wasm_byte_vec_delete(&bytes);
  wasm_byte_vec_delete(&copy);

  wasm_name_t nt;
  wasm_name_new_from_string_nt(&nt, "hi");
  CHECK(nt.size == 3 && nt.data[2] == '\0');
  wasm_name_delete(&nt);

  wasm_valtype_vec_t types;
  wasm_valtype_vec_new_uninitialized(&types, 2);
  CHECK(types.size == 2);
  types.data[0] = wasm_valtype_new_i32();
  types.data[1] = wasm_valtype_new_f32();
  wasm_valtype_vec_t types_copy;
  wasm_valtype_vec_copy(&types_copy, &types);
  wasm_valtype_vec_delete(&types);
  CHECK(wasm_valtype_kind(types_copy.data[1]) == WASM_F32);
  wasm_valtype_vec_delete(&types_copy);

  wasm_val_t vals[2] = {WASM_I32_VAL(7), WASM_F64_VAL(2.5)};
  wasm_val_vec_t vv, vv_copy;
  wasm_val_vec_new(&vv, 2, vals);
  wasm_val_vec_copy(&vv_copy, &vv);
  CHECK(vv_copy.data[0].of.i32 == 7 && vv_copy.data[1].of.f64 == 2.5);
  wasm_val_vec_delete(&vv);
  wasm_val_vec_delete(&vv_copy);

  /* Each family has the five functions; the ones not used above. */
  wasm_functype_vec_t fv;
  wasm_functype_vec_new_empty(&fv);
  wasm_functype_vec_delete(&fv);
  wasm_globaltype_t* g = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_globaltype_vec_t gv, gvc;
  wasm_globaltype_vec_new(&gv, 1, &g);
  wasm_globaltype_vec_copy(&gvc, &gv);
  wasm_globaltype_vec_delete(&gv);
  wasm_globaltype_vec_delete(&gvc);
  wasm_tabletype_vec_t tv;
  wasm_tabletype_vec_new_uninitialized(&tv, 1);
  wasm_limits_t limits = {0, 1};
  tv.data[0] = wasm_tabletype_new(wasm_valtype_new_funcref(), &limits);
  wasm_tabletype_vec_delete(&tv);
  wasm_memorytype_vec_t mv;
  wasm_memorytype_vec_new_uninitialized(&mv, 1);
  mv.data[0] = wasm_memorytype_new(&limits);
  wasm_memorytype_vec_t mvc;
  wasm_memorytype_vec_copy(&mvc, &mv);
  wasm_memorytype_vec_delete(&mv);
  wasm_memorytype_vec_delete(&mvc);
  wasm_externtype_vec_t ev;
  wasm_externtype_vec_new_uninitialized(&ev, 1);
  ev.data[0] = wasm_memorytype_as_externtype(wasm_memorytype_new(&limits));
  wasm_externtype_vec_delete(&ev);
  wasm_exporttype_vec_t xv;
  wasm_exporttype_vec_new_empty(&xv);
  wasm_exporttype_vec_delete(&xv);
}

int main(void) {
  value_types();
  function_types();
  global_table_memory_types();
  import_export_types();
  vectors();
  return 0;
}
