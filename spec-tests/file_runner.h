// Runs one .wast file. By default in a child process, so that a crash or hang in the engine
// fails the command that caused it instead of ending the whole run: the child reports each
// command as it starts and ends, and after a crash the script is run again from the top with
// the crashing commands left out (the commands before them redo the same state).
#pragma once

#include <string>

#include "spec-tests/outcome.h"
#include "spec-tests/script_runner.h"

namespace tern::spec {

struct FileOptions {
  RunOptions run;
  bool isolate = true;              // run in a child process
  unsigned command_timeout_s = 20;  // per command, when isolated
  unsigned max_crashes = 25;        // per file; the commands after the last one are skipped
};

FileResult run_file(const std::string& path, const std::string& name, const FileOptions& options);

}  // namespace tern::spec
