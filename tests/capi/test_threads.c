/* One module compiled once, shared with wasm_module_share and obtained by threads that each
 * instantiate it in their own store and call it at the same time. */
#include <pthread.h>

#include "capi_test.h"
#include "modules.h"

enum { kThreads = 4, kCalls = 50 };

struct job {
  wasm_engine_t* engine;
  wasm_shared_module_t* shared;
  int64_t n;
  int ok;
};

static void* run(void* arg) {
  struct job* job = arg;
  wasm_store_t* store = wasm_store_new(job->engine);
  wasm_module_t* module = wasm_module_obtain(store, job->shared);
  CHECK(module);
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &none, NULL);
  CHECK(instance);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  const wasm_func_t* sum = wasm_extern_as_func_const(exports.data[0]);
  job->ok = 1;
  for (int i = 0; i < kCalls; ++i) {
    int64_t n = job->n + i;
    wasm_val_t args[1] = {WASM_I64_VAL(n)};
    wasm_val_t results[1] = {WASM_INIT_VAL};
    wasm_val_vec_t args_vec = WASM_ARRAY_VEC(args), results_vec = WASM_ARRAY_VEC(results);
    if (wasm_func_call(sum, &args_vec, &results_vec) != NULL ||
        results[0].of.i64 != n * (n - 1) / 2) {
      job->ok = 0;
    }
  }
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  return NULL;
}

int main(int argc, char** argv) {
  wasm_engine_t* engine = engine_for(argc, argv);
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, sum_wasm, sum_wasm_size);
  CHECK(module);
  wasm_shared_module_t* shared = wasm_module_share(module);
  wasm_module_delete(module); /* the shared module keeps the code */

  struct job jobs[kThreads];
  pthread_t threads[kThreads];
  for (int i = 0; i < kThreads; ++i) {
    jobs[i] = (struct job){engine, shared, 1000 * (i + 1), 0};
    CHECK(pthread_create(&threads[i], NULL, run, &jobs[i]) == 0);
  }
  for (int i = 0; i < kThreads; ++i) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(jobs[i].ok);
  }

  /* A store of another engine cannot obtain it. */
  wasm_engine_t* other = wasm_engine_new();
  wasm_store_t* other_store = wasm_store_new(other);
  CHECK(wasm_module_obtain(other_store, shared) == NULL);
  wasm_store_delete(other_store);
  wasm_engine_delete(other);

  wasm_shared_module_delete(shared);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
