// `tern run`: instantiate a module and run it, as a WASI command or through one export.
#include <fmt/core.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "tern/tern.h"
#include "tools/cli_args.h"
#include "tools/commands.h"
#include "tools/large_module.h"
#include "tools/listen_socket.h"
#include "tools/watchdog.h"
#ifdef TERN_HAVE_WASI
#include "tern/wasi.h"
#endif

namespace tern::cli {

const char* const kRunHelp = R"(NAME
    tern run - run a WebAssembly module

SYNOPSIS
    tern run [OPTIONS] FILE [ARGS...]
    tern run [OPTIONS] --invoke NAME FILE [ARGS...]

DESCRIPTION
    Compiles FILE (binary .wasm, or text .wat) and instantiates it with WASI preview1
    (wasi_snapshot_preview1 and wasi_unstable) available to import.

    Without --invoke, FILE is a WASI command: its `_start` export (or the export named "")
    runs with ARGS as its arguments after the program name FILE. Tern exits with the status the
    program passes to proc_exit, or 0 when `_start` returns. A module with neither export is
    only instantiated (its start function runs).

    The program's stdin, stdout and stderr are Tern's own. It sees no host environment
    variable and no host directory other than those given with --env and --dir: the --dir
    preopens are descriptors 3, 4, ... in the order given, the --listen sockets follow them.

    With --invoke NAME, the exported function NAME is called with ARGS, one per parameter,
    read by the parameter's type: integers in decimal or 0x hex (negative too, or up to the
    unsigned maximum); floats in decimal or hex, `nan`, `inf`, `-inf`, `-0`; `null` for a
    reference. Each result is printed on its own line: integers in decimal, floats in the
    shortest text that reads back to the same value (`0.3`, `-0`, `nan`, `inf`).

    Options come before FILE; everything after FILE is passed to the program. `--` ends the
    options. An option's value may follow as the next argument or after `=`.

OPTIONS
    --invoke NAME          call export NAME instead of running a WASI command
    --dir HOST[::GUEST]    give the program the host directory HOST, seen as GUEST (default:
                           the same path); repeatable
    --env NAME=VALUE       set an environment variable for the program (VALUE may contain
                           `=`); repeatable
    --listen HOST:PORT     open a TCP socket listening on HOST:PORT (PORT 0: a free port
                           the system picks) and hand it to the program as the descriptor
                           after the preopens (sock_accept, sock_recv, sock_send,
                           sock_shutdown); repeatable
    --engine auto|jit|interp|jit-lazy
                           execution tier. auto (default): the baseline JIT where this build
                           has one for the machine, the interpreter for modules the JIT does
                           not compile (SIMD, for now); a module file of 4 MiB or more is
                           compiled lazily, each function on its first call, so a large
                           program starts at once; jit: the JIT, every function compiled
                           before the program starts, or an error; jit-lazy: the JIT, each
                           function compiled on its first call; interp: the threaded-code
                           interpreter
    --fuel N               run at most N units of fuel (one per instruction, and one per 64
                           bytes or 8 elements a bulk memory or table operation moves);
                           running out is a trap
    --max-wasm-stack N     at most N nested wasm calls (default 20000, at most 2^30); deeper
                           recursion traps with "call stack exhausted"
    --max-memory BYTES     cap every linear memory at BYTES (rounded down to 64 KiB pages;
                           default 2147483648, 2 GiB, so that a guest cannot take the host's
                           memory; 4294967296 allows the whole 32-bit space): memory.grow
                           past it returns -1, a larger minimum fails to instantiate
    --max-gc-heap BYTES    cap the GC heap (Wasm GC's structs and arrays) at BYTES (default
                           1073741824, 1 GiB): an allocation past it traps with "allocation
                           failed: GC heap limit"
    --timeout DURATION     interrupt the program once DURATION has passed (e.g. 500ms, 2s,
                           1m, 1m30s; units ns, us, ms, s, m, h; a bare number is seconds):
                           a trap with "the --timeout of DURATION elapsed"
    --wasm 2.0|3.0         the proposals a module may use: exactly WebAssembly 2.0, or 3.0
                           (the default; with the legacy exception instructions too)
    -W NAME=y|n,...        switch single proposals on or off, after --wasm: tail-call,
                           exceptions, legacy-exceptions, memory64, multi-memory,
                           extended-const, function-references, gc, relaxed-simd (a bare
                           NAME means y); repeatable
    --profile perfmap      name the JIT's code for Linux perf: append a line per compiled
                           function and trampoline to /tmp/perf-PID.map (docs/profiling.md);
                           nothing is written on the interpreter
    -h, --help             show this text

