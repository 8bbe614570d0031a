// The machine's stacks, calls into wasm from the embedder, calls out to host functions, traps.
#include "engine/interp/machine.h"

#include <vector>

#include "engine/interp/interpreter.h"
#include "engine/runtime/invoke.h"
#include "tern/tern.h"

namespace tern::interp {

namespace {
// 8 MiB of slots per store. Allocated uninitialised, so pages the program never reaches are
// never touched.
constexpr size_t kStackSlots = size_t(1) << 20;
// C stack that nested host → wasm entries may use, well inside any thread's default stack.
constexpr uintptr_t kNestedCStackBudget = uintptr_t(1) << 20;
}  // namespace

Machine::Machine(rt::Store& s) : store(&s) {
  stack.reset(new uint64_t[kStackSlots]);
  stack_free = reinterpret_cast<uint8_t*>(stack.get());
  stack_end = stack_free + kStackSlots * sizeof(uint64_t);
  max_depth = s.config().max_call_depth;
  frames.reset(new Frame[max_depth + 1]);
}

void MachineDeleter::operator()(Machine* m) const { delete m; }
void FuncCodeDeleter::operator()(FuncCode* c) const { delete c; }

Value read_slot(ValType type, const uint8_t* slot) {
  uint64_t bits;
  std::memcpy(&bits, slot, sizeof bits);
  switch (type) {
    case ValType::I32: return Value::i32(int32_t(uint32_t(bits)));
    case ValType::I64: return Value::i64(int64_t(bits));
    case ValType::F32: return Value::f32_bits(uint32_t(bits));
    case ValType::F64: return Value::f64_bits(bits);
    case ValType::V128: {
      V128 v;
      std::memcpy(&v, slot, sizeof v);
      return Value::v128(v);
    }
    case ValType::FuncRef:
    case ValType::ExternRef: {
      Ref r;
      std::memcpy(&r, slot, sizeof r);
      return Value::ref(type, r);
    }
  }
  return Value::zero(type);
}

void write_slot(uint8_t* slot, const Value& v) {
  if (v.type() == ValType::V128) {
    std::memcpy(slot, &v.v128(), sizeof(V128));
  } else if (is_ref(v.type())) {
    Ref r = v.ref();
    std::memcpy(slot, &r, sizeof r);
  } else {
    uint64_t bits = v.raw();
    std::memcpy(slot, &bits, sizeof bits);
  }
}

Trap make_trap(TrapCode code) {
  Trap t;
  t.code = code;
  t.message = trap_message(code);
  return t;
}

void add_backtrace_frame(Trap& trap, const rt::FuncInstance* func) {
  BacktraceFrame f;
  f.func_index = func->func_index;
  if (func->instance) {
    const ModuleInfo& info = func->instance->info();
    if (auto it = info.func_names.find(func->func_index); it != info.func_names.end()) {
      f.func_name = it->second;
    }
    f.module_name = info.module_name;
  }
  trap.backtrace.push_back(std::move(f));
}

std::optional<Trap> call_host(Machine& m, rt::FuncInstance* func, rt::Instance* caller,
                              uint8_t* slots) {
  const FuncType& type = *func->type;
  // Small signatures are the common case; avoid the heap for them.
  Value arg_buf[8], result_buf[8];
  std::vector<Value> arg_vec, result_vec;
  std::span<Value> args(arg_buf, type.params.size());
  std::span<Value> results(result_buf, type.results.size());
  if (type.params.size() > 8) arg_vec.resize(type.params.size()), args = arg_vec;
  if (type.results.size() > 8) result_vec.resize(type.results.size()), results = result_vec;

  uint8_t* at = slots;
  for (size_t i = 0; i < args.size(); ++i) {
    args[i] = read_slot(type.params[i], at);
    at += slot_bytes(type.params[i]);
  }
  for (size_t i = 0; i < results.size(); ++i) results[i] = Value::zero(type.results[i]);

  Result<void> r;
  if (!func->is_host()) {
    // A function of a JIT-compiled module (it has no interpreter code): run it on its tier.
    r = rt::invoke(*m.store, func, args, results);
  } else {
    if (!m.store->api) return make_trap(TrapCode::HostError);
    Caller c(*m.store->api, caller);
    r = func->host(c, args, results);
  }
  if (!r.ok()) {
    Error e = r.take_error();
    if (e.trap) return std::move(*e.trap);
    Trap t = make_trap(TrapCode::HostError);
    t.message = e.message;
    return t;
  }
  at = slots;
  for (size_t i = 0; i < results.size(); ++i) {
    // A host writing a value of the wrong type would corrupt the frame's typing.
    if (results[i].type() != type.results[i]) {
      Trap t = make_trap(TrapCode::HostError);
      t.message = "host function returned a value of the wrong type";
      return t;
    }
    write_slot(at, results[i]);
    at += slot_bytes(type.results[i]);
  }
  return std::nullopt;
}

std::optional<Trap> call(rt::Store& store, rt::FuncInstance* func, std::span<const Value> args,
                         std::span<Value> results) {
  if (!store.machine) store.machine.reset(new Machine(store));
  Machine& m = *store.machine;
  char marker;
  uintptr_t here = reinterpret_cast<uintptr_t>(&marker);
  if (m.entries == 0) {
    m.c_stack_base = here;
  } else if (m.c_stack_base > here && m.c_stack_base - here > kNestedCStackBudget) {
    return make_trap(TrapCode::CallStackExhausted);
  }
  const FuncType& type = *func->type;

  // Arguments and results share the slots at the bottom of the new frame.
  uint8_t* base = m.stack_free;
  size_t need = 0;
  for (ValType t : type.params) need += slot_bytes(t);
  size_t result_need = 0;
  for (ValType t : type.results) result_need += slot_bytes(t);
  if (base + std::max(need, result_need) > m.stack_end || m.depth >= m.max_depth) {
    return make_trap(TrapCode::CallStackExhausted);
  }
  uint8_t* at = base;
  for (size_t i = 0; i < args.size(); ++i) {
    write_slot(at, args[i]);
    at += slot_bytes(type.params[i]);
  }

  std::optional<Trap> trap;
  ++m.entries;
  if (!func->code) {
    uint8_t* saved_free = m.stack_free;
    m.stack_free = base + std::max(need, result_need);
    trap = call_host(m, func, nullptr, base);
    m.stack_free = saved_free;
  } else {
    trap = execute(m, func, base);
  }
  --m.entries;
  if (trap) return trap;
  at = base;
  for (size_t i = 0; i < results.size(); ++i) {
    results[i] = read_slot(type.results[i], at);
    at += slot_bytes(type.results[i]);
  }
  return std::nullopt;
}

}  // namespace tern::interp
