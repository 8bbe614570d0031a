#include "tools/serve/wagi_module.h"

#include <fmt/format.h>

#include <chrono>

#include "tern/wasi.h"
#include "tools/commands.h"
#include "tools/watchdog.h"

namespace tern::serve {

namespace {

// What one instance may write before its writes fail (EFBIG): stdout is the response, held in
// memory; stderr goes to the log.
constexpr size_t kMaxStdout = size_t(64) << 20;
constexpr size_t kMaxStderr = size_t(1) << 20;

using ContextPtr = std::shared_ptr<wasi::Context>;

CgiResponse failed(int status, std::string_view reason) {
  return {status,
          {{"Content-Type", "text/plain; charset=utf-8"}},
          fmt::format("{} {}\n", status, reason)};
}

}  // namespace

WagiModule::WagiModule(Engine& engine, std::string path, Module module)
    : engine_(engine), path_(std::move(path)), module_(std::move(module)) {
  wasi::add_to_linker_per_store(linker_, [](Caller& caller) -> wasi::Context& {
    return *caller.store().data_as<ContextPtr>();
  });
}

Result<std::unique_ptr<WagiModule>> WagiModule::load(Engine& engine, const std::string& path) {
  auto module = Module::from_file(engine, path);
  if (!module) return module.take_error();
  return std::unique_ptr<WagiModule>(new WagiModule(engine, path, std::move(*module)));
}

Result<void> WagiModule::instantiate_and_run(Store& store, Metrics& metrics,
                                             uint64_t& memory_bytes) const {
  auto start = std::chrono::steady_clock::now();
  auto instance = linker_.instantiate(store, module_);
  metrics.instantiated(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (!instance) return instance.take_error();
  auto entry = instance->get_func("_start");
  if (!entry) entry = instance->get_func("");
  Result<void> ran;
  if (entry) {
    auto results = entry->call(store, std::span<const Value>());
    if (!results) ran = results.take_error();
  }
  if (auto memory = instance->get_memory("memory")) memory_bytes = memory->size_bytes();
  return ran;
}

Outcome WagiModule::run(const ServeOptions& options, const CgiRequest& request, std::string body,
                        Metrics& metrics) const {
  Outcome outcome;
  wasi::Config config;
  config.args = {path_};
  config.env = cgi_environment(request);
  config.env.insert(config.env.end(), options.env.begin(), options.env.end());
  config.preopens = options.dirs;
  auto out = std::make_shared<wasi::MemoryOutput>(kMaxStdout);
  auto err = std::make_shared<wasi::MemoryOutput>(kMaxStderr);
  config.stdin_stream = std::make_shared<wasi::MemoryInput>(std::move(body));
  config.stdout_stream = out;
  config.stderr_stream = err;
  auto context = wasi::make_context(config);
  if (!context) {
    outcome.response = failed(500, "Internal Server Error");
    outcome.failure = cli::format_error(context.error());
    return outcome;
  }

  Store store(engine_);
  store.set_limits(options.limits);
  if (options.fuel) store.set_fuel(*options.fuel);
  store.set_data(*context);
  metrics.instance_started();
  bool timed_out = false;
  Result<void> ran = [&] {
    cli::Watchdog watchdog(store, options.timeout);  // covers the start function too
    Result<void> r = instantiate_and_run(store, metrics, outcome.memory_bytes);
    // Code that overran the deadline without reaching a check never counts as an answer.
    timed_out = watchdog.fired();
    return r;
  }();
  metrics.instance_ended();
  outcome.guest_stderr = err->contents();

  const Trap* trap = ran.ok() ? nullptr : ran.error().trap ? &*ran.error().trap : nullptr;
  const bool exited = trap && trap->code == TrapCode::Exit;
  if (exited && trap->exit_code != 0) {
    outcome.response = failed(500, "Internal Server Error");
    outcome.failure = fmt::format("the handler exited with status {}", trap->exit_code);
    return outcome;
  }
  if (timed_out) {
    metrics.timed_out();
    outcome.response = failed(504, "Gateway Timeout");
    outcome.failure = "the --timeout of " + options.timeout_text + " elapsed";
    if (!ran.ok() && !exited) outcome.failure += "\n" + cli::format_error(ran.error());
    return outcome;
  }
  if (!ran.ok() && !exited) {
    if (trap) metrics.trapped();
    outcome.response = failed(500, "Internal Server Error");
    outcome.failure = cli::format_error(ran.error());
    return outcome;
  }
  std::string reason;
  auto response = parse_cgi_response(out->contents(), reason);
  if (!response) {
    outcome.response = failed(500, "Internal Server Error");
    outcome.failure = "malformed CGI output: " + reason;
    return outcome;
  }
  outcome.response = std::move(*response);
  return outcome;
}

}  // namespace tern::serve
