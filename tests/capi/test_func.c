/* Host functions with and without an environment and finalizer, and traps: from wasm, from a
 * host function, from a start function, with their message, origin and trace of frames. */
#include "capi_test.h"
#include "modules.h"

static int finalized;       /* times the environment's finalizer ran */
static int host_info_freed; /* times a host info finalizer ran */

struct counter {
  int32_t add;
  int calls;
};

static wasm_trap_t* add_env(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  struct counter* c = env;
  c->calls++;
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 + c->add;
  return NULL;
}

static void finalize_counter(void* env) {
  CHECK(((struct counter*)env)->add == 100);
  finalized++;
}

static wasm_trap_t* swap(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 2 && args->data[0].kind == WASM_I64 && args->data[1].kind == WASM_F64);
  CHECK(results->size == 2);
  results->data[0].kind = WASM_F64;
  results->data[0].of.f64 = args->data[1].of.f64;
  results->data[1].kind = WASM_I64;
  results->data[1].of.i64 = args->data[0].of.i64;
  return NULL;
}

static wasm_store_t* fail_store; /* where `fail` makes its trap */

static wasm_trap_t* fail(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "host says no");
  wasm_trap_t* trap = wasm_trap_new(fail_store, &message);
  wasm_byte_vec_delete(&message);
  return trap;
}

static wasm_trap_t* wrong_result(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  results->data[0].kind = WASM_F32; /* the type says i32 */
  results->data[0].of.f32 = 1.0f;
  return NULL;
}

static void free_info(void* info) {
  CHECK(strcmp(info, "info") == 0);
  host_info_freed++;
}

static void host_functions(wasm_engine_t* engine) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, host_wasm, host_wasm_size);
  CHECK(module);

  static struct counter counter = {100, 0};
  wasm_functype_t* t1 = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* f_env = wasm_func_new_with_env(store, t1, add_env, &counter, finalize_counter);
  wasm_functype_t* t2 = wasm_functype_new_2_2(wasm_valtype_new_i64(), wasm_valtype_new_f64(),
                                              wasm_valtype_new_f64(), wasm_valtype_new_i64());
  wasm_func_t* f_swap = wasm_func_new(store, t2, swap);
  wasm_functype_delete(t2);

  wasm_extern_t* imports[] = {wasm_func_as_extern(f_env), wasm_func_as_extern(f_swap)};
  wasm_extern_vec_t imports_vec = WASM_ARRAY_VEC(imports);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports_vec, NULL);
  CHECK(instance);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);

  wasm_val_t args[1] = {WASM_I32_VAL(5)};
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args_vec = WASM_ARRAY_VEC(args), results_vec = WASM_ARRAY_VEC(results);
  CHECK(wasm_func_call(wasm_extern_as_func(exports.data[0]), &args_vec, &results_vec) == NULL);
  CHECK(results[0].of.i32 == 105 && counter.calls == 1);
  /* The host function called directly, not through wasm. */
  CHECK(wasm_func_call(f_env, &args_vec, &results_vec) == NULL);
  CHECK(results[0].of.i32 == 105 && counter.calls == 2);

  wasm_val_t swap_args[2] = {WASM_I64_VAL(-3), WASM_F64_VAL(0.5)};
  wasm_val_t swap_results[2] = {WASM_INIT_VAL, WASM_INIT_VAL};
  wasm_val_vec_t swap_args_vec = WASM_ARRAY_VEC(swap_args);
  wasm_val_vec_t swap_results_vec = WASM_ARRAY_VEC(swap_results);
  CHECK(wasm_func_call(wasm_extern_as_func(exports.data[1]), &swap_args_vec, &swap_results_vec) ==
        NULL);
  CHECK(swap_results[0].kind == WASM_F64 && swap_results[0].of.f64 == 0.5);
  CHECK(swap_results[1].kind == WASM_I64 && swap_results[1].of.i64 == -3);

  /* A host function returning a result of the wrong type traps its caller. */
  wasm_func_t* f_wrong = wasm_func_new(store, t1, wrong_result);
  wasm_trap_t* trap = wasm_func_call(f_wrong, &args_vec, &results_vec);
  CHECK(trap && trap_message_contains(trap, "not a i32"));
  wasm_trap_delete(trap);
  wasm_functype_delete(t1);

  /* Host info on a function, finalized with the store. */
  wasm_func_set_host_info_with_finalizer(f_swap, "info", free_info);
  CHECK(wasm_func_get_host_info(f_swap) != NULL);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(f_env);
  wasm_func_delete(f_swap);
  wasm_func_delete(f_wrong);
  wasm_module_delete(module);
  CHECK(finalized == 0 && host_info_freed == 0); /* the store still holds them */
  wasm_store_delete(store);
  CHECK(finalized == 1); /* exactly once */
  CHECK(host_info_freed == 1);
}

