// One route's module: compiled once, with a template linker that has WASI defined for contexts
// chosen per store; each request runs in a fresh Store and Instance of its own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "tern/tern.h"
#include "tools/serve/cgi.h"
#include "tools/serve/metrics.h"
#include "tools/serve/options.h"

namespace tern::serve {

// How a request ended: the HTTP answer, and what the log needs.
struct Outcome {
  CgiResponse response;
  std::string failure;        // for a 500 or 504: why, with the wasm backtrace
  std::string guest_stderr;   // what the instance wrote to stderr
  uint64_t memory_bytes = 0;  // the instance's memory when it ended
};

class WagiModule {
 public:
  // Compiles `path` with `engine`, which must outlive the module.
  static Result<std::unique_ptr<WagiModule>> load(Engine& engine, const std::string& path);

  // Instantiates the module for one request and runs its `_start` with `request` as its CGI
  // environment and `body` as its stdin. Thread-safe.
  Outcome run(const ServeOptions& options, const CgiRequest& request, std::string body,
              Metrics& metrics) const;

 private:
  WagiModule(Engine& engine, std::string path, Module module);
  // Instantiates the module in `store` and runs its command entry; `memory_bytes` gets the
  // size of its memory when it ended.
  Result<void> instantiate_and_run(Store& store, Metrics& metrics, uint64_t& memory_bytes) const;
  Engine& engine_;
  std::string path_;
  Module module_;
  Linker linker_;
};

}  // namespace tern::serve
