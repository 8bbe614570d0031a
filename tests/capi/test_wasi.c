/* The WASI C API (tern_wasi.h): argv, environment, stdio from bytes, captures, callbacks and
 * host descriptors, read-only preopens, imports for wasm_instance_new, and proc_exit's status
 * kept apart from traps. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, fileno */
#include <tern_wasi.h>
#include <unistd.h>

#include "capi_test.h"
#include "modules.h"

static int bytes_are(const wasm_byte_vec_t* v, const char* s) {
  return v->size == strlen(s) && memcmp(v->data, s, v->size) == 0;
}

static int captured_is(const tern_wasi_t* wasi, tern_wasi_stdio_t which, const char* s) {
  wasm_byte_vec_t out;
  CHECK(tern_wasi_captured(wasi, which, &out));
  int same = bytes_are(&out, s);
  wasm_byte_vec_delete(&out);
  return same;
}

/* A guest run with stdin from bytes, captured outputs, two arguments and one variable: the
 * exit status 10 * 2 + 1 is an exit, not a trap. */
static void run_with_captures(wasm_store_t* store, const wasm_module_t* module) {
  tern_wasi_config_t* config = tern_wasi_config_new();
  const char* argv[] = {"echo", "a"};
  const char* names[] = {"X"};
  const char* values[] = {"1"};
  tern_wasi_config_set_argv(config, 2, argv);
  tern_wasi_config_set_env(config, 1, names, values);
  wasm_byte_vec_t input;
  wasm_byte_vec_new(&input, 4, "data");
  tern_wasi_config_stdin_bytes(config, &input);
  wasm_byte_vec_delete(&input);
  CHECK(!tern_wasi_config_capture(config, TERN_WASI_STDIN, 100));
  CHECK(tern_wasi_config_capture(config, TERN_WASI_STDOUT, 100));
  CHECK(tern_wasi_config_capture(config, TERN_WASI_STDERR, 100));
  tern_wasi_t* wasi = tern_wasi_new(config, NULL);
  CHECK(wasi);
  int status = -1;
  wasm_trap_t* trap = tern_wasi_run(wasi, store, module, &status);
  CHECK(trap == NULL && status == 21);
  CHECK(captured_is(wasi, TERN_WASI_STDOUT, "hello\ndata"));
  CHECK(captured_is(wasi, TERN_WASI_STDERR, "err\n"));
  wasm_byte_vec_t none;
  CHECK(!tern_wasi_captured(wasi, TERN_WASI_STDIN, &none) && none.size == 0);
  wasm_byte_vec_delete(&none);
  tern_wasi_delete(wasi);
}

struct sink {
  char text[64];
  size_t size;
  int finalized;
};

static void sink_write(void* env, const uint8_t* data, size_t size) {
  struct sink* s = env;
  CHECK(s->size + size <= sizeof s->text);
  memcpy(s->text + s->size, data, size);
  s->size += size;
}

static size_t source_read(void* env, uint8_t* buffer, size_t capacity) {
  const char** rest = env;
  size_t n = strlen(*rest) < capacity ? strlen(*rest) : capacity;
  memcpy(buffer, *rest, n);
  *rest += n;
  return n;
}

static void finalize_sink(void* env) {
  ((struct sink*)env)->finalized++;
}

/* Callbacks for all three streams, and stderr to a host file; no arguments, so `_start`
 * returns: status 0. The finalizers run once the WASI state and the store are gone. */
static void run_with_callbacks(wasm_engine_t* engine, const char* wasm, size_t size) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, wasm, size);
  struct sink out = {{0}, 0, 0};
  const char* input = "cb";
  FILE* err_file = tmpfile();
  CHECK(err_file);
  tern_wasi_config_t* config = tern_wasi_config_new();
  tern_wasi_config_stdin_callback(config, source_read, (void*)&input, NULL);
  CHECK(
      tern_wasi_config_output_callback(config, TERN_WASI_STDOUT, sink_write, &out, finalize_sink));
  CHECK(!tern_wasi_config_output_callback(config, TERN_WASI_STDIN, sink_write, &out, NULL));
  tern_wasi_config_stdio_fd(config, TERN_WASI_STDERR, fileno(err_file));
  tern_wasi_t* wasi = tern_wasi_new(config, NULL);
  CHECK(wasi);
  int status = -1;
  wasm_trap_t* trap = tern_wasi_run(wasi, store, module, &status);
  CHECK(trap == NULL && status == 0);
  CHECK(out.size == 8 && memcmp(out.text, "hello\ncb", 8) == 0);
  char err[8] = {0};
  rewind(err_file);
  CHECK(fread(err, 1, sizeof err, err_file) == 4 && strcmp(err, "err\n") == 0);
  fclose(err_file);
  tern_wasi_delete(wasi);
  CHECK(out.finalized == 0); /* the store's functions still hold the state */
  wasm_module_delete(module);
  wasm_store_delete(store);
  CHECK(out.finalized == 1);
}

