// tern_diff_driver [--fuel N] [--tier interp|jit|jit-lazy] [--x64-sse41] [--gc-stress]
// [--timeout S] MODULE.wasm...: for each module, instantiates it with stub imports and calls every
// exported function once, in export order, with zero arguments, printing a normalised trace that
// fuzz/differential.py compares with fuzz/diff_node.mjs (V8) and with the other tiers'.
// --x64-sse41 makes the x86-64 JIT emit its SSE4.1 forms on a host with AVX. --gc-stress makes the
// store collect at every GC allocation (Store::set_gc_stress), for fuzz/gc_stress.sh to compare
// with a normal run: a missing root shows as a different trace or a crash. Each module runs in a
// forked child, so that a crash or a hang is reported against the module that caused it and the
// batch goes on. Line formats:
//   module <path>                   a module's trace begins
//   log <type> <value>              a call of an imported function (stub: returns zeros)
//   call <name> ok <value>*         a call that returned
//   call <name> trap <class>        a call that trapped (classes shared with the V8 driver)
//   call <name> exception           a Wasm exception left the call uncaught (exception
//                                   handling; its tag and payload are opaque to JavaScript)
//   call <name> skip                v128 in the signature: JavaScript cannot call it (yet)
//   call <name> stop <why>          fuel ran out or the stack overflowed: nothing after it is
//                                   comparable, so the driver stops here
//   global <name> <value>           every exported global at the end
//   memory <name> <pages> <hash>    every exported memory at the end: FNV-1a 64 of its bytes
//   v128-exports                    what follows is for comparing Tern's tiers only: the
//                                   skipped exports called (zero arguments, v128 results
//                                   printed), then every exported global, v128 ones included,
//                                   and every memory again
//   end ok | end exit <code> | end crash <signal> | end hang
//                                   how the child ended; "hang": still running after --timeout
//                                   seconds (fuel bounds every call, so this is a finding)
// Values: i32/i64 in signed decimal; f32/f64 as "f32:0x..."/"f64:0x..." bits, every NaN as "nan"
// (engines may legitimately differ in NaN payloads); v128 as 4 i32 lanes (the lanes' types are
// unknown here: differential.py compares them NaN-aware); refs "null" or "ref".
#include <fmt/core.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/targets/stub_imports.h"
#include "tern/tern.h"
#if defined(TERN_HAVE_JIT) && defined(__x86_64__)
#include "jit/x64/x64_frame.h"
#endif

