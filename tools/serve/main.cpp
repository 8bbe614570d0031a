// tern-serve: `tern serve`'s program (tools/serve_command.cpp runs it).
#include <fmt/core.h>

#include <algorithm>

#include "tools/commands.h"
#include "tools/large_module.h"
#include "tools/serve/options.h"
#include "tools/serve/server.h"

int main(int argc, char** argv) {
  using namespace tern;
  serve::ServeOptions options;
  if (auto status = serve::parse_serve_options(argc, argv, 1, options)) return *status;
  serve::block_stop_signals();
  // As `tern run` does: a large module starts serving before all of it is compiled.
  options.config.lazy_compile = options.config.tier == Tier::Auto &&
                                std::ranges::any_of(options.routes, [](const serve::Route& route) {
                                  return cli::is_large_module_file(route.module_path);
                                });

  static Engine engine(options.config);  // outlives every thread that might still use it
  if (!Engine::has_tier(engine.config().tier)) {
    fmt::print(stderr, "Error: this build has no jit for this machine; use --engine interp\n");
    return cli::kExitFailure;
  }
  std::vector<serve::LoadedRoute> routes;
  for (const serve::Route& route : options.routes) {
    auto module = serve::WagiModule::load(engine, route.module_path);
    if (!module) {
      cli::print_error(module.error(), route.module_path);
      return cli::kExitFailure;
    }
    // "/api/" and "/api" route alike; "/" matches everything.
    std::string prefix = route.prefix;
    while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
    if (prefix == "/") prefix.clear();
    routes.push_back({prefix, std::move(*module)});
  }
  std::stable_sort(routes.begin(), routes.end(),
                   [](const auto& a, const auto& b) { return a.prefix.size() > b.prefix.size(); });
  return serve::serve_http(options, std::move(routes));
}
