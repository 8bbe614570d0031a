// Runs a WASI program through the embedding API, the way an embedder would: compile, add WASI
// to a Linker with a scratch preopen, instantiate, call _start, collect exit code and output.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tern/wasi.h"

namespace tern::wasi::testing {

// A fresh directory under /tmp, removed with everything in it at the end of the scope.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct RunOptions {
  std::vector<std::string> args = {"prog"};
  std::vector<std::pair<std::string, std::string>> env;
  std::string stdin_text;
  std::string sandbox;  // preopened as "/sandbox" (fd 3)
  std::vector<int> listen_fds;
};

struct RunResult {
  bool ran = false;  // false: could not load, link or instantiate (see `error`)
  int exit_code = -1;
  std::string out, err;  // the guest's stdout and stderr
  std::string error;     // a non-exit trap or setup failure
};

// The compiled program `name` (tests/wasi/programs/<name>.c), or "" when the programs were not
// built (no wasm32-wasi clang): callers skip then.
std::string program_path(const std::string& name);

RunResult run_program(const std::string& wasm_path, const RunOptions& options);

// Host file helpers for setting up and inspecting sandboxes.
void write_host_file(const std::string& path, const std::string& text);
std::string read_host_file(const std::string& path);

}  // namespace tern::wasi::testing

// Skips the rest of a test case when the WASI programs were not built.
#define TERN_REQUIRE_PROGRAM(var, name)                                            \
  const std::string var = ::tern::wasi::testing::program_path(name);               \
  if (var.empty()) {                                                               \
    WARN("skipped: " name ".wasm was not built (no clang targeting wasm32-wasi)"); \
    return;                                                                        \
  }
