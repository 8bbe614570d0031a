/* References: foreign objects, host info with finalizers, externrefs into and out of wasm
 * (arguments, results, tables, globals) and funcrefs out of a table. */
#include "capi_test.h"
#include "modules.h"

static int freed[4]; /* how often each host info was finalized */

static void free_slot(void* info) {
  freed[*(int*)info]++;
}

static int slot_ids[4] = {0, 1, 2, 3};

static wasm_ref_t* call_ref(const wasm_func_t* f, wasm_ref_t* arg) {
  wasm_val_t args[1] = {WASM_REF_VAL(arg)};
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args_vec = WASM_ARRAY_VEC(args), results_vec = WASM_ARRAY_VEC(results);
  CHECK(wasm_func_call(f, &args_vec, &results_vec) == NULL);
  CHECK(results[0].kind == WASM_EXTERNREF);
  return results[0].of.ref;
}

static void foreign_objects(wasm_store_t* store) {
  wasm_foreign_t* a = wasm_foreign_new(store);
  wasm_foreign_t* b = wasm_foreign_new(store);
  CHECK(!wasm_foreign_same(a, b));
  wasm_foreign_t* a2 = wasm_foreign_copy(a);
  CHECK(wasm_foreign_same(a, a2));
  CHECK(wasm_foreign_get_host_info(a) == NULL);
  wasm_foreign_set_host_info(a, &slot_ids[0]);
  CHECK(wasm_foreign_get_host_info(a2) == &slot_ids[0]);
  /* Replacing info with a finalizer; the replaced one had none. */
  wasm_foreign_set_host_info_with_finalizer(a2, &slot_ids[1], free_slot);
  CHECK(wasm_foreign_get_host_info(a) == &slot_ids[1]);
  wasm_foreign_set_host_info_with_finalizer(b, &slot_ids[2], free_slot);

  wasm_ref_t* ra = wasm_foreign_as_ref(a);
  CHECK(wasm_ref_as_foreign(ra) == a && wasm_ref_as_func(ra) == NULL);
  CHECK(wasm_ref_as_foreign_const(wasm_foreign_as_ref_const(a)) == a);
  CHECK(wasm_ref_get_host_info(ra) == &slot_ids[1]);
  wasm_ref_t* ra2 = wasm_ref_copy(ra);
  CHECK(wasm_ref_same(ra, ra2));
  wasm_ref_set_host_info(ra2, &slot_ids[1]); /* the same info again: finalizes the old once */
  CHECK(freed[1] == 1);
  wasm_ref_delete(ra2);

  wasm_foreign_delete(b);
  CHECK(freed[2] == 1); /* b's last reference: its info is finalized */
  wasm_foreign_delete(a);
  wasm_foreign_delete(a2);
  CHECK(freed[1] == 1); /* set without finalizer the last time */
}

