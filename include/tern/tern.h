// Tern's embedding API: Engine → Module → Store → Linker/Instance → Func::call.
//
//   tern::Engine engine;
//   auto module = tern::Module::compile(engine, bytes);      // decode + validate + lower
//   tern::Store store(engine);
//   tern::Linker linker;
//   linker.func_wrap("env", "add", [](int32_t a, int32_t b) { return a + b; });
//   auto instance = linker.instantiate(store, *module);
//   auto results = instance->get_func("main")->call(store, {tern::Value::i32(1)});
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "tern/error.h"
#include "tern/types.h"
#include "tern/value.h"

namespace tern {

namespace rt {
struct Store;
struct Instance;
struct FuncInstance;
struct MemoryInstance;
struct TableInstance;
struct GlobalInstance;
struct CompiledModule;
class TypeRegistry;
}  // namespace rt

// Which code runs a module's functions. Auto (the default) uses the JIT where the build has
// one for the host and the interpreter for modules the JIT does not compile, as V8's baseline
// compiler bails out to another tier; Jit makes such a module an error.
enum class Tier : uint8_t { Interp, Jit, Auto };

struct Config {
  Tier tier = Tier::Auto;
  uint32_t max_call_depth = 20000;            // wasm frames on one call stack
  uint64_t max_memory_pages = kMaxPages32;    // per linear memory
  uint64_t max_table_elements = 10000000;     // per table
  uint32_t max_instances = 100000;            // per store
  // Compile fuel checks into code (charged per basic block). Off: no cost, and fuel is ignored.
  bool consume_fuel = false;
  // JIT only: Module::compile validates every function but compiles each one to native code on
  // its first call (faster start for large modules of which little runs).
  bool lazy_compile = false;
  // JIT only: threads that compile a module eagerly, taking chunks of its functions (at most
  // 4 MiB of bodies each) in turn. 0: one per core when the function bodies total more than
  // 1 MiB, else the calling thread alone; n: n worker threads (1: the calling thread alone).
  uint32_t compile_threads = 0;
};

class Engine {
 public:
  explicit Engine(Config config = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  const Config& config() const { return config_; }
  rt::TypeRegistry& types() { return *types_; }
  // Whether this build has `tier` (Auto: always; Interp: always; Jit: when built with it).
  static bool has_tier(Tier tier);

 private:
  Config config_;
  std::unique_ptr<rt::TypeRegistry> types_;
};

class Module {
 public:
  struct ImportDesc {
    std::string module, name;
    ExternKind kind;
    FuncType func;  // for functions
    TableType table;
    MemoryType memory;
    GlobalType global;
  };
  struct ExportDesc {
    std::string name;
    ExternKind kind;
    FuncType func;  // for functions
  };

  // Decodes, validates and prepares a binary module for the engine's tier.
  static Result<Module> compile(Engine& engine, std::span<const uint8_t> bytes);
  // Reads a .wasm file, or a .wat file (by content: anything not starting with "\0asm").
  static Result<Module> from_file(Engine& engine, const std::string& path);

  std::vector<ImportDesc> imports() const;
  std::vector<ExportDesc> exports() const;
  std::string_view name() const;  // from the name section, or empty
  Tier tier() const;              // the tier that runs it: Interp or Jit, never Auto
  const std::shared_ptr<const rt::CompiledModule>& impl() const { return impl_; }

 private:
  explicit Module(std::shared_ptr<const rt::CompiledModule> m) : impl_(std::move(m)) {}
  std::shared_ptr<const rt::CompiledModule> impl_;
};

class Store {
 public:
  explicit Store(Engine& engine);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Engine& engine();
  // Fuel: unmetered until set. Running out is a trap (TrapCode::OutOfFuel) after which more
  // fuel can be added and new calls made.
  void set_fuel(uint64_t fuel);
  std::optional<uint64_t> fuel() const;
  // Thread-safe: makes running wasm code in this store trap with TrapCode::Interrupted soon.
  void interrupt();
  rt::Store* raw() { return impl_.get(); }

 private:
  std::unique_ptr<rt::Store> impl_;
};

class Caller;
class Memory;

// A host function's body. Returning an Error made with Error::from_trap traps the caller.
using HostCallback =
    std::function<Result<void>(Caller& caller, std::span<const Value> args, std::span<Value> results)>;

// A host function's unboxed body: reads its arguments from `slots` (8 bytes each, v128 16;
// i32/f32 in the low 4 bytes) and writes its results back there from the start, with no Value
// or std::function per call. Returning an Error traps the caller as HostCallback's does.
using HostTrampoline = Result<void> (*)(void* env, Caller& caller, uint64_t* slots);
struct HostEntry {
  HostTrampoline call = nullptr;
  std::shared_ptr<void> env;  // passed to `call`; shared by every function made from the entry
};

class Func {
 public:
  Func() = default;
  explicit Func(rt::FuncInstance* f) : f_(f) {}
  static Func host(Store& store, FuncType type, HostCallback callback);
  static Func host(Store& store, FuncType type, HostEntry entry);

