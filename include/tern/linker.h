// The linker: definitions by (module, name) that instantiation resolves imports against, and
// func_wrap, which makes a host function from a C++ callable.
#pragma once

#include <tern/detail.h>
#include <tern/error.h>
#include <tern/extern.h>
#include <tern/func.h>
#include <tern/instance.h>
#include <tern/module.h>
#include <tern/store.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

namespace detail {
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
template <class F>
struct Signature : Signature<decltype(&F::operator())> {};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...) const> {
  using Result = R;
  using Args = std::tuple<A...>;
};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...)> : Signature<R (C::*)(A...) const> {};
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

 private:
  friend struct detail::Access;
  // Host functions are created per store when a module is instantiated.
  struct Definition {
    std::string module, name;
    std::optional<Extern> value;  // for define/define_instance
    FuncType host_type;           // for define_host/func_wrap
    HostCallback host;            // the boxed body, or
    HostEntry host_entry;         // the unboxed one (func_wrap)
    // One token per define_host call, shared by copies of the Linker: keys the function
    // instance each store creates for this definition, so its identity is stable per store.
    std::shared_ptr<const void> host_identity;
  };
  std::vector<Definition> defs_;
};

template <class F>
void Linker::func_wrap(std::string module, std::string name, F f) {
  using Sig = detail::Signature<F>;
  using Args = typename Sig::Args;
  using R = typename Sig::Result;
  using Returned = typename detail::Unwrapped<R>::type;
  constexpr bool kTakesCaller = [] {
    if constexpr (std::tuple_size_v<Args> == 0)
      return false;
    else
      return std::is_same_v<std::tuple_element_t<0, Args>, Caller&>;
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

#pragma GCC visibility pop