static void externrefs(wasm_store_t* store) {
  wasm_module_t* module = load_module(store, refs_wasm, refs_wasm_size);
  CHECK(module);
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &none, NULL);
  CHECK(instance);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_func_t* identity = wasm_extern_as_func(find_export(module, &exports, "identity"));
  wasm_func_t* is_null = wasm_extern_as_func(find_export(module, &exports, "is_null"));
  wasm_table_t* externs = wasm_extern_as_table(find_export(module, &exports, "externs"));
  wasm_table_t* funcs = wasm_extern_as_table(find_export(module, &exports, "funcs"));
  wasm_global_t* held = wasm_extern_as_global(find_export(module, &exports, "held"));

  /* A foreign object through wasm and back: the same object, with its host info. */
  wasm_foreign_t* obj = wasm_foreign_new(store);
  wasm_foreign_set_host_info_with_finalizer(obj, &slot_ids[3], free_slot);
  wasm_ref_t* back = call_ref(identity, wasm_foreign_as_ref(obj));
  CHECK(back != NULL && wasm_ref_as_foreign(back) != NULL);
  CHECK(wasm_ref_same(back, wasm_foreign_as_ref(obj)));
  CHECK(wasm_ref_get_host_info(back) == &slot_ids[3]);
  wasm_ref_delete(back);
  CHECK(call_ref(identity, NULL) == NULL);

  wasm_val_t args[1] = {WASM_REF_VAL(wasm_foreign_as_ref(obj))};
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args_vec = WASM_ARRAY_VEC(args), results_vec = WASM_ARRAY_VEC(results);
  CHECK(wasm_func_call(is_null, &args_vec, &results_vec) == NULL);
  CHECK(results[0].kind == WASM_I32 && results[0].of.i32 == 0);
  args[0].of.ref = NULL;
  CHECK(wasm_func_call(is_null, &args_vec, &results_vec) == NULL);
  CHECK(results[0].of.i32 == 1);

  /* Any reference can be an externref: a function, here, comes back as a function. */
  wasm_func_t* dbl = wasm_extern_as_func(find_export(module, &exports, "double"));
  back = call_ref(identity, wasm_func_as_ref(dbl));
  CHECK(wasm_ref_as_func(back) != NULL && wasm_ref_same(back, wasm_func_as_ref(dbl)));
  wasm_ref_delete(back);

  /* Tables and globals of externref. */
  CHECK(wasm_table_set(externs, 2, wasm_foreign_as_ref(obj)));
  wasm_ref_t* from_table = wasm_table_get(externs, 2);
  CHECK(from_table && wasm_ref_same(from_table, wasm_foreign_as_ref(obj)));
  wasm_ref_delete(from_table);
  wasm_val_t v = WASM_REF_VAL(wasm_foreign_as_ref(obj));
  wasm_global_set(held, &v);
  wasm_val_t got;
  wasm_global_get(held, &got);
  CHECK(got.kind == WASM_EXTERNREF && wasm_ref_same(got.of.ref, wasm_foreign_as_ref(obj)));
  wasm_val_t got_copy;
  wasm_val_copy(&got_copy, &got);
  CHECK(got_copy.of.ref != got.of.ref && wasm_ref_same(got_copy.of.ref, got.of.ref));
  wasm_val_delete(&got);
  wasm_val_delete(&got_copy);

  /* A global of externref made by the host. */
  wasm_globaltype_t* gt = wasm_globaltype_new(wasm_valtype_new_externref(), WASM_VAR);
  wasm_global_t* g = wasm_global_new(store, gt, &v);
  wasm_globaltype_delete(gt);
  CHECK(g);
  wasm_global_get(g, &got);
  CHECK(wasm_ref_as_foreign(got.of.ref) != NULL);
  wasm_val_delete(&got);
  wasm_global_delete(g);

  /* A funcref out of a table calls like the export it is. */
  wasm_ref_t* fref = wasm_table_get(funcs, 0);
  CHECK(fref != NULL);
  wasm_func_t* f = wasm_ref_as_func(fref);
  CHECK(f && wasm_func_same(f, dbl));
  CHECK(wasm_func_as_ref(f) == fref && wasm_ref_as_func_const(fref) == f);
  wasm_val_t in[1] = {WASM_I32_VAL(21)};
  wasm_val_vec_t in_vec = WASM_ARRAY_VEC(in);
  CHECK(wasm_func_call(f, &in_vec, &results_vec) == NULL);
  CHECK(results[0].of.i32 == 42);
  wasm_ref_delete(fref);
  /* A foreign object where a funcref is wanted is refused. */
  CHECK(!wasm_table_set(funcs, 1, wasm_foreign_as_ref(obj)));

  /* Host info on store objects lives with the object, whichever reference set it. */
  wasm_table_set_host_info(externs, &slot_ids[0]);
  wasm_extern_vec_t again;
  wasm_instance_exports(instance, &again);
  CHECK(wasm_table_get_host_info(wasm_extern_as_table(find_export(module, &again, "externs"))) ==
        &slot_ids[0]);
  wasm_extern_vec_delete(&again);
  wasm_memory_t* no_memory = wasm_extern_as_memory(wasm_table_as_extern(externs));
  CHECK(no_memory == NULL);
  CHECK(wasm_ref_as_table(wasm_table_as_ref(externs)) == externs);
  CHECK(wasm_ref_as_extern(wasm_table_as_ref(externs)) == wasm_table_as_extern(externs));
  CHECK(wasm_ref_as_extern_const(wasm_foreign_as_ref_const(obj)) == NULL);
  CHECK(wasm_ref_as_global(wasm_global_as_ref(held)) == held);
  CHECK(wasm_ref_as_memory_const(wasm_global_as_ref_const(held)) == NULL);
  CHECK(wasm_ref_as_instance(wasm_instance_as_ref(instance)) == instance);
  CHECK(wasm_ref_as_module_const(wasm_module_as_ref_const(module)) == module);
  CHECK(wasm_ref_as_instance_const(wasm_module_as_ref(module)) == NULL);
  CHECK(wasm_extern_as_ref_const(wasm_table_as_extern(externs)) == wasm_table_as_ref(externs));
  CHECK(wasm_ref_as_table_const(wasm_extern_as_ref(wasm_table_as_extern(externs))) == externs);

  wasm_foreign_delete(obj);
  CHECK(freed[3] == 0); /* wasm still holds it (table, global): the store keeps it */
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
}

int main(int argc, char** argv) {
  wasm_engine_t* engine = engine_for(argc, argv);
  wasm_store_t* store = wasm_store_new(engine);
  foreign_objects(store);
  externrefs(store);
  wasm_store_delete(store);
  CHECK(freed[3] == 1); /* with the store */
  wasm_engine_delete(engine);
  return 0;
}
