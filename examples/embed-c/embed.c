/* A C host for Tern through the standard C API (wasm.h), built against an installed Tern:
 * a host function with an environment, a call, and a trap with its frames. */
#include <stdio.h>
#include <stdlib.h>
#include <wasm.h>

/* The guest, encoded from this text:
(module
  (import "host" "log" (func $log (param i32)))
  (func (export "sum_squares") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $log (local.get $acc))
    (local.get $acc))
  (func (export "divide") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1))))
*/
static const char guest_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x10, 0x03, 0x60, 0x01, 0x7f, 0x00, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x02, 0x0c, 0x01, 0x04, 0x68, 0x6f,
    0x73, 0x74, 0x03, 0x6c, 0x6f, 0x67, 0x00, 0x00, 0x03, 0x03, 0x02, 0x01, 0x02, 0x07, 0x18, 0x02,
    0x0b, 0x73, 0x75, 0x6d, 0x5f, 0x73, 0x71, 0x75, 0x61, 0x72, 0x65, 0x73, 0x00, 0x01, 0x06, 0x64,
    0x69, 0x76, 0x69, 0x64, 0x65, 0x00, 0x02, 0x0a, 0x34, 0x02, 0x2a, 0x01, 0x02, 0x7f, 0x02, 0x40,
    0x03, 0x40, 0x20, 0x01, 0x20, 0x00, 0x4f, 0x0d, 0x01, 0x20, 0x02, 0x20, 0x01, 0x20, 0x01, 0x6c,
    0x6a, 0x21, 0x02, 0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x02,
    0x10, 0x00, 0x20, 0x02, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6d, 0x0b, 0x00, 0x0d, 0x04,
    0x6e, 0x61, 0x6d, 0x65, 0x01, 0x06, 0x01, 0x00, 0x03, 0x6c, 0x6f, 0x67,
};

static wasm_trap_t* log_i32(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)results;
  int* calls = env;
  ++*calls;
  printf("guest logged %d\n", args->data[0].of.i32);
  return NULL;
}

static void finalize_calls(void* env) {
  printf("host function finalized after %d call(s)\n", *(int*)env);
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_byte_vec_t binary = {sizeof guest_wasm, (wasm_byte_t*)guest_wasm};
  wasm_module_t* module = wasm_module_new(store, &binary); /* borrows binary */
  if (!module) {
    fprintf(stderr, "guest does not compile\n");
    return 1;
  }

  static int calls = 0;
  wasm_functype_t* log_type = wasm_functype_new_1_0(wasm_valtype_new_i32());
  wasm_func_t* log_func = wasm_func_new_with_env(store, log_type, log_i32, &calls, finalize_calls);
  wasm_functype_delete(log_type);

  wasm_extern_t* imports[] = {wasm_func_as_extern(log_func)};
  wasm_extern_vec_t import_vec = WASM_ARRAY_VEC(imports);
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &import_vec, &trap);
  if (!instance) {
    fprintf(stderr, "instantiation failed\n");
    return 1;
  }
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  const wasm_func_t* sum_squares = wasm_extern_as_func(exports.data[0]);
  const wasm_func_t* divide = wasm_extern_as_func(exports.data[1]);

  wasm_val_t args[2] = {WASM_I32_VAL(10), WASM_I32_VAL(0)};
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t one_arg = {1, args}, two_args = WASM_ARRAY_VEC(args);
  wasm_val_vec_t result_vec = WASM_ARRAY_VEC(results);
  if ((trap = wasm_func_call(sum_squares, &one_arg, &result_vec)) != NULL) return 1;
  printf("sum_squares(10) = %d\n", results[0].of.i32);

  trap = wasm_func_call(divide, &two_args, &result_vec); /* 10 / 0 */
  if (trap) {
    wasm_message_t message;
    wasm_trap_message(trap, &message);
    wasm_frame_t* origin = wasm_trap_origin(trap);
    printf("divide(10, 0) trapped: %s, in function %u\n", message.data,
           origin ? wasm_frame_func_index(origin) : 0u);
    wasm_frame_delete(origin);
    wasm_byte_vec_delete(&message);
    wasm_trap_delete(trap);
  }

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(log_func);
  wasm_module_delete(module);
  wasm_store_delete(store); /* frees the host function: its finalizer runs */
  wasm_engine_delete(engine);
  return 0;
}
