// WASI for C embedders (tern_wasi.h): a wasi::Config filled from C, its functions made in a
// store as wasm_func_t, and running a command module.
#include "tern/wasi.h"

#include <tern_wasi.h>

#include "capi/internal.h"
#include "engine/runtime/alloc.h"
#include "engine/runtime/objects.h"

namespace capi = tern::capi;
namespace wasi = tern::wasi;

namespace {

// A C environment and its finalizer, run once when the last stream using it goes.
struct CallbackEnv {
  CallbackEnv(void* e, void (*f)(void*)) : env(e), finalizer(f) {}
  CallbackEnv(const CallbackEnv&) = delete;
  CallbackEnv& operator=(const CallbackEnv&) = delete;
  ~CallbackEnv() {
    if (finalizer) finalizer(env);
  }
  void* env;
  void (*finalizer)(void*);
};

// Guest stdin from a C callback.
class CallbackInput : public wasi::Stream {
 public:
  CallbackInput(tern_wasi_read_callback_t read, void* env, void (*finalizer)(void*))
      : read_(read), env_(env, finalizer) {}
  wasi::IoResult read(std::span<uint8_t> buffer) override {
    size_t n = read_(env_.env, buffer.data(), buffer.size());
    return {std::min(n, buffer.size()), 0};
  }

 private:
  tern_wasi_read_callback_t read_;
  CallbackEnv env_;
};

std::shared_ptr<wasi::Stream>& stream_slot(wasi::Config& config, tern_wasi_stdio_t which) {
  return which == TERN_WASI_STDIN    ? config.stdin_stream
         : which == TERN_WASI_STDOUT ? config.stdout_stream
                                     : config.stderr_stream;
}

void set_message(wasm_message_t* out, const std::string& text) {
  if (out) wasm_byte_vec_new(out, text.size() + 1, text.c_str());
}

}  // namespace

struct tern_wasi_config_t {
  wasi::Config config;
  // The memory outputs that tern_wasi_captured reads, by tern_wasi_stdio_t.
  std::shared_ptr<wasi::MemoryOutput> captured[3];
};

struct tern_wasi_t {
  std::shared_ptr<wasi::Context> context;
  std::shared_ptr<wasi::MemoryOutput> captured[3];
  // Every WASI function, bound to `context`. Each definition's functions are made once per store.
  tern::Linker linker;
};