/* tern_wasi_imports for wasm_instance_new; a read-only preopen refuses creation (notcapable,
 * 76), a writable one allows it; proc_exit through wasm_func_call is a trap with a status. */
static void imports_and_preopens(wasm_store_t* store, const wasm_module_t* module, int read_only) {
  char dir[] = "/tmp/tern-capi-wasi-XXXXXX";
  CHECK(mkdtemp(dir));
  tern_wasi_config_t* config = tern_wasi_config_new();
  tern_wasi_config_preopen_dir(config, dir, "/", read_only);
  tern_wasi_t* wasi = tern_wasi_new(config, NULL);
  CHECK(wasi);
  wasm_extern_vec_t imports;
  CHECK(tern_wasi_imports(wasi, store, module, &imports, NULL));
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  CHECK(instance && !trap);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);

  wasm_val_t result_val = WASM_INIT_VAL;
  wasm_val_vec_t none = WASM_EMPTY_VEC, results = {1, &result_val};
  CHECK(wasm_func_call(wasm_extern_as_func(find_export(module, &exports, "try_create")), &none,
                       &results) == NULL);
  CHECK(results.data[0].kind == WASM_I32 && results.data[0].of.i32 == (read_only ? 76 : 0));

  wasm_val_t arg_val = WASM_I32_VAL(3);
  wasm_val_vec_t args = {1, &arg_val};
  trap =
      wasm_func_call(wasm_extern_as_func(find_export(module, &exports, "exit_with")), &args, &none);
  int status = -1;
  CHECK(trap && tern_wasi_trap_exit_code(trap, &status) && status == 3);
  wasm_trap_t* copy = (wasm_trap_t*)wasm_trap_copy(trap);
  status = -1;
  CHECK(tern_wasi_trap_exit_code(copy, &status) && status == 3);
  wasm_trap_delete(copy);
  wasm_trap_delete(trap);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_extern_vec_delete(&imports);
  tern_wasi_delete(wasi);
  char created[64];
  snprintf(created, sizeof created, "%s/new.txt", dir);
  CHECK((access(created, F_OK) == 0) == !read_only);
  unlink(created);
  CHECK(rmdir(dir) == 0);
}

/* What fails: a preopen that does not exist, an import that is not WASI, a function WASI does
 * not have, a module without `_start`, and a trap that is not an exit. */
static void failures(wasm_store_t* store, const wasm_module_t* needs_host,
                     const wasm_module_t* plain) {
  tern_wasi_config_t* config = tern_wasi_config_new();
  tern_wasi_config_preopen_dir(config, "/nonexistent/tern-capi", "/", false);
  wasm_message_t error;
  CHECK(tern_wasi_new(config, &error) == NULL);
  CHECK(error.size > 0 && error.data[error.size - 1] == '\0');
  wasm_byte_vec_delete(&error);

  tern_wasi_t* wasi = tern_wasi_new(tern_wasi_config_new(), NULL);
  CHECK(wasi);
  CHECK(tern_wasi_func(wasi, store, "wasi_snapshot_preview1", "no_such_call") == NULL);
  wasm_func_t* f = tern_wasi_func(wasi, store, "wasi_unstable", "fd_write");
  CHECK(f && wasm_func_param_arity(f) == 4 && wasm_func_result_arity(f) == 1);
  wasm_func_delete(f);
  wasm_extern_vec_t imports;
  CHECK(!tern_wasi_imports(wasi, store, needs_host, &imports, &error));
  CHECK(imports.size == 0 && strstr(error.data, "\"env\" \"log\""));
  wasm_byte_vec_delete(&error);
  int status = -1;
  wasm_trap_t* trap = tern_wasi_run(wasi, store, needs_host, &status);
  CHECK(trap && trap_message_contains(trap, "not a WASI function"));
  CHECK(!tern_wasi_trap_exit_code(trap, &status));
  wasm_trap_delete(trap);
  trap = tern_wasi_run(wasi, store, plain, &status);
  CHECK(trap && trap_message_contains(trap, "_start"));
  wasm_trap_delete(trap);
  tern_wasi_delete(wasi);
}

int main(int argc, char** argv) {
  wasm_engine_t* engine = engine_for(argc, argv);
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* echo = load_module(store, wasi_echo_wasm, wasi_echo_wasm_size);
  wasm_module_t* needs_host = load_module(store, needs_host_wasm, needs_host_wasm_size);
  wasm_module_t* plain = load_module(store, sum_wasm, sum_wasm_size);
  CHECK(echo && needs_host && plain);
  run_with_captures(store, echo);
  run_with_callbacks(engine, wasi_echo_wasm, wasi_echo_wasm_size);
  imports_and_preopens(store, echo, 1);
  imports_and_preopens(store, echo, 0);
  failures(store, needs_host, plain);
  wasm_module_delete(plain);
  wasm_module_delete(needs_host);
  wasm_module_delete(echo);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
