/* Modules (new, validate, imports and exports, serialize) and instances with imports of every
 * kind: functions, globals, tables and memories, made by the host and used by wasm. */
#include "capi_test.h"
#include "modules.h"

static wasm_trap_t* plus_one(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 + 1;
  return NULL;
}

static void reflection(const wasm_module_t* module) {
  wasm_importtype_vec_t imports;
  wasm_module_imports(module, &imports);
  CHECK(imports.size == 4);
  CHECK(name_is(wasm_importtype_module(imports.data[0]), "env"));
  CHECK(name_is(wasm_importtype_name(imports.data[0]), "f"));
  const wasm_functype_t* f =
      wasm_externtype_as_functype_const(wasm_importtype_type(imports.data[0]));
  CHECK(f && wasm_functype_params(f)->size == 1 && wasm_functype_results(f)->size == 1);
  const wasm_globaltype_t* g =
      wasm_externtype_as_globaltype_const(wasm_importtype_type(imports.data[1]));
  CHECK(g && wasm_valtype_kind(wasm_globaltype_content(g)) == WASM_I32);
  CHECK(wasm_globaltype_mutability(g) == WASM_CONST);
  const wasm_tabletype_t* t =
      wasm_externtype_as_tabletype_const(wasm_importtype_type(imports.data[2]));
  CHECK(t && wasm_tabletype_limits(t)->min == 1);
  CHECK(wasm_tabletype_limits(t)->max == wasm_limits_max_default);
  const wasm_memorytype_t* m =
      wasm_externtype_as_memorytype_const(wasm_importtype_type(imports.data[3]));
  CHECK(m && wasm_memorytype_limits(m)->min == 1 && wasm_memorytype_limits(m)->max == 3);
  wasm_importtype_vec_delete(&imports);

  wasm_exporttype_vec_t exports;
  wasm_module_exports(module, &exports);
  CHECK(exports.size == 7);
  const char* names[] = {"add", "call_f", "read_g", "load", "counter", "tab", "mem"};
  wasm_externkind_t kinds[] = {WASM_EXTERN_FUNC,  WASM_EXTERN_FUNC,   WASM_EXTERN_FUNC,
                               WASM_EXTERN_FUNC,  WASM_EXTERN_GLOBAL, WASM_EXTERN_TABLE,
                               WASM_EXTERN_MEMORY};
  for (size_t i = 0; i < exports.size; ++i) {
    CHECK(name_is(wasm_exporttype_name(exports.data[i]), names[i]));
    CHECK(wasm_externtype_kind(wasm_exporttype_type(exports.data[i])) == kinds[i]);
  }
  const wasm_globaltype_t* counter =
      wasm_externtype_as_globaltype_const(wasm_exporttype_type(exports.data[4]));
  CHECK(wasm_valtype_kind(wasm_globaltype_content(counter)) == WASM_I64);
  CHECK(wasm_globaltype_mutability(counter) == WASM_VAR);
  const wasm_tabletype_t* tab =
      wasm_externtype_as_tabletype_const(wasm_exporttype_type(exports.data[5]));
  CHECK(wasm_tabletype_limits(tab)->min == 2 && wasm_tabletype_limits(tab)->max == 10);
  wasm_exporttype_vec_delete(&exports);
}

/* The compiled-module cache: "\0twasm\r\n", a header, the module and (on the JIT) its code;
 * it loads as the module did, and a corrupt, truncated or plain binary one is refused. */
