// `tern wast FILE...`: runs .wast test scripts, as `wasmtime wast` does, with the spec runner's
// engine and options (spec-tests/runner_main.h).
#include "spec-tests/runner_main.h"
#include "tools/commands.h"

namespace tern::cli {

int wast_command(int argc, char** argv, int first) {
  return spec::runner_main(argc, argv, first, "tern wast");
}

}  // namespace tern::cli