static void traps(wasm_engine_t* engine) {
  wasm_store_t* store = wasm_store_new(engine);
  fail_store = store;
  wasm_module_t* module = load_module(store, traps_wasm, traps_wasm_size);
  CHECK(module);
  wasm_functype_t* t = wasm_functype_new_0_0();
  wasm_func_t* f_fail = wasm_func_new(store, t, fail);
  wasm_functype_delete(t);
  wasm_extern_t* imports[] = {wasm_func_as_extern(f_fail)};
  wasm_extern_vec_t imports_vec = WASM_ARRAY_VEC(imports);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports_vec, NULL);
  CHECK(instance);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);

  /* outer(0) calls divide(1, 0): two frames, innermost first. */
  wasm_val_t args[1] = {WASM_I32_VAL(0)};
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args_vec = WASM_ARRAY_VEC(args), results_vec = WASM_ARRAY_VEC(results);
  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(exports.data[1]), &args_vec, &results_vec);
  CHECK(trap != NULL);
  CHECK(trap_message_is(trap, "integer divide by zero"));
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  CHECK(trace.size == 2);
  CHECK(wasm_frame_func_index(trace.data[0]) == 1); /* $inner (after the import) */
  CHECK(wasm_frame_func_index(trace.data[1]) == 2); /* $outer */
  for (size_t i = 0; i < trace.size; ++i) {
    CHECK(wasm_frame_instance(trace.data[i]) != NULL);
    CHECK(wasm_instance_same(wasm_frame_instance(trace.data[i]), instance));
    CHECK(wasm_frame_module_offset(trace.data[i]) > 8 &&
          wasm_frame_module_offset(trace.data[i]) < traps_wasm_size);
    CHECK(wasm_frame_func_offset(trace.data[i]) <= wasm_frame_module_offset(trace.data[i]));
  }
  /* Functions lie in the code section in index order. */
  CHECK(wasm_frame_module_offset(trace.data[0]) < wasm_frame_module_offset(trace.data[1]));
  /* Each frame's instruction, from its body's start (one byte of local declarations, then
   * the code): $inner's i32.div_s after two local.gets, $outer's call after i32.const 1 and a
   * local.get. The module offset is the instruction's own byte. */
  CHECK(wasm_frame_func_offset(trace.data[0]) == 5);
  CHECK((unsigned char)traps_wasm[wasm_frame_module_offset(trace.data[0])] == 0x6d);
  CHECK(wasm_frame_func_offset(trace.data[1]) == 5);
  CHECK((unsigned char)traps_wasm[wasm_frame_module_offset(trace.data[1])] == 0x10);
  wasm_frame_t* origin = wasm_trap_origin(trap);
  CHECK(origin && wasm_frame_func_index(origin) == 1);
  CHECK(wasm_frame_module_offset(origin) == wasm_frame_module_offset(trace.data[0]));
  wasm_frame_t* origin_copy = wasm_frame_copy(origin);
  CHECK(wasm_frame_func_offset(origin_copy) == wasm_frame_func_offset(origin));
  wasm_frame_delete(origin);
  wasm_frame_delete(origin_copy);
  wasm_frame_vec_t trace_copy;
  wasm_frame_vec_copy(&trace_copy, &trace);
  CHECK(wasm_frame_func_index(trace_copy.data[1]) == 2);
  wasm_frame_vec_delete(&trace_copy);
  wasm_frame_vec_delete(&trace);

  /* Trap references: copies are the same trap and share host info. */
  wasm_trap_t* trap_copy = wasm_trap_copy(trap);
  CHECK(wasm_trap_same(trap, trap_copy));
  wasm_trap_set_host_info_with_finalizer(trap, "info", free_info);
  CHECK(wasm_trap_get_host_info(trap_copy) == wasm_trap_get_host_info(trap));
  wasm_ref_t* trap_ref = wasm_trap_as_ref(trap);
  CHECK(wasm_ref_as_trap(trap_ref) == trap && wasm_ref_as_func(trap_ref) == NULL);
  CHECK(wasm_ref_as_trap_const(wasm_trap_as_ref_const(trap)) == trap);
  wasm_trap_delete(trap);
  CHECK(host_info_freed == 1); /* the copy still refers to it */
  wasm_trap_delete(trap_copy);
  CHECK(host_info_freed == 2);

  /* The store is still usable after a trap. */
  wasm_val_t ok_args[2] = {WASM_I32_VAL(7), WASM_I32_VAL(2)};
  wasm_val_vec_t ok_vec = WASM_ARRAY_VEC(ok_args);
  CHECK(wasm_func_call(wasm_extern_as_func(exports.data[0]), &ok_vec, &results_vec) == NULL);
  CHECK(results[0].of.i32 == 3);

  /* A host function's trap: its message comes through, with the wasm frame that called it. */
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  trap = wasm_func_call(wasm_extern_as_func(exports.data[2]), &none, &none);
  CHECK(trap && trap_message_is(trap, "host says no"));
  wasm_frame_vec_t host_trace;
  wasm_trap_trace(trap, &host_trace);
  CHECK(host_trace.size == 1 && wasm_frame_func_index(host_trace.data[0]) == 3);
  wasm_frame_vec_delete(&host_trace);
  wasm_trap_delete(trap);

  trap = wasm_func_call(wasm_extern_as_func(exports.data[3]), &none, &none);
  CHECK(trap && trap_message_is(trap, "unreachable"));
  wasm_frame_t* unreachable_origin = wasm_trap_origin(trap);
  CHECK(unreachable_origin && wasm_frame_func_index(unreachable_origin) == 4);
  wasm_frame_delete(unreachable_origin);
  wasm_trap_delete(trap);

  /* A trap made by the host has no frames. */
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "made here");
  trap = wasm_trap_new(store, &message);
  wasm_byte_vec_delete(&message);
  CHECK(trap_message_is(trap, "made here"));
  CHECK(wasm_trap_origin(trap) == NULL);
  wasm_frame_vec_t empty_trace;
  wasm_trap_trace(trap, &empty_trace);
  CHECK(empty_trace.size == 0);
  wasm_frame_vec_delete(&empty_trace);
  wasm_trap_delete(trap);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(f_fail);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

int main(int argc, char** argv) {
  wasm_engine_t* engine = engine_for(argc, argv);
  host_functions(engine);
  traps(engine);
  wasm_engine_delete(engine);
  return 0;
}
