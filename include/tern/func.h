// Functions: calling wasm from the host (boxed with Values, or typed), host functions, and what a
// host function sees of its caller.
#pragma once

#include <poll.h>
#include <tern/detail.h>
#include <tern/error.h>
#include <tern/extern.h>
#include <tern/store.h>
#include <tern/types.h>
#include <tern/value.h>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

class Caller;

// A host function's body. Returning an Error made with Error::from_trap traps the caller.
using HostCallback = std::function<Result<void>(Caller& caller, std::span<const Value> args,
                                                std::span<Value> results)>;

// A host function's unboxed body: reads its arguments from `slots` (8 bytes each, v128 16;
// i32/f32 in the low 4 bytes) and writes its results back there from the start, with no Value
// or std::function per call. Returning an Error traps the caller as HostCallback's does.
using HostTrampoline = Result<void> (*)(void* env, Caller& caller, uint64_t* slots);
struct HostEntry {
  HostTrampoline call = nullptr;
  std::shared_ptr<void> env;  // passed to `call`; shared by every function made from the entry
};

namespace detail {
// The C++ types func_wrap and typed calls take for each wasm number type.
template <class T>
struct ValTypeOf;
template <>
struct ValTypeOf<int32_t> {
  static constexpr ValType v = ValType::I32;
};
template <>
struct ValTypeOf<uint32_t> {
  static constexpr ValType v = ValType::I32;
};
template <>
struct ValTypeOf<int64_t> {
  static constexpr ValType v = ValType::I64;
};
template <>
struct ValTypeOf<uint64_t> {
  static constexpr ValType v = ValType::I64;
};
template <>
struct ValTypeOf<float> {
  static constexpr ValType v = ValType::F32;
};
template <>
struct ValTypeOf<double> {
  static constexpr ValType v = ValType::F64;
};
// A number in its slot (see HostTrampoline), and back.
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
// A typed call's results: void, one number, or a std::tuple of numbers.
template <class R>
struct TypedResults {
  static constexpr size_t kCount = 1;
  static std::vector<ValType> types() { return {ValTypeOf<R>::v}; }
  static R read(const uint64_t* slots) { return from_slot<R>(slots[0]); }
};
template <>
struct TypedResults<void> {
  static constexpr size_t kCount = 0;
  static std::vector<ValType> types() { return {}; }
};
template <class... T>
struct TypedResults<std::tuple<T...>> {
  static constexpr size_t kCount = sizeof...(T);
  static std::vector<ValType> types() { return {ValTypeOf<T>::v...}; }
  static std::tuple<T...> read(const uint64_t* slots) {
    return [&]<size_t... I>(std::index_sequence<I...>) {
      return std::tuple<T...>(from_slot<T>(slots[I])...);
    }
    (std::index_sequence_for<T...>{});
  }
};
}  // namespace detail

template <class Signature>
class TypedFunc;

class Func {
 public:
  Func() = default;
  static Func host(Store& store, FuncType type, HostCallback callback);
  static Func host(Store& store, FuncType type, HostEntry entry);

  // Calls with arguments checked against the type; a trap comes back as ErrorKind::Trap.
  Result<std::vector<Value>> call(Store& store, std::span<const Value> args) const;
  Result<std::vector<Value>> call(Store& store, std::initializer_list<Value> args) const {
    return call(store, std::span<const Value>(args.begin(), args.size()));
  }

  // This function with a C++ signature over int32_t, uint32_t, int64_t, uint64_t, float and
  // double, returning void, one of them or a std::tuple of them, e.g.
  //   auto add = func.typed<int32_t(int32_t, int32_t)>(store);
  //   Result<int32_t> sum = add->call(store, 1, 2);
  // An error (ErrorKind::Invalid) when the signature is not the function's type. Typed calls
  // check nothing per call and pass their values without a std::vector.
  template <class Signature>
  Result<TypedFunc<Signature>> typed(Store& store) const;

  const FuncType& type() const;
  explicit operator bool() const { return f_ != nullptr; }

 private:
  friend struct detail::Access;
  template <class Signature>
  friend class TypedFunc;
  explicit Func(rt::FuncInstance* f) : f_(f) {}
  // Whether this function is not null and belongs to `store`.
  Result<void> check_callable(Store& store) const;
  // Whether it is also of type `expected`.
  Result<void> check_typed(Store& store, const FuncType& expected) const;
  // Calls with the arguments in `slots` (the HostTrampoline layout), results written there.
  Result<void> call_slots(Store& store, uint64_t* slots) const;
  rt::FuncInstance* f_ = nullptr;
};

template <class R, class... A>
class TypedFunc<R(A...)> {
 public:
  Result<R> call(Store& store, A... args) const {
    using Results = detail::TypedResults<R>;
    std::array<uint64_t, std::max<size_t>({sizeof...(A), Results::kCount, 1})> slots{};
    size_t i = 0;
    ((slots[i++] = detail::to_slot(args)), ...);
    TERN_TRY(func_.call_slots(store, slots.data()));
    if constexpr (std::is_void_v<R>)
      return {};
    else
      return Results::read(slots.data());
  }
  const Func& func() const { return func_; }

 private:
  friend class Func;
  explicit TypedFunc(Func func) : func_(func) {}
  Func func_;
};

template <class Signature>
Result<TypedFunc<Signature>> Func::typed(Store& store) const {
  auto expected = []<class R, class... A>(R (*)(A...)) {
    return FuncType{{detail::ValTypeOf<A>::v...}, detail::TypedResults<R>::types()};
  }(static_cast<Signature*>(nullptr));
  TERN_TRY(check_typed(store, expected));
  return TypedFunc<Signature>(*this);
}

// What a host function sees of its caller.
class Caller {
 public:
  Store& store() { return store_; }
  // The calling instance's export `name`, if it has one (none when called from the embedder).
  std::optional<Extern> get_export(std::string_view name) const;
  // The calling instance's exported memory "memory", else its memory 0, if any.
  std::optional<Memory> memory() const;
  // Blocks as poll(2) would until an entry of `fds` has an event or `timeout` passes (none: no
  // limit), but ends at once when the store is interrupted (Store::interrupt, e.g. a deadline's
  // watchdog), also if that happened just before the call. Returns how many entries have events
  // (0: timed out); an interruption returns the TrapCode::Interrupted trap, which the host
  // function should return so that the guest traps as compiled code would. Use it for every
  // wait of a host function that could block.
  Result<int> wait(std::span<struct pollfd> fds,
                   std::optional<std::chrono::nanoseconds> timeout = std::nullopt);

 private:
  friend struct detail::Access;
  Caller(Store& store, rt::Instance* instance) : store_(store), instance_(instance) {}
  Store& store_;
  rt::Instance* instance_;
};

}  // namespace tern

#pragma GCC visibility pop
