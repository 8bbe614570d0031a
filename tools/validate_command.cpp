// `tern validate FILE`: decode and validate a module without running it.
#include <cstdio>
#include <string>

#include "tern/tern.h"
#include "tools/cli_args.h"
#include "tools/commands.h"

namespace tern::cli {

const char* const kValidateHelp = R"(NAME
    tern validate - check that a WebAssembly module is well formed and valid

SYNOPSIS
    tern validate [OPTIONS] FILE

DESCRIPTION
    Decodes FILE (binary .wasm, or text .wat: anything not starting with "\0asm") and validates
    it by the rules of WebAssembly 3.0 (or of --wasm 2.0, and the proposals -W switches), without
    instantiating or running it. A valid module
    produces no output. Otherwise the first error is printed on stderr with the byte offset
    where it was found (in the binary, or in the text for a .wat file that does not parse):

        Error: bad.wasm: invalid at offset 0x2b: type mismatch

    A module beyond one of the implementation limits (the Web's: 1,000,000 functions, 50,000
    locals, ...; see docs/limits.md) is refused with a `limit` error naming the limit.

OPTIONS
    --wasm 2.0|3.0         the proposals a module may use: exactly WebAssembly 2.0, or 3.0
                           (the default; with the legacy exception instructions too)
    -W NAME=y|n,...        switch single proposals on or off, after --wasm: tail-call,
                           exceptions, legacy-exceptions, memory64, multi-memory,
                           extended-const, function-references, gc, relaxed-simd (a bare
                           NAME means y); repeatable
    -h, --help             show this text

EXAMPLES
    tern validate module.wasm && echo valid
    tern validate module.wat

EXIT STATUS
    0   the module is valid
    1   the module is malformed or invalid, or FILE cannot be read
    2   bad command line
)";

int validate_command(int argc, char** argv, int first) {
  ArgCursor args(argc, argv, first);
  Config config;
  while (args.at_option()) {
    std::string name = args.option_name();
    if (name == "-h" || name == "--help") {
      std::fputs(kValidateHelp, stdout);
      return kExitOk;
    }
    if (name != "--wasm" && name != "-W") return usage_error("validate", "unknown option " + name);
    auto value = args.take_value();
    if (!value) return usage_error("validate", name + " needs a value");
    std::string error = apply_feature_option(name, *value, config.features);
    if (!error.empty()) return usage_error("validate", name + ": " + error);
  }
  const char* file = args.next_operand();
  if (!file) return usage_error("validate", "missing FILE");
  if (!args.done()) return usage_error("validate", "expects one FILE");

  Engine engine(config);
  Result<void> valid = Module::validate_file(engine, file);
  if (!valid) {
    print_error(valid.error(), file);
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace tern::cli
