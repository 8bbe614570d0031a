// `tern serve`'s command line.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tern/tern.h"
#include "tern/wasi.h"

namespace tern::serve {

// Requests whose path starts with `prefix` run `module_path` (the longest prefix wins).
struct Route {
  std::string prefix;
  std::string module_path;
};

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::vector<Route> routes;
  std::vector<wasi::Preopen> dirs;
  std::vector<std::pair<std::string, std::string>> env;
  Config config;  // the engine: tier, fuel metering, features
  StoreLimits limits;
  std::optional<uint64_t> fuel;
  std::chrono::nanoseconds timeout;
  std::string timeout_text;
  uint64_t max_body;
  unsigned workers;  // guests running at once
  size_t max_connections;
  std::chrono::milliseconds header_timeout;  // a request's line and headers must arrive within
  bool metrics = true;
};

extern const char* const kServeHelp;

// Parses the options; returns an exit status when the command should stop.
std::optional<int> parse_serve_options(int argc, char** argv, int first, ServeOptions& o);

}  // namespace tern::serve
