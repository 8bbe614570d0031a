/* What every C API test shares: a CHECK that stops the program, and module helpers. */
#ifndef TERN_CAPI_TEST_H
#define TERN_CAPI_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tern_c.h>
#include <wasm.h>

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

/* A config for the tier named by the program's first argument (interp, jit, jit-lazy), or for
 * the default tier without one: CTest runs each test on every tier of the build. */
static inline wasm_config_t* config_for(int argc, char** argv) {
  wasm_config_t* config = wasm_config_new();
  if (argc > 1) {
    tern_tier_t tier = strcmp(argv[1], "interp") == 0 ? TERN_TIER_INTERP
                       : strcmp(argv[1], "jit") == 0  ? TERN_TIER_JIT
                                                      : TERN_TIER_JIT_LAZY;
    CHECK(strcmp(argv[1], "jit-lazy") == 0 || tier != TERN_TIER_JIT_LAZY);
    CHECK(tern_config_set_tier(config, tier));
  }
  return config;
}

static inline wasm_engine_t* engine_for(int argc, char** argv) {
  return wasm_engine_new_with_config(config_for(argc, argv));
}

static inline wasm_module_t* load_module(wasm_store_t* store, const char* bytes, size_t size) {
  wasm_byte_vec_t binary;
  wasm_byte_vec_new(&binary, size, bytes);
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  return module;
}

/* The export of that name among an instance's exports (in the module's export order). */
static inline wasm_extern_t* find_export(const wasm_module_t* module,
                                         const wasm_extern_vec_t* exports, const char* name) {
  wasm_exporttype_vec_t types;
  wasm_module_exports(module, &types);
  wasm_extern_t* found = NULL;
  for (size_t i = 0; i < types.size; ++i) {
    const wasm_name_t* n = wasm_exporttype_name(types.data[i]);
    if (n->size == strlen(name) && memcmp(n->data, name, n->size) == 0) found = exports->data[i];
  }
  wasm_exporttype_vec_delete(&types);
  CHECK(found != NULL);
  return found;
}

static inline int name_is(const wasm_name_t* n, const char* s) {
  return n->size == strlen(s) && memcmp(n->data, s, n->size) == 0;
}

/* The trap's message without its terminating NUL, compared with s. */
static inline int trap_message_is(const wasm_trap_t* trap, const char* s) {
  wasm_message_t m;
  wasm_trap_message(trap, &m);
  int same = m.size == strlen(s) + 1 && memcmp(m.data, s, m.size) == 0;
  wasm_byte_vec_delete(&m);
  return same;
}

static inline int trap_message_contains(const wasm_trap_t* trap, const char* s) {
  wasm_message_t m;
  wasm_trap_message(trap, &m);
  int found = m.size > 0 && m.data[m.size - 1] == '\0' && strstr(m.data, s) != NULL;
  wasm_byte_vec_delete(&m);
  return found;
}

#endif