static void serialize_round_trip(wasm_store_t* store, const wasm_module_t* module) {
  wasm_byte_vec_t serialized;
  wasm_module_serialize(module, &serialized);
  CHECK(serialized.size > module_wasm_size);
  CHECK(serialized.size > 6 && memcmp(serialized.data, "\0twasm", 6) == 0);
  wasm_module_t* again = wasm_module_deserialize(store, &serialized);
  CHECK(again != NULL);
  wasm_exporttype_vec_t exports;
  wasm_module_exports(again, &exports);
  CHECK(exports.size == 7);
  wasm_exporttype_vec_delete(&exports);
  wasm_module_delete(again);

  wasm_byte_vec_t plain;
  wasm_byte_vec_new(&plain, module_wasm_size, (const wasm_byte_t*)module_wasm);
  CHECK(wasm_module_deserialize(store, &plain) == NULL);
  wasm_byte_vec_delete(&plain);
  wasm_byte_vec_t truncated;
  wasm_byte_vec_new(&truncated, serialized.size - 1, serialized.data);
  CHECK(wasm_module_deserialize(store, &truncated) == NULL);
  wasm_byte_vec_delete(&truncated);
  serialized.data[serialized.size / 2] ^= 0x40; /* caught by the checksum */
  CHECK(wasm_module_deserialize(store, &serialized) == NULL);
  wasm_byte_vec_delete(&serialized);
}

static int32_t call_i32(const wasm_func_t* func, int32_t a, int32_t b, size_t nargs) {
  wasm_val_t args[2] = {WASM_I32_VAL(a), WASM_I32_VAL(b)};
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args_vec = {nargs, args};
  wasm_val_vec_t results_vec = WASM_ARRAY_VEC(results);
  wasm_trap_t* trap = wasm_func_call(func, &args_vec, &results_vec);
  CHECK(trap == NULL);
  CHECK(results[0].kind == WASM_I32);
  return results[0].of.i32;
}

