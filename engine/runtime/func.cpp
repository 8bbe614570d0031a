// Functions: host function creation and calls from the embedder, through the function's tier.
#include <algorithm>
#include <vector>

#include "engine/runtime/alloc.h"
#include "engine/runtime/api_access.h"
#include "engine/runtime/gc_collector.h"
#include "engine/runtime/host_call.h"
#include "engine/runtime/invoke.h"
#include "engine/runtime/slots.h"
#include "engine/runtime/value_match.h"

namespace tern::rt {

FuncInstance* alloc_host_func(Store& store, FuncType type, HostCallback callback, HostEntry entry) {
  FuncInstance& f = store.funcs.emplace_back();
  f.type_id = detail::Access::types(*store.engine).intern(type);
  f.host =
      std::make_unique<HostFunc>(HostFunc{std::move(type), std::move(entry), std::move(callback)});
  f.type = &f.host->type;
  return &f;
}

Result<void> invoke_slots(Store& store, FuncInstance* func, uint8_t* slots) {
  // A wasm function runs on the tier its module was compiled for; call_host does that too.
  std::optional<Trap> trap = call_host(store, func, nullptr, slots);
  if (!trap) {
    root_for_host(store, func->type->results, slots);  // the results are the embedder's now
    return {};
  }
  if (trap->message.empty()) trap->message = trap_message(trap->code);
  return Error::from_trap(std::move(*trap));
}

namespace {

Result<void> invoke_boxed(Store& store, FuncInstance* func, std::span<const Value> args,
                          std::span<Value> results) {
  const FuncType& type = *func->type;
  size_t arg_bytes = 0, result_bytes = 0;
  for (ValType t : type.params) arg_bytes += slot_bytes(t);
  for (ValType t : type.results) result_bytes += slot_bytes(t);
  // Arguments and results share the area (uint64_t: slot alignment; never empty).
  std::vector<uint64_t> area(std::max<size_t>({arg_bytes, result_bytes, kSlotBytes}) / kSlotBytes);
  uint8_t* slots = reinterpret_cast<uint8_t*>(area.data());
  uint8_t* at = slots;
  for (size_t i = 0; i < args.size(); ++i) {
    write_slot(at, args[i]);
    at += slot_bytes(type.params[i]);
  }
  TERN_TRY(invoke_slots(store, func, slots));
  at = slots;
  for (size_t i = 0; i < results.size(); ++i) {
    results[i] = read_slot(api_type(store, type.results[i]), at);
    at += slot_bytes(type.results[i]);
  }
  return {};
}

}  // namespace

Result<void> invoke(Store& store, FuncInstance* func, std::span<const Value> args,
                    std::span<Value> results) {
  return guard_allocation("the call's arguments and results",
                          [&] { return invoke_boxed(store, func, args, results); });
}

}  // namespace tern::rt

namespace tern {

using detail::Access;

Func Func::host(Store& store, FuncType type, HostCallback callback) {
  return Func(rt::alloc_host_func(Access::store(store), std::move(type), std::move(callback), {}));
}

Func Func::host(Store& store, FuncType type, HostEntry entry) {
  return Func(rt::alloc_host_func(Access::store(store), std::move(type), {}, std::move(entry)));
}

const FuncType& Func::type() const {
  static const FuncType kNullType;  // what a null Func reports rather than crash
  return f_ ? *f_->type : kNullType;
}

Result<void> Func::check_callable(Store& store) const {
  if (!f_) return Error::invalid("call of a null function");
  if (f_->instance && f_->instance->store != &Access::store(store)) {
    return Error::invalid("function called in a store it does not belong to");
  }
  return {};
}

Result<void> Func::check_typed(Store& store, const FuncType& expected) const {
  TERN_TRY(check_callable(store));
  if (*f_->type != expected) {
    return Error::invalid("typed function mismatch: the function is " + to_string(*f_->type) +
                          ", the C++ signature says " + to_string(expected));
  }
  return {};
}

Result<void> Func::call_slots(Store& store, uint64_t* slots) const {
  return rt::invoke_slots(Access::store(store), f_, reinterpret_cast<uint8_t*>(slots));
}

Result<std::vector<Value>> Func::call(Store& store, std::span<const Value> args) const {
  TERN_TRY(check_callable(store));
  const FuncType& type = *f_->type;
  if (args.size() != type.params.size()) {
    return Error::invalid("argument count mismatch: " + to_string(type) + " takes " +
                          std::to_string(type.params.size()) + ", got " +
                          std::to_string(args.size()));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (!rt::value_matches(Access::store(store), args[i], type.params[i])) {
      return Error::invalid("argument type mismatch: parameter " + std::to_string(i) + " is " +
                            name_of(type.params[i]) + ", got " + name_of(args[i].type()));
    }
  }
  std::vector<Value> results;
  results.reserve(type.results.size());
  for (ValType t : type.results) results.push_back(Value::zero(t));
  TERN_TRY(rt::invoke(Access::store(store), f_, args, results));
  return results;
}

}  // namespace tern
