// The two module names WASI preview1 answers to, registered from functions.def.
//
// `wasi_unstable` (the snapshot before preview1) differs from `wasi_snapshot_preview1` in
// (offsets in bytes; subscription_clock's are within the subscription's payload):
//
//   what                 wasi_snapshot_preview1               wasi_unstable
//   fd_seek `whence`     set=0, cur=1, end=2                  cur=0, end=1, set=2
//   filestat             nlink u64 @24, size @32, atim @40,   nlink u32 @20, size @24, atim @32,
//                        mtim @48, ctim @56: 64 bytes         mtim @40, ctim @48: 56 bytes
//   subscription_clock   id u32 @0, timeout @8,               identifier u64 @0 (ignored), id @8,
//                        precision @16, flags @24:            timeout @16, precision @24,
//                        subscription is 48 bytes             flags @32: subscription is 56 bytes
//   sock_accept          present                              absent
//
// Errno values, rights bits, the event and dirent layouts and every other signature are the
// same. The calls that differ read Call::abi.
#include <utility>

#include "wasi/context.h"

namespace tern::wasi {

namespace {

template <class T>
constexpr ValType wasm_type() {
  static_assert(std::is_integral_v<T> && (sizeof(T) == 4 || sizeof(T) == 8));
  return sizeof(T) == 4 ? ValType::I32 : ValType::I64;
}

template <class... Params>
void define(Linker& linker, const std::string& module, const char* name, bool returns_errno,
            Errno (*impl)(Call&, Params...), const ContextOf& context_of, Abi abi) {
  FuncType type;
  type.params = {wasm_type<Params>()...};
  if (returns_errno) type.results = {ValType::I32};
  HostCallback callback = [impl, context_of, abi](Caller& caller, std::span<const Value> args,
                                                  std::span<Value> results) -> Result<void> {
    GuestMemory mem;  // no memory: every pointer is out of range
    if (auto memory = caller.memory()) mem = GuestMemory(memory->data(), memory->size_bytes());
    Call call{caller, context_of(caller), mem, abi, std::nullopt};
    Errno err = [&]<size_t... I>(std::index_sequence<I...>) {
      return impl(call, Params(args[I].raw())...);
    }
    (std::index_sequence_for<Params...>{});
    if (call.trap) return std::move(*call.trap);
    if (!results.empty()) results[0] = Value::i32(int32_t(err));
    return {};
  };
  linker.define_host(module, name, std::move(type), std::move(callback));
}

void define_module(Linker& linker, const std::string& module, Abi abi,
                   const ContextOf& context_of) {
#define WASI_FUNC(name, in_unstable, ...)  \
  if (abi == Abi::Preview1 || in_unstable) \
    define(linker, module, #name, true, &fn::name, context_of, abi);
#define WASI_NORETURN(name, in_unstable, ...) \
  if (abi == Abi::Preview1 || in_unstable)    \
    define(linker, module, #name, false, &fn::name, context_of, abi);
#include "wasi/functions.def"
}

}  // namespace

Result<std::shared_ptr<Context>> add_to_linker(Linker& linker, const Config& config) {
  auto ctx = make_context(config);
  if (!ctx) return ctx.take_error();
  add_to_linker_per_store(linker, [shared = *ctx](Caller&) -> Context& { return *shared; });
  return ctx;
}

void add_to_linker_per_store(Linker& linker, ContextOf context_of) {
  define_module(linker, "wasi_snapshot_preview1", Abi::Preview1, context_of);
  define_module(linker, "wasi_unstable", Abi::Unstable, context_of);
}

}  // namespace tern::wasi
