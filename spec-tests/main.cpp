// tern_spec_runner: runs the official .wast scripts and reports per file and in total.
#include "spec-tests/runner_main.h"

int main(int argc, char** argv) {
  return tern::spec::runner_main(argc, argv, 1, "tern_spec_runner");
}