namespace {

std::string format_value(const tern::Value& v) {
  switch (storage_type(v.type())) {
    case tern::ValType::I32:
      return fmt::format("{}", v.i32());
    case tern::ValType::I64:
      return fmt::format("{}", v.i64());
    case tern::ValType::F32:
      if (std::isnan(v.f32())) return "nan";
      return fmt::format("f32:0x{:08x}", v.f32_bits());
    case tern::ValType::F64:
      if (std::isnan(v.f64())) return "nan";
      return fmt::format("f64:0x{:016x}", v.f64_bits());
    case tern::ValType::V128: {
      int32_t lanes[4];
      std::memcpy(lanes, &v.v128(), sizeof lanes);
      return fmt::format("v128:{},{},{},{}", lanes[0], lanes[1], lanes[2], lanes[3]);
    }
    default:
      return v.is_null() ? "null" : "ref";
  }
}

// Coarse trap classes: the distinctions both Tern and V8 report.
const char* trap_class(tern::TrapCode code) {
  using tern::TrapCode;
  switch (code) {
    case TrapCode::Unreachable:
      return "unreachable";
    case TrapCode::MemoryOutOfBounds:
      return "memory";
    case TrapCode::TableOutOfBounds:
    case TrapCode::UndefinedElement:
      return "table";
    case TrapCode::UninitializedElement:
    case TrapCode::IndirectCallTypeMismatch:
      return "indirect";
    case TrapCode::IntegerDivideByZero:
      return "divzero";
    case TrapCode::IntegerOverflow:
      return "overflow";  // division or float-to-int conversion
    case TrapCode::InvalidConversionToInteger:
      return "conversion";
    case TrapCode::NullReference:
    case TrapCode::NullFunctionReference:
    case TrapCode::NullI31Reference:
    case TrapCode::NullStructReference:
    case TrapCode::NullArrayReference:
      return "null";
    case TrapCode::ArrayOutOfBounds:
      return "array";
    case TrapCode::GcHeapExhausted:
      return "gcheap";
    case TrapCode::CallStackExhausted:
      return "stack";
    case TrapCode::CastFailure:
      return "cast";
    default:
      return "other";
  }
}

uint64_t fnv1a(const uint8_t* p, uint64_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint64_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

bool has_v128(const tern::FuncType& t) {
  for (auto v : t.params)
    if (v == tern::ValType::V128) return true;
  for (auto v : t.results)
    if (v == tern::ValType::V128) return true;
  return false;
}

// Calls every exported function with (`with_v128`) or without v128 in its signature once, with
// zero arguments, skipping the others; false when a call stopped the trace (fuel, stack).
bool call_exports(tern::Store& store, const tern::Instance& instance, uint64_t fuel,
                  bool with_v128) {
  for (const auto& [name, value] : instance.exports()) {
    const auto* func = std::get_if<tern::Func>(&value);
    if (!func) continue;
    if (has_v128(func->type()) != with_v128) {
      if (!with_v128) fmt::print("call {} skip\n", name);
      continue;
    }
    std::vector<tern::Value> args;
    for (tern::ValType t : func->type().params) args.push_back(tern::Value::zero(t));
    store.set_fuel(fuel);
    auto results = func->call(store, args);
    if (results.ok()) {
      std::string line = "call " + name + " ok";
      for (const auto& v : *results) line += " " + format_value(v);
      fmt::print("{}\n", line);
      continue;
    }
    const auto& e = results.error();
    if (e.kind == tern::ErrorKind::Exception) {
      fmt::print("call {} exception\n", name);
      continue;
    }
    if (!e.trap) {
      fmt::print("call {} error {}\n", name, e.to_string());
      continue;
    }
    if (e.trap->code == tern::TrapCode::OutOfFuel ||
        e.trap->code == tern::TrapCode::CallStackExhausted) {
      fmt::print("call {} stop {}\n", name,
                 e.trap->code == tern::TrapCode::OutOfFuel ? "fuel" : "stack");
      return false;
    }
    fmt::print("call {} trap {}\n", name, trap_class(e.trap->code));
  }
  return true;
}

// Every exported global (v128 ones only `with_v128`: JavaScript cannot see them) and a hash of
// every exported memory.
void print_state(const tern::Instance& instance, bool with_v128) {
  for (const auto& [name, value] : instance.exports()) {
    if (const auto* global = std::get_if<tern::Global>(&value)) {
      if (global->type().type == tern::ValType::V128 && !with_v128) continue;
      fmt::print("global {} {}\n", name, format_value(global->get()));
    } else if (const auto* memory = std::get_if<tern::Memory>(&value)) {
      fmt::print("memory {} {} {:016x}\n", name, memory->pages(),
                 fnv1a(memory->data(), memory->size_bytes()));
    }
  }
}

// Prints the trace of one module (the lines between "module" and "end").
void run_module(const char* path, tern::Config config, uint64_t fuel, bool gc_stress) {
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());

  config.consume_fuel = true;
  tern::Engine engine(config);
  auto module = tern::Module::compile(engine, bytes);
  if (!module.ok()) {
    fmt::print("compile error {}\n", module.error().to_string());
    return;
  }
  tern::Store store(engine);
  tern::StoreLimits limits;
  limits.memory_pages = 1024;
  store.set_limits(limits);
  store.set_gc_stress(gc_stress);
  tern::Linker linker;
  auto log_call = [](const tern::Module::ImportDesc& import, std::span<const tern::Value> args) {
    std::string line = "log " + import.name;
    for (const auto& a : args) line += " " + format_value(a);
    fmt::print("{}\n", line);
  };
  if (auto r = tern::fuzz::define_stub_imports(store, linker, *module, 100000, 1024, log_call);
      !r.ok()) {
    fmt::print("instantiate error {}\n", r.error().to_string());
    return;
  }
  store.set_fuel(fuel);
  auto instance = linker.instantiate(store, *module);
  if (!instance.ok()) {
    const auto& e = instance.error();
    if (e.kind == tern::ErrorKind::Exception)
      fmt::print("instantiate exception\n");
    else if (e.trap)
      fmt::print("instantiate trap {}\n", trap_class(e.trap->code));
    else
      fmt::print("instantiate error {}\n", e.to_string());
    return;
  }
  // The exports JavaScript can call, then (for the tiers only) the v128 ones.
  if (!call_exports(store, *instance, fuel, false)) return;
  print_state(*instance, false);
  fmt::print("v128-exports\n");
  if (!call_exports(store, *instance, fuel, true)) return;
  print_state(*instance, true);
}

// Runs one module in a child process and reports how the child ended.
void run_isolated(const char* path, const tern::Config& config, uint64_t fuel, bool gc_stress,
                  unsigned timeout) {
  fmt::print("module {}\n", path);
  std::fflush(stdout);  // the child inherits the buffer: empty it first
  const pid_t child = fork();
  if (child < 0) {
    fmt::print("end exit fork-failed\n");
    return;
  }
  if (child == 0) {
    alarm(timeout);  // SIGALRM's default action ends a hung child
    run_module(path, config, fuel, gc_stress);
    std::fflush(stdout);
    _exit(0);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
    fmt::print("end hang\n");
  } else if (WIFSIGNALED(status)) {
    const char* name = sigabbrev_np(WTERMSIG(status));
    fmt::print("end crash SIG{}\n", name ? name : "?");
  } else if (WEXITSTATUS(status) != 0) {
    fmt::print("end exit {}\n", WEXITSTATUS(status));
  } else {
    fmt::print("end ok\n");
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t fuel = 20'000'000;
  unsigned timeout = 120;
  bool gc_stress = false;
  tern::Config config;
  config.tier = tern::Tier::Interp;  // Auto would pick the JIT wherever it compiles the module
  std::vector<const char*> modules;
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (has_value && std::strcmp(argv[i], "--fuel") == 0) {
      fuel = std::stoull(argv[++i]);
    } else if (has_value && std::strcmp(argv[i], "--timeout") == 0) {
      timeout = static_cast<unsigned>(std::stoul(argv[++i]));
    } else if (has_value && std::strcmp(argv[i], "--tier") == 0) {
      const std::string tier = argv[++i];
      config.tier = tier == "interp" ? tern::Tier::Interp : tern::Tier::Jit;
      config.lazy_compile = tier == "jit-lazy";
    } else if (std::strcmp(argv[i], "--gc-stress") == 0) {
      gc_stress = true;
    } else if (std::strcmp(argv[i], "--x64-sse41") == 0) {
#if defined(TERN_HAVE_JIT) && defined(__x86_64__)
      auto features = tern::jit::x64_backend::host_features();
      features.avx = false;
      tern::jit::x64_backend::override_host_features(features);
#endif
    } else {
      modules.push_back(argv[i]);
    }
  }
  if (modules.empty()) {
    fmt::print(stderr,
               "usage: {} [--fuel N] [--tier interp|jit|jit-lazy] [--x64-sse41] [--gc-stress] "
               "[--timeout S] MODULE.wasm...\n",
               argv[0]);
    return 2;
  }
  for (const char* path : modules) run_isolated(path, config, fuel, gc_stress, timeout);
  return 0;
}
