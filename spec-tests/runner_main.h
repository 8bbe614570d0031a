// The spec runner as a reusable command: tern_spec_runner's main and `tern wast` both call it.
#pragma once

#include <string>

namespace tern::spec {

// Parses the runner's options from argv[first] on, runs the scripts and prints the report.
// `program` names the command in usage errors and help ("tern_spec_runner", "tern wast").
// Returns the exit status: 0 when every failure is known and no entry is stale, 1 otherwise,
// 2 for a bad command line.
int runner_main(int argc, char** argv, int first, const std::string& program);

}  // namespace tern::spec
