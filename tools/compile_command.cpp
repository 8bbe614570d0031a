// `tern compile FILE -o OUT`: compile a module ahead of time into a compiled-module cache,
// which `tern run OUT` loads without compiling (Module::serialize; docs/jit.md).
#include <cstdio>
#include <fstream>
#include <string>

#include "tern/tern.h"
#include "tools/cli_args.h"
#include "tools/commands.h"

namespace tern::cli {

const char* const kCompileHelp = R"(NAME
    tern compile - compile a WebAssembly module ahead of time

SYNOPSIS
    tern compile [OPTIONS] FILE -o OUT

DESCRIPTION
    Compiles FILE (.wasm or .wat) with the JIT, every function eagerly, and writes the native
    code with the module to OUT (by convention .twasm). `tern run OUT` then starts without
    compiling. OUT loads only in this same build of Tern on a CPU with the features the code was
    compiled for; otherwise it is refused with a message saying why. A module the JIT does not
    compile (or a build without the JIT) gives a cache holding the module alone, for the
    interpreter.

OPTIONS
    -o, --output OUT       where to write the compiled module (required)
    --engine auto|jit|interp
                           the tier to compile for (default auto): jit or auto write native
                           code (auto: unless the JIT refuses the module), interp the module
                           alone; `tern run --engine interp` refuses native code
    --wasm 2.0|3.0, -W     the proposals the module may use, as for `tern validate`
    -h, --help             show this text

EXIT STATUS
    0   OUT written
    1   the module is invalid, or a file cannot be read or written
    2   bad command line
)";

int compile_command(int argc, char** argv, int first) {
  ArgCursor args(argc, argv, first);
  Config config;
  std::string output;
  const char* file = nullptr;
  while (!args.done()) {
    if (!args.at_option()) {
      if (file) return usage_error("compile", "expects one FILE");
      file = args.next_operand();
      continue;
    }
    std::string name = args.option_name();
    if (name == "-h" || name == "--help") {
      std::fputs(kCompileHelp, stdout);
      return kExitOk;
    }
    auto value = args.take_value();
    if (!value) return usage_error("compile", name + " needs a value");
    if (name == "-o" || name == "--output") {
      output = *value;
    } else if (name == "--engine") {
      if (*value != "auto" && *value != "jit" && *value != "interp") {
        return usage_error("compile", "unknown engine '" + *value + "' (auto, jit or interp)");
      }
      config.tier = *value == "jit" ? Tier::Jit : *value == "interp" ? Tier::Interp : Tier::Auto;
    } else if (name == "--wasm" || name == "-W") {
      std::string error = apply_feature_option(name, *value, config.features);
      if (!error.empty()) return usage_error("compile", name + ": " + error);
    } else {
      return usage_error("compile", "unknown option " + name);
    }
  }
  if (!file) return usage_error("compile", "missing FILE");
  if (output.empty()) return usage_error("compile", "missing -o OUT");

  Engine engine(config);
  auto module = Module::from_file(engine, file);
  if (!module) {
    print_error(module.error(), file);
    return kExitFailure;
  }
  auto bytes = module->serialize();
  if (!bytes) {
    print_error(bytes.error(), file);
    return kExitFailure;
  }
  std::ofstream out(output, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes->data()), std::streamsize(bytes->size()));
  out.close();
  if (!out) {
    print_error(Error{ErrorKind::Io, "cannot write " + output, {}, {}});
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace tern::cli
