// `tern inspect --interp|--native FILE [--func N]`: print the code a module's functions run as,
// the interpreter's (engine/interp/disassemble.h) or the JIT's (its assembler listing).
#include <fmt/core.h>

#include <cstdio>
#include <string>

#include "engine/interp/code.h"
#include "engine/interp/disassemble.h"
#include "engine/interp/interpreter.h"
#include "engine/runtime/api_access.h"
#include "engine/runtime/objects.h"
#include "tern/tern.h"
#include "tools/cli_args.h"
#include "tools/commands.h"
#ifdef TERN_HAVE_JIT
#include "jit/common/module_compiler.h"
#endif

namespace tern::cli {

const char* const kInspectHelp = R"(NAME
    tern inspect - print the code a module's functions compile to

SYNOPSIS
    tern inspect --interp [--func N] FILE
    tern inspect --native [--func N] FILE

DESCRIPTION
    Compiles FILE (binary .wasm or text .wat) and prints the code of each function it defines,
    or of function N only (its index in the module's function index space, imports first).

    --interp prints the interpreter's threaded code: one instruction per line with its unit
    position, op name and operands by name. Slots print as [byte offset in the frame], code
    positions as @unit, immediates as numbers:

        func 1: params 16 bytes, locals 16 bytes, frame 32 bytes, 8 units
             0: I32Add_ss dst=[16] a=[0] b=[8]
             4: Copy64 dst=[0] src=[16]
             7: Return

    --native prints the JIT's x86-64 assembly for the functions, where this build has the JIT.

OPTIONS
    --interp      the interpreter's code
    --native      the JIT's machine code
    --func N      only function N
    -h, --help    show this text

EXAMPLES
    tern inspect --interp math.wat
    tern inspect --native --func 2 module.wasm

EXIT STATUS
    0   the code was printed
    1   the module is malformed or invalid, FILE cannot be read, function N does not exist or
        is imported, or the JIT cannot compile the module
    2   bad command line, or --native in a build without the JIT
)";

#ifdef TERN_HAVE_JIT
namespace {

// The part of a JIT listing for function `index`: from its `; func N` line to the next.
std::string native_listing_of(const std::string& listing, uint32_t index) {
  std::string marker = "; func " + std::to_string(index) + "\n";
  size_t begin = listing.find(marker);
  if (begin == std::string::npos) return "";
  size_t end = listing.find("; func ", begin + marker.size());
  return listing.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

}  // namespace
#endif

int inspect_command(int argc, char** argv, int first) {
  ArgCursor args(argc, argv, first);
  enum class What { None, Interp, Native } what = What::None;
  std::optional<uint64_t> func;
  while (args.at_option()) {
    std::string name = args.option_name();
    if (name == "-h" || name == "--help") {
      std::fputs(kInspectHelp, stdout);
      return kExitOk;
    }
    if (name == "--interp" || name == "--native") {
      args.skip_flag();
      what = name == "--interp" ? What::Interp : What::Native;
      continue;
    }
    if (name == "--func") {
      std::optional<std::string> value = args.take_value();
      if (!value) return usage_error("inspect", "--func needs a value");
      func = parse_u64(*value);
      if (!func)
        return usage_error("inspect", "--func needs a function index, got '" + *value + "'");
      continue;
    }
    return usage_error("inspect", "unknown option " + name);
  }
  if (what == What::None) return usage_error("inspect", "needs --interp or --native");
  const char* file = args.next_operand();
  if (!file) return usage_error("inspect", "missing FILE");
  if (!args.done()) return usage_error("inspect", "expects one FILE");
#ifndef TERN_HAVE_JIT
  if (what == What::Native) {
    std::fputs("tern inspect: --native needs the JIT, which this build does not have\n", stderr);
    return kExitUsage;
  }
#endif

  Config config;
  config.tier = Tier::Interp;  // lowers every function for the interpreter
  Engine engine(config);
  auto module = Module::from_file(engine, file);
  if (!module) {
    print_error(module.error(), file);
    return kExitFailure;
  }
  const rt::CompiledModule& compiled = *detail::Access::module(*module);
  const ModuleInfo& info = compiled.info;
  uint32_t num_funcs = uint32_t(info.funcs.size());
  if (func && *func >= num_funcs) {
    fmt::print(stderr, "Error: --func {} is out of range: {} has {} functions\n", *func, file,
               num_funcs);
    return kExitFailure;
  }
  if (func && *func < info.num_imported_funcs) {
    fmt::print(stderr, "Error: function {} of {} is imported: it has no code\n", *func, file);
    return kExitFailure;
  }
  uint32_t begin = func ? uint32_t(*func) : info.num_imported_funcs;
  uint32_t end = func ? uint32_t(*func) + 1 : num_funcs;

  if (what == What::Interp) {
    for (uint32_t i = begin; i < end; ++i) {
      const interp::FuncCode* code = interp::code_of(compiled, i - info.num_imported_funcs);
      std::fputs(interp::disassemble(*code).c_str(), stdout);
    }
    return kExitOk;
  }
#ifdef TERN_HAVE_JIT
  std::string listing;
  Config jit_config = engine.config();
  jit_config.lazy_compile = false;  // a listing of every function's code, not of stubs
  auto jit_module = jit::compile_module(compiled, jit_config, &listing);
  if (!jit_module) {
    print_error(jit_module.error(), file);
    return kExitFailure;
  }
  for (uint32_t i = begin; i < end; ++i) {
    std::fputs(native_listing_of(listing, i).c_str(), stdout);
  }
#endif
  return kExitOk;
}

}  // namespace tern::cli
