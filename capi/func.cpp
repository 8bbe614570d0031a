// Functions: host functions made from C callbacks, reflection and calls.
#include "capi/internal.h"

namespace capi = tern::capi;

namespace {

// A host function's callback and environment. The function's boxed callback holds the only
// reference, so the finalizer runs exactly once: when the store frees the function.
struct HostFuncEnv {
  HostFuncEnv(wasm_store_t* s, tern::FuncType t) : store(s), type(std::move(t)) {}
  HostFuncEnv(const HostFuncEnv&) = delete;
  HostFuncEnv& operator=(const HostFuncEnv&) = delete;
  ~HostFuncEnv() {
    if (finalizer) finalizer(env);
  }
  wasm_store_t* store;
  tern::FuncType type;
  wasm_func_callback_t callback = nullptr;  // or, with an environment:
  wasm_func_callback_with_env_t callback_with_env = nullptr;
  void* env = nullptr;
  void (*finalizer)(void*) = nullptr;
};

tern::Error host_error(std::string message) {
  tern::Trap trap;
  trap.code = tern::TrapCode::HostError;
  trap.message = std::move(message);
  return tern::Error::from_trap(std::move(trap));
}

// Runs the C callback on the engine's values; its trap becomes the call's.
tern::Result<void> call_host(const HostFuncEnv& host, std::span<const tern::Value> args,
                             std::span<tern::Value> results) {
  wasm_val_vec_t c_args, c_results;
  wasm_val_vec_new_uninitialized(&c_args, args.size());
  for (size_t i = 0; i < args.size(); ++i) c_args.data[i] = capi::val_of(host.store, args[i]);
  wasm_val_vec_new_uninitialized(&c_results, results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    c_results.data[i].kind = capi::valkind_of(host.type.results[i]);
  }
  wasm_trap_t* trap = host.callback ? host.callback(&c_args, &c_results)
                                    : host.callback_with_env(host.env, &c_args, &c_results);
  tern::Result<void> outcome;
  if (trap) {
    outcome = host_error(trap->message);
    wasm_trap_delete(trap);
  } else {
    for (size_t i = 0; i < results.size(); ++i) {
      auto v = capi::value_of(host.store, c_results.data[i], host.type.results[i]);
      if (!v) {
        outcome = host_error("host function result " + std::to_string(i) + " is not a " +
                             tern::name_of(host.type.results[i]));
        break;
      }
      results[i] = *v;
    }
  }
  wasm_val_vec_delete(&c_args);
  wasm_val_vec_delete(&c_results);
  return outcome;
}

wasm_func_t* new_host_func(wasm_store_t* store, const wasm_functype_t* type,
                           const std::function<void(HostFuncEnv&)>& set_callback) {
  auto func_type = capi::func_type_of(type);
  if (!func_type) return nullptr;
  auto host = std::make_shared<HostFuncEnv>(store, *func_type);
  set_callback(*host);
  tern::Func func = tern::Func::host(
      store->store, *func_type,
      [host](tern::Caller&, std::span<const tern::Value> args, std::span<tern::Value> results) {
        return call_host(*host, args, results);
      });
  return new wasm_func_t(store, func);
}

}  // namespace

extern "C" {

wasm_func_t* wasm_func_new(wasm_store_t* store, const wasm_functype_t* type,
                           wasm_func_callback_t callback) {
  return new_host_func(store, type, [&](HostFuncEnv& h) { h.callback = callback; });
}

wasm_func_t* wasm_func_new_with_env(wasm_store_t* store, const wasm_functype_t* type,
                                    wasm_func_callback_with_env_t callback, void* env,
                                    void (*finalizer)(void*)) {
  return new_host_func(store, type, [&](HostFuncEnv& h) {
    h.callback_with_env = callback;
    h.env = env;
    h.finalizer = finalizer;
  });
}

wasm_functype_t* wasm_func_type(const wasm_func_t* f) {
  return capi::functype_of(f->func().type());
}

size_t wasm_func_param_arity(const wasm_func_t* f) {
  return f->func().type().params.size();
}

size_t wasm_func_result_arity(const wasm_func_t* f) {
  return f->func().type().results.size();
}

// `results` comes sized by the caller (wasm_func_result_arity); each is overwritten.
wasm_trap_t* wasm_func_call(const wasm_func_t* f, const wasm_val_vec_t* args,
                            wasm_val_vec_t* results) {
  const tern::FuncType& type = f->func().type();
  size_t nargs = args ? args->size : 0;
  size_t nresults = results ? results->size : 0;
  if (nargs != type.params.size() || nresults != type.results.size()) {
    return capi::make_trap(f->store,
                           "wrong number of arguments or results for " + tern::to_string(type));
  }
  std::vector<tern::Value> values;
  values.reserve(nargs);
  for (size_t i = 0; i < nargs; ++i) {
    auto v = capi::value_of(f->store, args->data[i], type.params[i]);
    if (!v) {
      return capi::make_trap(
          f->store, "argument " + std::to_string(i) + " is not a " + tern::name_of(type.params[i]));
    }
    values.push_back(*v);
  }
  auto out = f->func().call(f->store->store, values);
  if (!out) return capi::trap_of(f->store, out.error());
  for (size_t i = 0; i < nresults; ++i) results->data[i] = capi::val_of(f->store, (*out)[i]);
  return nullptr;
}

}  // extern "C"
