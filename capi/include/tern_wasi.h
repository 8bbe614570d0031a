/* WASI preview1 for C embedders of Tern's wasm.h: a configuration (argv, environment, preopened
 * directories, stdin/stdout/stderr), the WASI functions as externs for wasm_instance_new, and
 * running a command module's `_start`. docs/c-api.md, "WASI", describes it.
 *
 * The names are Tern's own (`tern_wasi_`), not wasmtime's `wasi_config_`/`wasi_env_`: the calls
 * differ from wasmtime's in what they take, and an embedder may link both engines' headers. */
#ifndef TERN_WASI_H
#define TERN_WASI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wasm.h>

/* Exported from libtern.so, which is built with hidden visibility. */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tern_wasi_config_t tern_wasi_config_t;

/* A config with no arguments, no environment, no preopens, and the host's descriptors 0, 1
 * and 2 as the guest's stdin, stdout and stderr. */
tern_wasi_config_t* tern_wasi_config_new(void);
void tern_wasi_config_delete(tern_wasi_config_t*);

/* argv, the program name first; the strings are copied. Replaces earlier arguments. */
void tern_wasi_config_set_argv(tern_wasi_config_t*, size_t argc, const char* const argv[]);
/* The environment as `count` name/value pairs, copied. Replaces an earlier environment. */
void tern_wasi_config_set_env(tern_wasi_config_t*, size_t count, const char* const names[],
                              const char* const values[]);
/* Host directory `host_path` as the guest's `guest_path` ("/", "data", ...). Preopens become
 * descriptors 3, 4, ... in the order added. Read-only: nothing beneath it may be created,
 * written, truncated, renamed, linked, unlinked or have its times set (`notcapable`). The
 * directory is opened by tern_wasi_new. */
void tern_wasi_config_preopen_dir(tern_wasi_config_t*, const char* host_path,
                                  const char* guest_path, bool read_only);

typedef enum tern_wasi_stdio_t {
  TERN_WASI_STDIN,
  TERN_WASI_STDOUT,
  TERN_WASI_STDERR,
} tern_wasi_stdio_t;

/* The guest's stdin, stdout or stderr is host descriptor `fd` (borrowed: the embedder keeps it
 * open while the guest runs). */
void tern_wasi_config_stdio_fd(tern_wasi_config_t*, tern_wasi_stdio_t, int fd);
/* The guest's stdin reads these bytes (copied), then end of input. */
void tern_wasi_config_stdin_bytes(tern_wasi_config_t*, const wasm_byte_vec_t* bytes);
/* The guest's stdout or stderr is collected in memory, up to `limit` bytes (a write past it
 * fails with `fbig`); tern_wasi_captured reads it. False for TERN_WASI_STDIN. */
bool tern_wasi_config_capture(tern_wasi_config_t*, tern_wasi_stdio_t, size_t limit);

/* Callbacks run on the thread running the guest and must not block for long: the guest sees a
 * stream that is always ready. A read callback fills at most `capacity` bytes of `buffer` and
 * returns how many (0: end of input). `finalizer` (may be NULL) runs once on `env` when nothing
 * can call the callback any more. */
typedef size_t (*tern_wasi_read_callback_t)(void* env, uint8_t* buffer, size_t capacity);
typedef void (*tern_wasi_write_callback_t)(void* env, const uint8_t* data, size_t size);
void tern_wasi_config_stdin_callback(tern_wasi_config_t*, tern_wasi_read_callback_t, void* env,
                                     void (*finalizer)(void*));
/* False (and `finalizer` is not run) for TERN_WASI_STDIN. */
bool tern_wasi_config_output_callback(tern_wasi_config_t*, tern_wasi_stdio_t,
                                      tern_wasi_write_callback_t, void* env,
                                      void (*finalizer)(void*));

/* One guest's WASI state: descriptors, arguments, environment. It serves one store at a time. */
typedef struct tern_wasi_t tern_wasi_t;

/* Takes the config. NULL when a preopened directory cannot be opened; then `error` (if given)
 * holds a NUL-terminated message. */
tern_wasi_t* tern_wasi_new(tern_wasi_config_t* config, wasm_message_t* error);
/* Functions already made in a store keep the state alive until the store is deleted. */
void tern_wasi_delete(tern_wasi_t*);

/* The WASI function `module`.`name` (module `wasi_snapshot_preview1` or `wasi_unstable`) as a
 * new function in `store`, bound to this state; NULL when WASI has no such function. To mix
 * WASI with other imports in one wasm_instance_new. */
wasm_func_t* tern_wasi_func(tern_wasi_t*, wasm_store_t*, const char* module, const char* name);
/* Every import of `module`, in import order, for wasm_instance_new. False when an import is not
 * a WASI function (its names are in `error`, if given); `out` is then empty. */
bool tern_wasi_imports(tern_wasi_t*, wasm_store_t*, const wasm_module_t*, wasm_extern_vec_t* out,
                       wasm_message_t* error);

/* Instantiates a WASI command module with tern_wasi_imports and calls its `_start`. NULL when the
 * program finished: `*exit_code` is 0 if `_start` returned, else the status it gave proc_exit.
 * Otherwise the trap (a new one, the caller's), which says why: an unresolved import, a
 * missing `_start`, or a trap while running. */
wasm_trap_t* tern_wasi_run(tern_wasi_t*, wasm_store_t*, const wasm_module_t*, int* exit_code);

/* Whether `trap` is a guest's proc_exit (from wasm_func_call on a WASI program's function) and
 * then its status in `*exit_code`. */
bool tern_wasi_trap_exit_code(const wasm_trap_t*, int* exit_code);

/* What the guest wrote to a captured stdout or stderr (tern_wasi_config_capture) so far, as a
 * new vector; false (and `out` empty) when that stream is not captured. */
bool tern_wasi_captured(const tern_wasi_t*, tern_wasi_stdio_t, wasm_byte_vec_t* out);

#ifdef __cplusplus
}
#endif

#pragma GCC visibility pop

#endif
