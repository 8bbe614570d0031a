/* An installed-package host (C, built with pkg-config): runs a WASI command written in the text
 * format through the WASI C API, its stdout captured in memory, and prints what it wrote and
 * its exit status. */
#include <stdio.h>
#include <string.h>
#include <tern_c.h>
#include <tern_wasi.h>
#include <wasm.h>

static const char guest[] =
    "(module\n"
    "  (import \"wasi_snapshot_preview1\" \"fd_write\"\n"
    "    (func $fd_write (param i32 i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $proc_exit (param i32)))\n"
    "  (memory (export \"memory\") 1)\n"
    "  (data (i32.const 0) \"\\10\\00\\00\\00\\0c\\00\\00\\00\")\n"
    "  (data (i32.const 16) \"hello, wasi\\n\")\n"
    "  (func (export \"_start\")\n"
    "    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))\n"
    "    (call $proc_exit (i32.const 7))))\n";

int main(void) {
  wasm_byte_vec_t binary;
  if (!tern_wat_to_wasm(guest, strlen(guest), &binary, NULL)) return 1;
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  if (!module) return 1;

  tern_wasi_config_t* config = tern_wasi_config_new();
  tern_wasi_config_capture(config, TERN_WASI_STDOUT, 4096);
  tern_wasi_t* wasi = tern_wasi_new(config, NULL);
  int status = -1;
  wasm_trap_t* trap = tern_wasi_run(wasi, store, module, &status);
  if (trap) return 1;
  wasm_byte_vec_t out;
  tern_wasi_captured(wasi, TERN_WASI_STDOUT, &out);
  printf("stdout: %.*s", (int)out.size, out.data);
  printf("exit status: %d\n", status);
  wasm_byte_vec_delete(&out);

  tern_wasi_delete(wasi);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
