// Functions: host function creation and calls from the embedder into the interpreter.
#include "engine/interp/interpreter.h"
#include "engine/runtime/alloc.h"
#include "engine/runtime/invoke.h"

namespace tern::rt {

FuncInstance* alloc_host_func(Store& store, FuncType type, HostCallback callback) {
  FuncInstance& f = store.funcs.emplace_back();
  f.type_id = store.engine->types().intern(type);
  f.host_type = std::move(type);
  f.type = &f.host_type;  // the deque never moves its elements
  f.host = std::move(callback);
  return &f;
}

namespace {
std::atomic<const TierBackend*> g_tier_backends[2];  // Interp, Jit: Auto is not a backend
}  // namespace

void register_tier_backend(Tier tier, const TierBackend* backend) {
  if (tier == Tier::Auto) return;
  g_tier_backends[size_t(tier)].store(backend);
}

const TierBackend* tier_backend(Tier tier) {
  return tier == Tier::Auto ? nullptr : g_tier_backends[size_t(tier)].load();
}

Result<void> invoke(Store& store, FuncInstance* func, std::span<const Value> args,
                    std::span<Value> results) {
  // A function runs on the tier its module was compiled for (host functions: either).
  const TierBackend* backend =
      !func->is_host() && func->instance->module->tier_code ? tier_backend(Tier::Jit) : nullptr;
  std::optional<Trap> trap = backend ? backend->call(store, func, args, results)
                                     : interp::call(store, func, args, results);
  if (!trap) return {};
  if (trap->message.empty()) trap->message = trap_message(trap->code);
  return Error::from_trap(std::move(*trap));
}

}  // namespace tern::rt

namespace tern {

Func Func::host(Store& store, FuncType type, HostCallback callback) {
  return Func(rt::alloc_host_func(*store.raw(), std::move(type), std::move(callback)));
}

const FuncType& Func::type() const {
  static const FuncType kNullType;  // what a null Func reports rather than crash
  return f_ ? *f_->type : kNullType;
}

Result<std::vector<Value>> Func::call(Store& store, std::span<const Value> args) const {
  if (!f_) return Error::invalid("call of a null function");
  if (f_->instance && f_->instance->store != store.raw()) {
    return Error::invalid("function called in a store it does not belong to");
  }
  const FuncType& type = *f_->type;
  if (args.size() != type.params.size()) {
    return Error::invalid("argument count mismatch: " + to_string(type) + " takes " +
                          std::to_string(type.params.size()) + ", got " +
                          std::to_string(args.size()));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].type() != type.params[i]) {
      return Error::invalid("argument type mismatch: parameter " + std::to_string(i) + " is " +
                            name_of(type.params[i]) + ", got " + name_of(args[i].type()));
    }
  }
  std::vector<Value> results;
  results.reserve(type.results.size());
  for (ValType t : type.results) results.push_back(Value::zero(t));
  TERN_TRY(rt::invoke(*store.raw(), f_, args, results));
  return results;
}

}  // namespace tern
