#include "tools/serve/options.h"

#include <fmt/core.h>

#include <cstdio>
#include <thread>

#include "tools/cli_args.h"
#include "tools/commands.h"

namespace tern::serve {

const char* const kServeHelp = R"(NAME
    tern serve - serve HTTP with a fresh WebAssembly instance per request (WAGI)

SYNOPSIS
    tern serve [OPTIONS] [MODULE]
    tern serve [OPTIONS] --route /PREFIX=MODULE...

DESCRIPTION
    Compiles each MODULE once (binary .wasm or text .wat), then answers every HTTP/1.1
    request with a fresh, isolated instance of the module the request's path routes to. The
    module is a WASI preview1 command written for CGI (WAGI, RFC 3875): it reads the request
    from its environment (REQUEST_METHOD, PATH_INFO, SCRIPT_NAME, QUERY_STRING, CONTENT_TYPE,
    CONTENT_LENGTH, SERVER_NAME, SERVER_PORT, SERVER_PROTOCOL, REMOTE_ADDR, and HTTP_NAME for
    each header) and its body from stdin, and writes CGI headers (Content-Type, Status,
    Location, others), a blank line and the body to stdout. Its stderr goes to the log, each
    line tagged with the request's id.

    A trap answers 500, the --timeout 504, a body over --max-body 413; each is logged with the
    request id and the wasm backtrace. One log line per request on stderr: id, method, path,
    status, microseconds, the instance's memory in bytes. GET /.well-known/tern/metrics answers
    Prometheus metrics. SIGTERM and SIGINT stop accepting connections, let the requests in
    flight finish, then exit.

OPTIONS
    --addr HOST:PORT       listen there (default 127.0.0.1:8080; PORT 0: a free port, printed
                           on stderr as `listening on http://HOST:PORT`)
    --route /PREFIX=MODULE serve paths under /PREFIX with MODULE; repeatable, the longest
                           matching prefix wins; MODULE alone is --route /=MODULE
    --dir HOST[::GUEST][:ro]
                           give every instance the host directory HOST as GUEST (default: the
                           same path); `:ro` makes it read-only (writes fail with
                           ENOTCAPABLE); repeatable
    --env NAME=VALUE       set an environment variable for every instance; repeatable
    --engine auto|jit|interp
                           execution tier, as for `tern run` (default auto: the JIT where
                           this build has one, compiling each function on its first call
                           when a module file is 4 MiB or more)
    --timeout DURATION     a request's deadline (default 30s; 500ms, 2s, 1m...): the instance
                           is interrupted and the answer is 504
    --fuel N               at most N units of fuel per request; running out is a trap (500)
    --max-memory BYTES     cap every linear memory of an instance (default 268435456, 256 MiB)
    --max-body BYTES       the largest request body (default 10485760, 10 MiB); larger is 413
    --workers N            instances running at once (default: the number of cores); other
                           requests wait for a free worker
    --max-connections N    HTTP connections open at once (default 512); more are answered 503
                           at once (Retry-After: 1)
    --header-timeout DURATION
                           a request's line and headers must arrive within it (default 10s);
                           the whole request within max(60s, it); the response must be taken
                           within 60s; 5s without progress ends a read or write
    --no-metrics           do not answer /.well-known/tern/metrics (it routes like any path)
    --wasm 2.0|3.0, -W NAME=y|n,...
                           the proposals a module may use, as for `tern run`
    --profile perfmap      name the JIT's code for Linux perf in /tmp/perf-PID.map, as for
                           `tern run`
    -h, --help             show this text

EXAMPLES
    tern serve hello.wasm
    tern serve --addr 0.0.0.0:8080 --timeout 2s --dir ./static::/static:ro app.wasm
    tern serve --route /api=api.wasm --route /=site.wasm

EXIT STATUS
    0   stopped by SIGTERM or SIGINT after draining
    1   a module that does not load, an address that cannot be bound
    2   bad command line
)";

namespace {

constexpr uint64_t kDefaultMaxMemoryBytes = uint64_t(256) << 20;
constexpr uint64_t kDefaultMaxBody = uint64_t(10) << 20;
constexpr size_t kDefaultMaxConnections = 512;

int usage(const std::string& message) {
  return cli::usage_error("serve", message);
}

bool parse_addr(const std::string& value, ServeOptions& o) {
  size_t colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  auto port = cli::parse_u64(value.substr(colon + 1));
  if (!port || *port > 65535) return false;
  o.host = value.substr(0, colon);
  o.port = int(*port);
  return true;
}

}  // namespace

