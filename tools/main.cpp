// tern: run and validate WebAssembly modules from the command line.
#include <fmt/core.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "tools/commands.h"

namespace {

constexpr const char* kHelp = R"(NAME
    tern - a WebAssembly engine

SYNOPSIS
    tern run [OPTIONS] FILE [ARGS...]
    tern validate [OPTIONS] FILE
    tern inspect --interp|--native [--func N] FILE
    tern wast [OPTIONS] FILE.wast|DIR...
    tern [RUN-OPTIONS] FILE [ARGS...]   (short for `tern run ...`)
    tern help [COMMAND] | tern --help | tern --version

DESCRIPTION
    Tern runs WebAssembly 3.0 modules (binary .wasm or text .wat) with its baseline JIT where
    this build has one and the JIT compiles the module, on its interpreter otherwise
    (`tern run --engine` chooses).

COMMANDS
    run        run a WASI command, or call one exported function with --invoke
    validate   check that a module is well formed and valid
    compile    compile a module ahead of time into a .twasm cache that `run` loads
    inspect    print the interpreter's or the JIT's code for a module's functions
    wast       run .wast test scripts (the spec test format) and report what fails
    serve      serve HTTP with a fresh instance of a WAGI module per request
    help       show this text, or a command's (`tern help run`)

    `tern COMMAND --help` describes a command's options.

EXAMPLES
    tern run hello.wasm
    tern run --dir .::/ --env HOME=/ app.wasm input.txt
    tern run --invoke add math.wat 2 3
    tern validate module.wasm
    tern wast --tier jit test.wast

EXIT STATUS
    See `tern run --help` and `tern validate --help`; 2 always means a bad command line.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace tern::cli;
  if (argc < 2) {
    std::fputs(kHelp, stderr);
    return kExitUsage;
  }
  std::string command = argv[1];
  if (command == "-h" || command == "--help") {
    std::fputs(kHelp, stdout);
    return kExitOk;
  }
  if (command == "help") {
    if (argc < 3) {
      std::fputs(kHelp, stdout);
    } else if (std::strcmp(argv[2], "run") == 0) {
      std::fputs(kRunHelp, stdout);
    } else if (std::strcmp(argv[2], "compile") == 0) {
      std::fputs(kCompileHelp, stdout);
    } else if (std::strcmp(argv[2], "validate") == 0) {
      std::fputs(kValidateHelp, stdout);
    } else if (std::strcmp(argv[2], "inspect") == 0) {
      std::fputs(kInspectHelp, stdout);
    } else if (std::strcmp(argv[2], "serve") == 0) {
      char help[] = "--help";
      char* help_argv[] = {argv[0], help};
      return serve_command(2, help_argv, 1);
    } else if (std::strcmp(argv[2], "wast") == 0) {
      char help[] = "--help";
      char* help_argv[] = {argv[0], help};
      return wast_command(2, help_argv, 1);
    } else {
      fmt::print(stderr, "tern help: unknown command '{}'\n", argv[2]);
      return kExitUsage;
    }
    return kExitOk;
  }
  if (command == "-V" || command == "--version") {
    std::puts("tern 0.1.0");
    return kExitOk;
  }
  if (command == "run") return run_command(argc, argv, 2);
  if (command == "validate") return validate_command(argc, argv, 2);
  if (command == "compile") return compile_command(argc, argv, 2);
  if (command == "inspect") return inspect_command(argc, argv, 2);
  if (command == "wast") return wast_command(argc, argv, 2);
  if (command == "serve") return serve_command(argc, argv, 2);
  // Anything else is `run`'s options or FILE, as in `tern --invoke f file.wasm`.
  return run_command(argc, argv, 1);
}
