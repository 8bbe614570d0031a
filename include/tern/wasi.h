// WASI preview1 for Tern: `wasi_snapshot_preview1` and the older `wasi_unstable`, native and
// sandboxed to preopened directories.
#pragma once

#include <tern/tern.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tern::wasi {

struct Preopen {
  std::string host_path;   // a directory on the host
  std::string guest_path;  // the name the guest sees (e.g. "/" or "data")
};

struct Config {
  std::vector<std::string> args;  // argv, program name first
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<Preopen> preopens;                   // become descriptors 3, 4, ... in order
  int stdin_fd = 0, stdout_fd = 1, stderr_fd = 2;  // host descriptors for guest 0, 1, 2
  std::vector<int> listen_fds;  // listening sockets handed to the guest after the preopens
};

// One guest's WASI state: descriptor table, args, environment.
class Context;

// Defines every WASI function of both module names in `linker`, bound to a new context built
// from `config`. Fails if a preopen cannot be opened. The context must outlive the calls.
Result<std::shared_ptr<Context>> add_to_linker(Linker& linker, const Config& config);

}  // namespace tern::wasi
