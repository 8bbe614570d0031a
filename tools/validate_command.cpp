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
    it by the rules of WebAssembly 2.0, without instantiating or running it. A valid module
    produces no output. Otherwise the first error is printed on stderr with the byte offset
    where it was found (in the binary, or in the text for a .wat file that does not parse):

        Error: bad.wasm: invalid at offset 0x2b: type mismatch

    A module beyond one of the implementation limits (the Web's: 1,000,000 functions, 50,000
    locals, ...; see docs/limits.md) is refused with a `limit` error naming the limit.

OPTIONS
    -h, --help    show this text

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
  while (args.at_option()) {
    std::string name = args.option_name();
    if (name == "-h" || name == "--help") {
      std::fputs(kValidateHelp, stdout);
      return kExitOk;
    }
    return usage_error("validate", "unknown option " + name);
  }
  const char* file = args.next_operand();
  if (!file) return usage_error("validate", "missing FILE");
  if (!args.done()) return usage_error("validate", "expects one FILE");

  Engine engine;
  Result<void> valid = Module::validate_file(engine, file);
  if (!valid) {
    print_error(valid.error(), file);
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace tern::cli