  // Calls with arguments checked against the type; a trap comes back as ErrorKind::Trap.
  Result<std::vector<Value>> call(Store& store, std::span<const Value> args) const;
  Result<std::vector<Value>> call(Store& store, std::initializer_list<Value> args) const {
    return call(store, std::span<const Value>(args.begin(), args.size()));
  }
  const FuncType& type() const;
  rt::FuncInstance* raw() const { return f_; }
  explicit operator bool() const { return f_ != nullptr; }

 private:
  rt::FuncInstance* f_ = nullptr;
};

class Memory {
 public:
  Memory() = default;
  explicit Memory(rt::MemoryInstance* m) : m_(m) {}
  static Result<Memory> create(Store& store, MemoryType type);
  uint8_t* data() const;
  uint64_t size_bytes() const;
  uint64_t pages() const;
  // Old size in pages, or an error when the maximum or the store's limit forbids it.
  Result<uint64_t> grow(uint64_t delta_pages) const;
  MemoryType type() const;
  rt::MemoryInstance* raw() const { return m_; }

 private:
  rt::MemoryInstance* m_ = nullptr;
};

class Table {
 public:
  Table() = default;
  explicit Table(rt::TableInstance* t) : t_(t) {}
  static Result<Table> create(Store& store, TableType type, Ref init = nullptr);
  uint64_t size() const;
  std::optional<Value> get(uint64_t index) const;
  bool set(uint64_t index, const Value& v) const;
  Result<uint64_t> grow(uint64_t delta, Ref init = nullptr) const;
  TableType type() const;
  rt::TableInstance* raw() const { return t_; }

 private:
  rt::TableInstance* t_ = nullptr;
};

class Global {
 public:
  Global() = default;
  explicit Global(rt::GlobalInstance* g) : g_(g) {}
  static Result<Global> create(Store& store, GlobalType type, Value init);
  Value get() const;
  Result<void> set(const Value& v) const;  // fails for immutable globals and type mismatches
  GlobalType type() const;
  rt::GlobalInstance* raw() const { return g_; }

 private:
  rt::GlobalInstance* g_ = nullptr;
};

using Extern = std::variant<Func, Table, Memory, Global>;
ExternKind kind_of(const Extern& e);

class Instance {
 public:
  Instance() = default;
  explicit Instance(rt::Instance* i) : i_(i) {}
  std::optional<Extern> get_export(std::string_view name) const;
  std::optional<Func> get_func(std::string_view name) const;
  std::optional<Memory> get_memory(std::string_view name) const;
  std::optional<Global> get_global(std::string_view name) const;
  std::optional<Table> get_table(std::string_view name) const;
  std::vector<std::pair<std::string, Extern>> exports() const;  // in module order
  rt::Instance* raw() const { return i_; }

 private:
  rt::Instance* i_ = nullptr;
};

// What a host function sees of its caller.
class Caller {
 public:
  Caller(Store& store, rt::Instance* instance) : store_(store), instance_(instance) {}
  Store& store() { return store_; }
  // The calling instance's exported memory "memory", else its memory 0, if any.
  std::optional<Memory> memory() const;
  rt::Instance* instance() const { return instance_; }

 private:
  Store& store_;
  rt::Instance* instance_;
};

namespace detail {
template <class T> struct ValTypeOf;
template <> struct ValTypeOf<int32_t> { static constexpr ValType v = ValType::I32; };
template <> struct ValTypeOf<uint32_t> { static constexpr ValType v = ValType::I32; };
template <> struct ValTypeOf<int64_t> { static constexpr ValType v = ValType::I64; };
template <> struct ValTypeOf<uint64_t> { static constexpr ValType v = ValType::I64; };
template <> struct ValTypeOf<float> { static constexpr ValType v = ValType::F32; };
template <> struct ValTypeOf<double> { static constexpr ValType v = ValType::F64; };
// A func_wrap parameter or result in its slot (see HostTrampoline).
template <class T>
T from_slot(uint64_t slot) {
  if constexpr (std::is_integral_v<T>)
    return T(slot);
  else if constexpr (std::is_same_v<T, float>)
    return std::bit_cast<float>(uint32_t(slot));
  else
    return std::bit_cast<double>(slot);
}
template <class T>
uint64_t to_slot(T x) {
  if constexpr (sizeof(T) == 4 && std::is_integral_v<T>)
    return uint32_t(x);
  else if constexpr (std::is_integral_v<T>)
    return uint64_t(x);
  else if constexpr (std::is_same_v<T, float>)
    return std::bit_cast<uint32_t>(x);
  else
    return std::bit_cast<uint64_t>(x);
}
// A callable's return type without its Result<...> wrapper, if it has one.
template <class R>
struct Unwrapped {
  using type = R;
  static constexpr bool kIsResult = false;
};
template <class T>
struct Unwrapped<Result<T>> {
  using type = T;
  static constexpr bool kIsResult = true;
};
template <class F> struct Signature : Signature<decltype(&F::operator())> {};
template <class C, class R, class... A> struct Signature<R (C::*)(A...) const> {
  using Result = R;
  using Args = std::tuple<A...>;
};
template <class C, class R, class... A> struct Signature<R (C::*)(A...)> : Signature<R (C::*)(A...) const> {};
}  // namespace detail

class Linker {
 public:
  void define(std::string module, std::string name, Extern value);
  // Makes every export of `instance` importable as module `module`.
  void define_instance(std::string module, const Instance& instance);
  void define_host(std::string module, std::string name, FuncType type, HostCallback callback);
  void define_host(std::string module, std::string name, FuncType type, HostEntry entry);