static void instance_with_imports(wasm_store_t* store, const wasm_module_t* module) {
  wasm_functype_t* ftype = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* f = wasm_func_new(store, ftype, plus_one);
  wasm_functype_delete(ftype);
  CHECK(wasm_func_param_arity(f) == 1 && wasm_func_result_arity(f) == 1);

  wasm_globaltype_t* gtype = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_val_t g_init = WASM_I32_VAL(99);
  wasm_global_t* g = wasm_global_new(store, gtype, &g_init);
  wasm_globaltype_delete(gtype);

  wasm_limits_t tlimits = {1, wasm_limits_max_default};
  wasm_tabletype_t* ttype = wasm_tabletype_new(wasm_valtype_new_funcref(), &tlimits);
  wasm_table_t* t = wasm_table_new(store, ttype, NULL);
  wasm_tabletype_delete(ttype);

  wasm_limits_t mlimits = {1, 3};
  wasm_memorytype_t* mtype = wasm_memorytype_new(&mlimits);
  wasm_memory_t* m = wasm_memory_new(store, mtype);
  wasm_memorytype_delete(mtype);
  CHECK(f && g && t && m);

  /* Too few imports: no instance, and a trap says why. */
  wasm_extern_t* too_few[] = {wasm_func_as_extern(f)};
  wasm_extern_vec_t too_few_vec = WASM_ARRAY_VEC(too_few);
  wasm_trap_t* trap = NULL;
  CHECK(wasm_instance_new(store, module, &too_few_vec, &trap) == NULL);
  CHECK(trap != NULL && trap_message_contains(trap, "4 imports, 1 given"));
  wasm_trap_delete(trap);

  /* A global where the function should be: unlinkable. */
  wasm_extern_t* wrong[] = {wasm_global_as_extern(g), wasm_global_as_extern(g),
                            wasm_table_as_extern(t), wasm_memory_as_extern(m)};
  wasm_extern_vec_t wrong_vec = WASM_ARRAY_VEC(wrong);
  CHECK(wasm_instance_new(store, module, &wrong_vec, &trap) == NULL);
  CHECK(trap != NULL);
  wasm_trap_delete(trap);
  CHECK(wasm_instance_new(store, module, &wrong_vec, NULL) == NULL);

  wasm_extern_t* imports[] = {wasm_func_as_extern(f), wasm_global_as_extern(g),
                              wasm_table_as_extern(t), wasm_memory_as_extern(m)};
  wasm_extern_vec_t imports_vec = WASM_ARRAY_VEC(imports);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports_vec, &trap);
  CHECK(instance != NULL && trap == NULL);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 7);

  const wasm_func_t* add = wasm_extern_as_func_const(find_export(module, &exports, "add"));
  CHECK(add != NULL);
  CHECK(call_i32(add, 40, 2, 2) == 42);
  /* A wrong number of arguments is a trap, not a crash. */
  wasm_val_t one_arg[1] = {WASM_I32_VAL(1)};
  wasm_val_t result[1] = {WASM_INIT_VAL};
  wasm_val_vec_t one_vec = WASM_ARRAY_VEC(one_arg), result_vec = WASM_ARRAY_VEC(result);
  trap = wasm_func_call(add, &one_vec, &result_vec);
  CHECK(trap != NULL);
  wasm_trap_delete(trap);
  /* An argument of the wrong type too. */
  wasm_val_t wrong_args[2] = {WASM_I64_VAL(1), WASM_I32_VAL(2)};
  wasm_val_vec_t wrong_args_vec = WASM_ARRAY_VEC(wrong_args);
  trap = wasm_func_call(add, &wrong_args_vec, &result_vec);
  CHECK(trap != NULL && trap_message_contains(trap, "argument 0"));
  wasm_trap_delete(trap);

  CHECK(call_i32(wasm_extern_as_func(find_export(module, &exports, "call_f")), 9, 0, 1) == 10);
  CHECK(call_i32(wasm_extern_as_func(find_export(module, &exports, "read_g")), 0, 0, 0) == 99);

  /* The imported memory holds the data segment; the export is the same memory. */
  CHECK(wasm_memory_data(m)[0] == 0x2a);
  wasm_memory_t* mem = wasm_extern_as_memory(find_export(module, &exports, "mem"));
  CHECK(mem && wasm_memory_same(mem, m));
  CHECK(wasm_memory_size(mem) == 1 && wasm_memory_data_size(mem) == MEMORY_PAGE_SIZE);
  wasm_memory_data(mem)[5] = 17;
  CHECK(call_i32(wasm_extern_as_func(find_export(module, &exports, "load")), 5, 0, 1) == 17);
  CHECK(wasm_memory_grow(mem, 2));
  CHECK(wasm_memory_size(m) == 3);
  CHECK(!wasm_memory_grow(mem, 1)); /* past the maximum of 3 */
  wasm_memorytype_t* mem_type = wasm_memory_type(mem);
  CHECK(wasm_memorytype_limits(mem_type)->max == 3);
  wasm_memorytype_delete(mem_type);

  wasm_global_t* counter = wasm_extern_as_global(find_export(module, &exports, "counter"));
  wasm_val_t v;
  wasm_global_get(counter, &v);
  CHECK(v.kind == WASM_I64 && v.of.i64 == 7);
  wasm_val_t nine = WASM_I64_VAL(9);
  wasm_global_set(counter, &nine);
  wasm_global_get(counter, &v);
  CHECK(v.of.i64 == 9);
  wasm_val_t wrong_kind = WASM_I32_VAL(1);
  wasm_global_set(counter, &wrong_kind); /* ignored: the wrong type */
  wasm_global_get(counter, &v);
  CHECK(v.of.i64 == 9);
  wasm_global_set(g, &g_init); /* ignored: immutable */
  wasm_globaltype_t* counter_type = wasm_global_type(counter);
  CHECK(wasm_globaltype_mutability(counter_type) == WASM_VAR);
  wasm_globaltype_delete(counter_type);

  wasm_table_t* tab = wasm_extern_as_table(find_export(module, &exports, "tab"));
  CHECK(wasm_table_size(tab) == 2);
  CHECK(wasm_table_get(tab, 0) == NULL);
  CHECK(wasm_table_set(tab, 1, wasm_func_as_ref(f)));
  wasm_ref_t* got = wasm_table_get(tab, 1);
  CHECK(got && wasm_ref_same(got, wasm_func_as_ref(f)));
  wasm_ref_delete(got);
  CHECK(!wasm_table_set(tab, 2, NULL)); /* out of bounds */
  CHECK(wasm_table_get(tab, 2) == NULL);
  CHECK(wasm_table_grow(tab, 3, wasm_func_as_ref(f)));
  CHECK(wasm_table_size(tab) == 5);
  got = wasm_table_get(tab, 4);
  CHECK(got && wasm_ref_same(got, wasm_func_as_ref(f)));
  wasm_ref_delete(got);
  CHECK(!wasm_table_grow(tab, 6, NULL)); /* past the maximum of 10 */
  /* A global where a funcref is wanted. */
  CHECK(!wasm_table_set(tab, 0, wasm_global_as_ref(g)));
  wasm_tabletype_t* tab_type = wasm_table_type(tab);
  CHECK(wasm_tabletype_limits(tab_type)->min == 5);
  wasm_tabletype_delete(tab_type);

  /* Extern reflection and casts. */
  wasm_extern_t* e = find_export(module, &exports, "counter");
  CHECK(wasm_extern_kind(e) == WASM_EXTERN_GLOBAL);
  CHECK(wasm_extern_as_func(e) == NULL && wasm_extern_as_table_const(e) == NULL);
  CHECK(wasm_extern_as_global_const(e) == counter);
  CHECK(wasm_global_as_extern_const(counter) == e);
  wasm_externtype_t* et = wasm_extern_type(e);
  CHECK(wasm_externtype_kind(et) == WASM_EXTERN_GLOBAL);
  wasm_externtype_delete(et);
  wasm_extern_t* ec = wasm_extern_copy(e);
  CHECK(ec != e && wasm_extern_same(ec, e) && wasm_extern_kind(ec) == WASM_EXTERN_GLOBAL);
  CHECK(wasm_extern_as_global(ec) != NULL);
  wasm_extern_delete(ec);
  CHECK(wasm_extern_kind(wasm_table_as_extern(tab)) == WASM_EXTERN_TABLE);
  CHECK(wasm_extern_kind(wasm_memory_as_extern_const(mem)) == WASM_EXTERN_MEMORY);
  CHECK(wasm_extern_kind(wasm_func_as_extern_const(add)) == WASM_EXTERN_FUNC);
  CHECK(wasm_extern_as_memory_const(wasm_memory_as_extern(mem)) == mem);

  wasm_extern_vec_t exports_copy;
  wasm_extern_vec_copy(&exports_copy, &exports);
  CHECK(wasm_extern_same(exports_copy.data[0], exports.data[0]));
  wasm_extern_vec_delete(&exports_copy);

  wasm_functype_t* add_type = wasm_func_type(add);
  CHECK(wasm_functype_params(add_type)->size == 2);
  wasm_functype_delete(add_type);

  wasm_extern_vec_delete(&exports);
  wasm_instance_t* instance_copy = wasm_instance_copy(instance);
  CHECK(wasm_instance_same(instance, instance_copy));
  wasm_instance_delete(instance_copy);
  wasm_instance_delete(instance);
  wasm_func_delete(f);
  wasm_global_delete(g);
  wasm_table_delete(t);
  wasm_memory_delete(m);
}

int main(int argc, char** argv) {
  wasm_engine_t* engine = engine_for(argc, argv);
  wasm_store_t* store = wasm_store_new(engine);

  wasm_byte_vec_t binary;
  wasm_byte_vec_new(&binary, module_wasm_size, module_wasm);
  CHECK(wasm_module_validate(store, &binary));
  wasm_byte_vec_t garbage;
  wasm_byte_vec_new(&garbage, 4, "\0asX");
  CHECK(!wasm_module_validate(store, &garbage));
  CHECK(wasm_module_new(store, &garbage) == NULL);
  wasm_byte_vec_delete(&garbage);

  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  CHECK(module != NULL);
  reflection(module);
  serialize_round_trip(store, module);
  instance_with_imports(store, module);

  wasm_module_t* module_copy = wasm_module_copy(module);
  CHECK(wasm_module_same(module, module_copy));
  wasm_module_delete(module);
  wasm_module_delete(module_copy);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