extern "C" {

tern_wasi_config_t* tern_wasi_config_new(void) {
  return new tern_wasi_config_t{};
}

void tern_wasi_config_delete(tern_wasi_config_t* config) {
  delete config;
}

void tern_wasi_config_set_argv(tern_wasi_config_t* config, size_t argc, const char* const argv[]) {
  config->config.args.assign(argv, argv + argc);
}

void tern_wasi_config_set_env(tern_wasi_config_t* config, size_t count, const char* const names[],
                              const char* const values[]) {
  config->config.env.clear();
  for (size_t i = 0; i < count; ++i) config->config.env.emplace_back(names[i], values[i]);
}

void tern_wasi_config_preopen_dir(tern_wasi_config_t* config, const char* host_path,
                                  const char* guest_path, bool read_only) {
  config->config.preopens.push_back({host_path, guest_path, read_only});
}

void tern_wasi_config_stdio_fd(tern_wasi_config_t* config, tern_wasi_stdio_t which, int fd) {
  int& slot = which == TERN_WASI_STDIN    ? config->config.stdin_fd
              : which == TERN_WASI_STDOUT ? config->config.stdout_fd
                                          : config->config.stderr_fd;
  slot = fd;
  stream_slot(config->config, which).reset();
  config->captured[which].reset();
}

void tern_wasi_config_stdin_bytes(tern_wasi_config_t* config, const wasm_byte_vec_t* bytes) {
  config->config.stdin_stream = std::make_shared<wasi::MemoryInput>(
      std::string(reinterpret_cast<const char*>(bytes->data), bytes->size));
}

bool tern_wasi_config_capture(tern_wasi_config_t* config, tern_wasi_stdio_t which, size_t limit) {
  if (which == TERN_WASI_STDIN) return false;
  auto output = std::make_shared<wasi::MemoryOutput>(limit);
  stream_slot(config->config, which) = output;
  config->captured[which] = output;
  return true;
}

void tern_wasi_config_stdin_callback(tern_wasi_config_t* config, tern_wasi_read_callback_t read,
                                     void* env, void (*finalizer)(void*)) {
  config->config.stdin_stream = std::make_shared<CallbackInput>(read, env, finalizer);
}

bool tern_wasi_config_output_callback(tern_wasi_config_t* config, tern_wasi_stdio_t which,
                                      tern_wasi_write_callback_t write, void* env,
                                      void (*finalizer)(void*)) {
  if (which == TERN_WASI_STDIN) return false;
  auto owner = std::make_shared<CallbackEnv>(env, finalizer);
  stream_slot(config->config, which) =
      std::make_shared<wasi::CallbackOutput>([write, owner](std::string_view bytes) {
        write(owner->env, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      });
  config->captured[which].reset();
  return true;
}

tern_wasi_t* tern_wasi_new(tern_wasi_config_t* config, wasm_message_t* error) {
  auto wasi = std::make_unique<tern_wasi_t>();
  auto context = wasi::add_to_linker(wasi->linker, config->config);
  for (int i = 0; i < 3; ++i) wasi->captured[i] = config->captured[i];
  delete config;
  if (!context) {
    set_message(error, context.error().to_string());
    return nullptr;
  }
  wasi->context = *context;
  return wasi.release();
}

void tern_wasi_delete(tern_wasi_t* wasi) {
  delete wasi;
}

wasm_func_t* tern_wasi_func(tern_wasi_t* wasi, wasm_store_t* store, const char* module,
                            const char* name) {
  const auto& defs = tern::detail::Access::definitions(wasi->linker);
  for (const auto& def : defs) {
    if (def.module != module || def.name != name) continue;
    // Keyed like the linker's own host functions: one function per store and definition.
    tern::rt::Store& rt_store = tern::detail::Access::store(store->store);
    auto [it, inserted] = rt_store.linker_host_funcs.try_emplace(def.host_identity, nullptr);
    if (inserted) {
      it->second = tern::rt::alloc_host_func(rt_store, def.host_type, def.host, def.host_entry);
    }
    return new wasm_func_t(store, tern::detail::Access::wrap(it->second));
  }
  return nullptr;
}

bool tern_wasi_imports(tern_wasi_t* wasi, wasm_store_t* store, const wasm_module_t* module,
                       wasm_extern_vec_t* out, wasm_message_t* error) {
  auto imports = module->module.imports();
  wasm_extern_vec_new_uninitialized(out, imports.size());
  for (size_t i = 0; i < imports.size(); ++i) {
    const auto& import = imports[i];
    wasm_func_t* func =
        import.kind == tern::ExternKind::Func
            ? tern_wasi_func(wasi, store, import.module.c_str(), import.name.c_str())
            : nullptr;
    if (!func) {
      out->size = i;  // the functions made so far, which the delete frees
      wasm_extern_vec_delete(out);
      set_message(
          error, "import \"" + import.module + "\" \"" + import.name + "\" is not a WASI function");
      return false;
    }
    out->data[i] = wasm_func_as_extern(func);
  }
  return true;
}

wasm_trap_t* tern_wasi_run(tern_wasi_t* wasi, wasm_store_t* store, const wasm_module_t* module,
                           int* exit_code) {
  *exit_code = 0;
  wasm_extern_vec_t imports;
  wasm_message_t error;
  if (!tern_wasi_imports(wasi, store, module, &imports, &error)) {
    wasm_trap_t* trap = wasm_trap_new(store, &error);
    wasm_byte_vec_delete(&error);
    return trap;
  }
  wasm_trap_t* trap = nullptr;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  wasm_extern_vec_delete(&imports);
  if (!instance) return trap;
  std::optional<tern::Func> start;
  if (auto e = instance->instance.get_export("_start");
      e && std::holds_alternative<tern::Func>(*e)) {
    start = std::get<tern::Func>(*e);
  }
  wasm_instance_delete(instance);
  if (!start || !start->type().params.empty() || !start->type().results.empty()) {
    return capi::make_trap(store, "the module exports no `_start` function of type [] -> []");
  }
  auto ran = start->call(store->store, {});
  if (ran) return nullptr;
  const tern::Error& e = ran.error();
  if (e.trap && e.trap->code == tern::TrapCode::Exit) {
    *exit_code = e.trap->exit_code;
    return nullptr;
  }
  return capi::trap_of(store, e);
}

bool tern_wasi_trap_exit_code(const wasm_trap_t* trap, int* exit_code) {
  if (!trap->exit_code) return false;
  *exit_code = *trap->exit_code;
  return true;
}

bool tern_wasi_captured(const tern_wasi_t* wasi, tern_wasi_stdio_t which, wasm_byte_vec_t* out) {
  if (which == TERN_WASI_STDIN || !wasi->captured[which]) {
    wasm_byte_vec_new_empty(out);
    return false;
  }
  std::string bytes = wasi->captured[which]->contents();
  wasm_byte_vec_new(out, bytes.size(), reinterpret_cast<const wasm_byte_t*>(bytes.data()));
  return true;
}

}  // extern "C"