  // Defines a host function from a C++ callable over i32/i64/f32/f64 (int32_t, uint32_t,
  // int64_t, uint64_t, float, double) returning one of those or void, or a Result of one of
  // them (an Error traps the caller). It may take a Caller& first. Calls go through a
  // generated HostTrampoline: no Value or std::function per call.
  template <class F>
  void func_wrap(std::string module, std::string name, F f);

  // Resolves imports by (module, name) and type, then instantiates; when a name is defined more
  // than once, the latest definition wins. A missing or mismatched import is
  // ErrorKind::Unlinkable; a trap in a segment or the start function ErrorKind::Trap.
  Result<Instance> instantiate(Store& store, const Module& module) const;

  // Host functions are created per store when a module is instantiated.
  struct Definition {
    std::string module, name;
    std::optional<Extern> value;   // for define/define_instance
    FuncType host_type;            // for define_host/func_wrap
    HostCallback host;             // the boxed body, or
    HostEntry host_entry;          // the unboxed one (func_wrap)
    // One token per define_host call, shared by copies of the Linker: keys the function
    // instance each store creates for this definition, so its identity is stable per store.
    std::shared_ptr<const void> host_identity;
  };

 private:
  std::vector<Definition> defs_;
};

template <class F>
void Linker::func_wrap(std::string module, std::string name, F f) {
  using Sig = detail::Signature<F>;
  using Args = typename Sig::Args;
  using R = typename Sig::Result;
  using Returned = typename detail::Unwrapped<R>::type;
  constexpr bool kTakesCaller = [] {
    if constexpr (std::tuple_size_v<Args> == 0) return false;
    else return std::is_same_v<std::tuple_element_t<0, Args>, Caller&>;
  }();
  constexpr size_t kSkip = kTakesCaller ? 1 : 0;
  constexpr size_t kNumArgs = std::tuple_size_v<Args> - kSkip;
  FuncType type;
  auto add_params = [&]<size_t... I>(std::index_sequence<I...>) {
    (type.params.push_back(
         detail::ValTypeOf<std::decay_t<std::tuple_element_t<I + kSkip, Args>>>::v),
     ...);
  };
  add_params(std::make_index_sequence<kNumArgs>{});
  if constexpr (!std::is_void_v<Returned>) type.results.push_back(detail::ValTypeOf<Returned>::v);
  HostTrampoline trampoline = [](void* env, Caller& caller, uint64_t* slots) -> Result<void> {
    F& fn = *static_cast<F*>(env);
    auto invoke = [&]<size_t... I>(std::index_sequence<I...>)->R {
      if constexpr (kTakesCaller)
        return fn(caller, detail::from_slot<std::decay_t<std::tuple_element_t<I + kSkip, Args>>>(
                              slots[I])...);
      else
        return fn(detail::from_slot<std::decay_t<std::tuple_element_t<I, Args>>>(slots[I])...);
    };
    if constexpr (detail::Unwrapped<R>::kIsResult) {
      R r = invoke(std::make_index_sequence<kNumArgs>{});
      if (!r.ok()) return r.take_error();
      if constexpr (!std::is_void_v<Returned>) slots[0] = detail::to_slot(r.value());
    } else if constexpr (std::is_void_v<R>) {
      invoke(std::make_index_sequence<kNumArgs>{});
    } else {
      slots[0] = detail::to_slot(invoke(std::make_index_sequence<kNumArgs>{}));
    }
    return {};
  };
  define_host(std::move(module), std::move(name), std::move(type),
              HostEntry{trampoline, std::make_shared<F>(std::move(f))});
}

}  // namespace tern
