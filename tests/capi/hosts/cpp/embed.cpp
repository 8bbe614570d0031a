// An installed-package host (C++, built with find_package(tern)): the C++ API compiles a WASI
// command from the text format's binary, the WASI C API runs it with its stdout in memory.
#include <tern_c.h>
#include <tern_wasi.h>
#include <wasm.h>

#include <cstdio>
#include <memory>
#include <string_view>

namespace {

constexpr std::string_view kGuest = R"((module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\0c\00\00\00")
  (data (i32.const 16) "hello, wasi\n")
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (i32.const 7)))))";

template <class T, void (*Delete)(T*)>
struct Deleter {
  void operator()(T* p) const { Delete(p); }
};
template <class T, void (*Delete)(T*)>
using Owned = std::unique_ptr<T, Deleter<T, Delete>>;

}  // namespace

int main() {
  wasm_byte_vec_t binary;
  if (!tern_wat_to_wasm(kGuest.data(), kGuest.size(), &binary, nullptr)) return 1;
  Owned<wasm_engine_t, wasm_engine_delete> engine(wasm_engine_new());
  Owned<wasm_store_t, wasm_store_delete> store(wasm_store_new(engine.get()));
  Owned<wasm_module_t, wasm_module_delete> module(wasm_module_new(store.get(), &binary));
  wasm_byte_vec_delete(&binary);
  if (!module) return 1;

  tern_wasi_config_t* config = tern_wasi_config_new();
  tern_wasi_config_capture(config, TERN_WASI_STDOUT, 4096);
  Owned<tern_wasi_t, tern_wasi_delete> wasi(tern_wasi_new(config, nullptr));
  int status = -1;
  if (wasm_trap_t* trap = tern_wasi_run(wasi.get(), store.get(), module.get(), &status)) {
    wasm_trap_delete(trap);
    return 1;
  }
  wasm_byte_vec_t out;
  tern_wasi_captured(wasi.get(), TERN_WASI_STDOUT, &out);
  std::printf("stdout: %.*s", int(out.size), out.data);
  std::printf("exit status: %d\n", status);
  wasm_byte_vec_delete(&out);
  return 0;
}