std::optional<int> parse_serve_options(int argc, char** argv, int first, ServeOptions& o) {
  o.limits.memory_pages = kDefaultMaxMemoryBytes / kPageSize;
  o.timeout = std::chrono::seconds(30);
  o.timeout_text = "30s";
  o.max_body = kDefaultMaxBody;
  o.workers = std::max(1u, std::thread::hardware_concurrency());
  o.max_connections = kDefaultMaxConnections;
  o.header_timeout = std::chrono::seconds(10);
  cli::ArgCursor args(argc, argv, first);
  while (args.at_option()) {
    std::string name = args.option_name();
    if (name == "-h" || name == "--help") {
      std::fputs(kServeHelp, stdout);
      return cli::kExitOk;
    }
    if (name == "--no-metrics") {
      args.skip_flag();
      o.metrics = false;
      continue;
    }
    static const char* const kWithValue[] = {"--addr",
                                             "--route",
                                             "--dir",
                                             "--env",
                                             "--engine",
                                             "--timeout",
                                             "--fuel",
                                             "--max-memory",
                                             "--max-body",
                                             "--workers",
                                             "--wasm",
                                             "-W",
                                             "--max-connections",
                                             "--header-timeout",
                                             "--profile"};
    bool known = false;
    for (const char* option : kWithValue) known = known || name == option;
    if (!known) return usage("unknown option " + name);
    auto value = args.take_value();
    if (!value) return usage(name + " needs a value");
    if (name == "--profile") {
      std::string error = cli::apply_profile_option(*value, o.config);
      if (!error.empty()) return usage("--profile: " + error);
    } else if (name == "--wasm" || name == "-W") {
      std::string error = cli::apply_feature_option(name, *value, o.config.features);
      if (!error.empty()) return usage(name + ": " + error);
    } else if (name == "--addr") {
      if (!parse_addr(*value, o)) return usage("--addr needs HOST:PORT, got '" + *value + "'");
    } else if (name == "--route") {
      size_t eq = value->find('=');
      if (eq == std::string::npos || (*value)[0] != '/' || eq + 1 == value->size())
        return usage("--route needs /PREFIX=MODULE, got '" + *value + "'");
      o.routes.push_back({value->substr(0, eq), value->substr(eq + 1)});
    } else if (name == "--dir") {
      std::string spec = *value;
      bool read_only = spec.size() > 3 && spec.ends_with(":ro");
      if (read_only) spec.resize(spec.size() - 3);
      size_t sep = spec.find("::");
      std::string host = spec.substr(0, sep);
      std::string guest = sep == std::string::npos ? host : spec.substr(sep + 2);
      if (host.empty() || guest.empty()) return usage("--dir needs HOST[::GUEST][:ro]");
      o.dirs.push_back({host, guest, read_only});
    } else if (name == "--env") {
      size_t eq = value->find('=');
      if (eq == std::string::npos || eq == 0) return usage("--env needs NAME=VALUE");
      o.env.emplace_back(value->substr(0, eq), value->substr(eq + 1));
    } else if (name == "--engine") {
      if (*value == "interp")
        o.config.tier = Tier::Interp;
      else if (*value == "jit")
        o.config.tier = Tier::Jit;
      else if (*value == "auto")
        o.config.tier = Tier::Auto;
      else
        return usage("unknown engine '" + *value + "' (auto, jit or interp)");
    } else if (name == "--timeout") {
      auto timeout = cli::parse_duration(*value);
      if (!timeout) return usage("--timeout needs a duration such as 500ms or 2s");
      o.timeout = *timeout;
      o.timeout_text = *value;
    } else if (name == "--header-timeout") {
      auto timeout = cli::parse_duration(*value);
      if (!timeout || *timeout < std::chrono::milliseconds(1))
        return usage("--header-timeout needs a duration such as 500ms or 10s");
      o.header_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout);
    } else {
      auto n = cli::parse_u64(*value);
      if (!n) return usage(name + " needs a number, got '" + *value + "'");
      if (name == "--fuel") {
        o.fuel = *n;
        o.config.consume_fuel = true;
      } else if (name == "--max-memory") {
        o.limits.memory_pages = *n / kPageSize;
      } else if (name == "--max-body") {
        o.max_body = *n;
      } else if (name == "--max-connections") {
        if (*n == 0 || *n > 65536) return usage("--max-connections needs a number from 1 to 65536");
        o.max_connections = size_t(*n);
      } else {
        if (*n == 0 || *n > 4096) return usage("--workers needs a number from 1 to 4096");
        o.workers = unsigned(*n);
      }
    }
  }
  if (const char* module = args.next_operand()) o.routes.push_back({"/", module});
  if (args.next_operand()) return usage("one MODULE at most (more with --route)");
  if (o.routes.empty()) return usage("missing MODULE (or --route)");
  return std::nullopt;
}

}  // namespace tern::serve
