// Calls out of a tier: host functions (the unboxed trampoline, or the boxed HostCallback) and
// functions of another tier's module.
#include "engine/runtime/host_call.h"

#include <new>
#include <vector>

#include "engine/runtime/api_access.h"
#include "engine/runtime/slots.h"
#include "engine/runtime/tier.h"
#include "engine/runtime/trap.h"
#include "engine/runtime/value_match.h"

namespace tern::rt {

namespace {

std::optional<Trap> as_trap(Error e) {
  if (e.trap) return std::move(*e.trap);
  return host_error(std::move(e.message));
}

// The boxed path: each argument and result as a Value.
std::optional<Trap> call_boxed(Caller& caller, const FuncInstance& func, uint8_t* slots) {
  const FuncType& type = *func.type;
  // Small signatures are the common case; avoid the heap for them.
  Value arg_buf[8], result_buf[8];
  std::vector<Value> arg_vec, result_vec;
  std::span<Value> args(arg_buf, type.params.size());
  std::span<Value> results(result_buf, type.results.size());
  if (type.params.size() > 8) arg_vec.resize(type.params.size()), args = arg_vec;
  if (type.results.size() > 8) result_vec.resize(type.results.size()), results = result_vec;

  const uint8_t* at = slots;
  for (size_t i = 0; i < args.size(); ++i) {
    args[i] = read_slot(type.params[i], at);
    at += slot_bytes(type.params[i]);
  }
  for (size_t i = 0; i < results.size(); ++i) results[i] = Value::zero(type.results[i]);
  Result<void> r = func.host->callback(caller, args, results);
  if (!r.ok()) return as_trap(r.take_error());
  uint8_t* out = slots;
  for (size_t i = 0; i < results.size(); ++i) {
    // A host writing a value of the wrong type would corrupt the caller's frame typing.
    if (!value_matches(detail::Access::store(caller.store()), results[i], type.results[i])) {
      return host_error("host function returned a value of the wrong type");
    }
    write_slot(out, results[i]);
    out += slot_bytes(type.results[i]);
  }
  return std::nullopt;
}

}  // namespace

namespace {

class HostCallRoots {
 public:
  HostCallRoots(Store& store, const uint8_t* slots, const FuncType* type)
      : store_(store), mark_(store.host_roots.size()) {
    store.arg_roots.push_back(Store::ArgRoots{slots, type});
  }
  ~HostCallRoots() {
    store_.arg_roots.pop_back();
    if (store_.host_roots.size() > mark_) store_.host_roots.resize(mark_);
  }
  HostCallRoots(const HostCallRoots&) = delete;
  HostCallRoots& operator=(const HostCallRoots&) = delete;

 private:
  Store& store_;
  size_t mark_;
};

}  // namespace

std::optional<Trap> call_host(Store& store, FuncInstance* func, Instance* caller, uint8_t* slots) {
  if (!func->is_host()) return func->instance->module->tier->call(store, func, slots);
  if (!store.api) return make_trap(TrapCode::HostError);
  Caller c = detail::Access::caller(*store.api, caller);
  // A tier's frames are below: an exception must not unwind through them (the JIT's have no
  // unwind tables), so a host function that runs out of memory traps its caller instead.
  try {
    // The arguments are roots while the host function runs, and what it is handed of the GC
    // heap meanwhile is rooted until it returns (RootScope's rule for host functions).
    HostCallRoots roots(store, slots, &func->host->type);
    const HostEntry& entry = func->host->entry;
    if (entry.call) {
      Result<void> r = entry.call(entry.env.get(), c, reinterpret_cast<uint64_t*>(slots));
      if (!r.ok()) return as_trap(r.take_error());
      return std::nullopt;
    }
    return call_boxed(c, *func, slots);
  } catch (const std::bad_alloc&) {
    return host_error("out of memory in a host function");
  }
}

}  // namespace tern::rt