EXAMPLES
    tern run hello.wasm
    tern run --dir ./data::/data --env LANG=C.UTF-8 tool.wasm /data/in.txt
    tern run --dir ./www::/www --listen 127.0.0.1:8080 server.wasm
    tern run --invoke fib fib.wat 20
    tern run --invoke scale --fuel 1000000 math.wasm 0x10 -1.5
    tern run --timeout 2s untrusted.wasm
    perf record -k mono tern run --profile=perfmap --engine jit prog.wasm

DIAGNOSTICS
    A trap prints `Error: MESSAGE` and a wasm backtrace on stderr, innermost frame first: the
    byte offset in the module of the instruction each function stopped at (the trap, or the
    call), then module!function (names from the module's name section):
        Error: integer divide by zero
        wasm backtrace:
            0:   0x2d - <unknown>!div
            1:   0x38 - <unknown>!main

EXIT STATUS
    N   the status a WASI program passed to proc_exit (0 when `_start` returns)
    0   --invoke: the call returned
    1   a trap, a module that does not load, validate or link, or another error (wasmtime
        exits with 134, i.e. 128+SIGABRT, on a trap; Tern uses 1 so that a trap is never
        mistaken for a signal)
    2   bad command line, including --invoke arguments that do not fit the parameters
)";

namespace {

// The default --max-memory: half of what a 32-bit memory can address. Real programs (compilers,
// synthesis tools) stay well below it; a hostile guest growing its memory in a loop stops here
// rather than at the host's RAM. docs/limits.md has the reasoning.
constexpr uint64_t kDefaultMaxMemoryBytes = uint64_t(2) << 30;

struct RunOptions {
  std::optional<std::string> invoke;
  std::vector<std::pair<std::string, std::string>> dirs;  // host, guest
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<std::string> listen;  // addresses for --listen
  Config config;
  std::string engine = "auto";  // as given to --engine
  StoreLimits limits{.memory_pages = kDefaultMaxMemoryBytes / kPageSize};
  std::optional<uint64_t> fuel;
  std::optional<std::chrono::nanoseconds> timeout;
  std::string timeout_text;  // as given, for the trap message
  std::string file;
  std::vector<std::string> args;
};

// Parses the options and operands; returns an exit status when the command should stop.
std::optional<int> parse(int argc, char** argv, int first, RunOptions& o) {
  ArgCursor args(argc, argv, first);
  while (args.at_option()) {
    std::string name = args.option_name();
    if (name == "-h" || name == "--help") {
      std::fputs(kRunHelp, stdout);
      return kExitOk;
    }
    static const char* const kWithValue[] = {
        "--invoke",         "--dir",        "--env",         "--listen",  "--engine", "--fuel",
        "--max-wasm-stack", "--max-memory", "--max-gc-heap", "--timeout", "--wasm",   "-W",
        "--profile"};
    bool known = false;
    for (const char* option : kWithValue) known = known || name == option;
    if (!known) return usage_error("run", "unknown option " + name);
    auto value = args.take_value();
    if (!value) return usage_error("run", name + " needs a value");
    if (name == "--wasm" || name == "-W") {
      std::string error = apply_feature_option(name, *value, o.config.features);
      if (!error.empty()) return usage_error("run", name + ": " + error);
    } else if (name == "--profile") {
      std::string error = apply_profile_option(*value, o.config);
      if (!error.empty()) return usage_error("run", "--profile: " + error);
    } else if (name == "--invoke") {
      o.invoke = *value;
    } else if (name == "--dir") {
      size_t sep = value->find("::");
      std::string host = value->substr(0, sep);
      std::string guest = sep == std::string::npos ? host : value->substr(sep + 2);
      if (host.empty() || guest.empty()) return usage_error("run", "--dir needs HOST[::GUEST]");
      o.dirs.emplace_back(host, guest);
    } else if (name == "--env") {
      size_t eq = value->find('=');
      if (eq == std::string::npos || eq == 0) return usage_error("run", "--env needs NAME=VALUE");
      o.env.emplace_back(value->substr(0, eq), value->substr(eq + 1));
    } else if (name == "--listen") {
      o.listen.push_back(*value);
    } else if (name == "--timeout") {
      o.timeout = parse_duration(*value);
      if (!o.timeout) {
        return usage_error(
            "run", "--timeout needs a duration such as 500ms, 2s or 1m, got '" + *value + "'");
      }
      o.timeout_text = *value;
    } else if (name == "--engine") {
      if (*value == "interp")
        o.config.tier = Tier::Interp;
      else if (*value == "jit" || *value == "jit-lazy")
        o.config.tier = Tier::Jit;
      else if (*value == "auto")
        o.config.tier = Tier::Auto;
      else
        return usage_error("run",
                           "unknown engine '" + *value + "' (auto, jit, interp or jit-lazy)");
      o.engine = *value;
    } else {
      auto n = parse_u64(*value);
      if (!n) return usage_error("run", name + " needs a number, got '" + *value + "'");
      if (name == "--fuel") {
        o.fuel = *n;
        o.config.consume_fuel = true;
      } else if (name == "--max-wasm-stack") {
        if (*n == 0 || *n > kMaxCallDepth) {
          return usage_error("run", "--max-wasm-stack needs a number of frames from 1 to " +
                                        std::to_string(kMaxCallDepth) + ", got '" + *value + "'");
        }
        o.config.max_call_depth = uint32_t(*n);
      } else if (name == "--max-gc-heap") {
        o.limits.gc_heap_bytes = *n;
      } else {
        o.limits.memory_pages = *n / kPageSize;
      }
    }
  }
  const char* file = args.next_operand();
  if (!file) return usage_error("run", "missing FILE");
  o.file = file;
  while (const char* arg = args.next_operand()) o.args.push_back(arg);
  return std::nullopt;
}

// What ended a call: the program's exit, or a trap (an interrupt being the --timeout's).
struct CallContext {
  const RunOptions& options;
  Watchdog* watchdog = nullptr;  // when --timeout is given
};

bool timed_out(const CallContext& context) {
  return context.watchdog && context.watchdog->fired();
}

int report_timeout(const CallContext& context) {
  fmt::print(stderr, "Error: the --timeout of {} elapsed\n", context.options.timeout_text);
  return kExitFailure;
}

int report_call_error(Error error, const CallContext& context) {
  if (error.trap && error.trap->code == TrapCode::Exit) return error.trap->exit_code;
  if (error.trap && error.trap->code == TrapCode::Interrupted && timed_out(context)) {
    error.trap->message = "the --timeout of " + context.options.timeout_text + " elapsed";
  }
  print_error(error);
  return kExitFailure;
}

int invoke(Store& store, const Instance& instance, const CallContext& context) {
  const RunOptions& o = context.options;
  auto func = instance.get_func(*o.invoke);
  if (!func) {
    fmt::print(stderr, "Error: {} has no exported function '{}'\n", o.file, *o.invoke);
    return kExitFailure;
  }
  const FuncType& type = func->type();
  if (o.args.size() != type.params.size()) {
    return usage_error("run", fmt::format("'{}' takes {} argument(s) {}, got {}", *o.invoke,
                                          type.params.size(), to_string(type), o.args.size()));
  }
  std::vector<Value> args;
  for (size_t i = 0; i < o.args.size(); ++i) {
    auto v = parse_value(type.params[i], o.args[i]);
    if (!v) {
      return usage_error("run", fmt::format("argument {} '{}' is not a valid {}", i + 1, o.args[i],
                                            name_of(type.params[i])));
    }
    args.push_back(*v);
  }
  auto results = func->call(store, args);
  if (!results) return report_call_error(results.take_error(), context);
  // The interrupt is noticed at calls and loop heads: code that ran past the deadline without
  // reaching one still overran it, and never reports success.
  if (timed_out(context)) return report_timeout(context);
  for (const Value& v : *results) fmt::print("{}\n", to_string(v));
  return kExitOk;
}

int run_command_module(Store& store, const Instance& instance, const CallContext& context) {
  auto func = instance.get_func("_start");
  if (!func) func = instance.get_func("");
  if (!func) return kExitOk;
  auto results = func->call(store, std::span<const Value>());
  if (!results) return report_call_error(results.take_error(), context);
  return timed_out(context) ? report_timeout(context) : kExitOk;
}

}  // namespace

