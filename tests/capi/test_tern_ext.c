/* Tern's additions to the C API (tern_c.h): tiers, fuel, interruption from another thread,
 * store limits, and the text format. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <pthread.h>
#include <time.h>

#include "capi_test.h"
#include "modules.h"

static void config_checks(void) {
  wasm_config_t* config = wasm_config_new();
  CHECK(tern_config_set_tier(config, TERN_TIER_INTERP));
  CHECK(tern_config_set_tier(config, TERN_TIER_AUTO));
  CHECK(!tern_config_set_max_call_depth(config, 0));
  CHECK(tern_config_set_max_call_depth(config, 1000));
  wasm_config_delete(config);
}

static wasm_trap_t* call0(const wasm_func_t* f) {
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  return wasm_func_call(f, &none, &none);
}

static void fuel(int argc, char** argv) {
  wasm_config_t* config = config_for(argc, argv);
  tern_config_set_consume_fuel(config, true);
  wasm_engine_t* engine = wasm_engine_new_with_config(config);
  wasm_store_t* store = wasm_store_new(engine);
  uint64_t left = 0;
  CHECK(!tern_store_get_fuel(store, &left));
  tern_store_set_fuel(store, 10000);
  CHECK(tern_store_get_fuel(store, &left) && left == 10000);
  wasm_module_t* module = load_module(store, spin_wasm, spin_wasm_size);
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &none, NULL);
  CHECK(instance);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_trap_t* trap = call0(wasm_extern_as_func(find_export(module, &exports, "spin")));
  CHECK(trap && trap_message_is(trap, "all fuel consumed"));
  wasm_trap_delete(trap);
  CHECK(tern_store_get_fuel(store, &left) && left == 0);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
}

struct interrupter {
  wasm_store_t* store;
};

static void* interrupt_soon(void* arg) {
  struct timespec pause = {0, 50 * 1000 * 1000};
  nanosleep(&pause, NULL);
  tern_store_interrupt(((struct interrupter*)arg)->store);
  return NULL;
}

static void interruption_and_limits(wasm_engine_t* engine) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, spin_wasm, spin_wasm_size);
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &none, NULL);
  CHECK(instance);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  const wasm_func_t* spin = wasm_extern_as_func(find_export(module, &exports, "spin"));

  /* An endless loop ends when another thread interrupts the store. */
  struct interrupter job = {store};
  pthread_t thread;
  CHECK(pthread_create(&thread, NULL, interrupt_soon, &job) == 0);
  wasm_trap_t* trap = call0(spin);
  CHECK(pthread_join(thread, NULL) == 0);
  CHECK(trap && trap_message_is(trap, "interrupted"));
  wasm_trap_delete(trap);

  /* The store's page cap refuses a grow the memory's type allows. */
  tern_store_set_limits(store, 3, 1000, 10);
  const wasm_func_t* grow = wasm_extern_as_func(find_export(module, &exports, "grow"));
  wasm_val_t args[1] = {WASM_I32_VAL(5)};
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args_vec = WASM_ARRAY_VEC(args), results_vec = WASM_ARRAY_VEC(results);
  CHECK(wasm_func_call(grow, &args_vec, &results_vec) == NULL);
  CHECK(results[0].of.i32 == -1);
  args[0].of.i32 = 2;
  CHECK(wasm_func_call(grow, &args_vec, &results_vec) == NULL);
  CHECK(results[0].of.i32 == 1);
  CHECK(!wasm_memory_grow(wasm_extern_as_memory(find_export(module, &exports, "memory")), 1));

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

static void text_format(wasm_engine_t* engine) {
  const char* text = "(module (func (export \"seven\") (result i32) (i32.const 7)))";
  wasm_byte_vec_t binary;
  wasm_message_t error;
  CHECK(tern_wat_to_wasm(text, strlen(text), &binary, &error));
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_new(store, &binary);
  CHECK(module);
  wasm_byte_vec_delete(&binary);
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &none, NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t no_args = WASM_EMPTY_VEC, results_vec = WASM_ARRAY_VEC(results);
  CHECK(wasm_func_call(wasm_extern_as_func(exports.data[0]), &no_args, &results_vec) == NULL);
  CHECK(results[0].of.i32 == 7);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);

  const char* bad = "(module (func (result i32) (i32.const)))";
  CHECK(!tern_wat_to_wasm(bad, strlen(bad), &binary, &error));
  CHECK(binary.size == 0);
  CHECK(error.size > 1 && error.data[error.size - 1] == '\0');
  wasm_byte_vec_delete(&error);
  CHECK(!tern_wat_to_wasm(bad, strlen(bad), &binary, NULL));
}

int main(int argc, char** argv) {
  config_checks();
  fuel(argc, argv);
  wasm_engine_t* engine = engine_for(argc, argv);
  interruption_and_limits(engine);
  text_format(engine);
  wasm_engine_delete(engine);
  return 0;
}
