// The HTTP side of `tern serve`: cpp-httplib's server, routing by longest prefix to a
// WagiModule, the per-request log line, the metrics path, and draining on SIGTERM.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tools/serve/options.h"
#include "tools/serve/wagi_module.h"

namespace tern::serve {

struct LoadedRoute {
  std::string prefix;
  std::unique_ptr<WagiModule> module;
};

// Serves until SIGTERM or SIGINT, then lets the requests in flight finish. Returns the exit
// status. Call with SIGTERM and SIGINT blocked in every thread (block_stop_signals).
int serve_http(const ServeOptions& options, std::vector<LoadedRoute> routes);

// Blocks SIGTERM and SIGINT in the calling thread and the threads it creates later, so that
// serve_http receives them; ignores SIGPIPE (a client gone mid-response).
void block_stop_signals();

}  // namespace tern::serve