int run_command(int argc, char** argv, int first) {
  RunOptions o;
  if (auto status = parse(argc, argv, first, o)) return *status;

  o.config.lazy_compile =
      o.engine == "jit-lazy" || (o.engine == "auto" && is_large_module_file(o.file));
  // One instance per process: an image of the data would be written once and then copied
  // page by page again, so the segments are copied straight away.
  o.config.memory_images = false;
  Engine engine(o.config);
  if (!Engine::has_tier(engine.config().tier)) {
    fmt::print(stderr, "Error: this build has no jit for this machine; use --engine interp\n");
    return kExitFailure;
  }
  auto module = Module::from_file(engine, o.file);
  if (!module) {
    print_error(module.error(), o.file);
    return kExitFailure;
  }
  Store store(engine);
  store.set_limits(o.limits);
  if (o.fuel) store.set_fuel(*o.fuel);
  Linker linker;
#ifdef TERN_HAVE_WASI
  wasi::Config wasi_config;
  wasi_config.args.push_back(o.file);
  wasi_config.args.insert(wasi_config.args.end(), o.args.begin(), o.args.end());
  wasi_config.env = o.env;
  for (const auto& [host, guest] : o.dirs) wasi_config.preopens.push_back({host, guest});
  for (const std::string& address : o.listen) {
    auto fd = open_listener(address);
    if (!fd) {
      print_error(fd.error());
      return kExitFailure;
    }
    wasi_config.listen_fds.push_back(fd.value());
  }
  auto wasi_context = wasi::add_to_linker(linker, wasi_config);
  if (!wasi_context) {
    print_error(wasi_context.error());
    return kExitFailure;
  }
#else
  if (!o.dirs.empty() || !o.env.empty() || !o.listen.empty()) {
    fmt::print(stderr,
               "warning: this tern is built without WASI; --dir, --env and --listen are ignored\n");
  }
#endif
  // Started before instantiation: the timeout covers the start function too.
  std::optional<Watchdog> watchdog;
  if (o.timeout) watchdog.emplace(store, *o.timeout);
  const CallContext context{o, watchdog ? &*watchdog : nullptr};
  auto instance = linker.instantiate(store, *module);
  if (!instance) return report_call_error(instance.take_error(), context);
  if (timed_out(context)) return report_timeout(context);
  int status =
      o.invoke ? invoke(store, *instance, context) : run_command_module(store, *instance, context);
  std::fflush(stdout);
  return status;
}

}  // namespace tern::cli
