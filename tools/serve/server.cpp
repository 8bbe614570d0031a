#include "tools/serve/server.h"

#include <fmt/core.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <semaphore>
#include <thread>

#include "tools/commands.h"
#include "tools/serve/growing_thread_pool.h"
#include "tools/serve/guarded_server.h"

namespace tern::serve {

namespace {

using Clock = std::chrono::steady_clock;

using std::chrono::milliseconds;
using std::chrono::seconds;

// A read or write without progress for this long fails; an idle keep-alive connection closes.
constexpr milliseconds kIdleTimeout = seconds(5);
// Bounds on a request's body and on writing the response (ConnectionStream).
constexpr milliseconds kRequestTimeout = seconds(60);
constexpr milliseconds kResponseTimeout = seconds(60);
// The request line and headers together; cpp-httplib limits each line to 8 KiB, not their
// number.
constexpr size_t kMaxHeadBytes = 64 * 1024;
constexpr size_t kMaxRequestsPerConnection = 100;
constexpr std::string_view kMetricsPath = "/.well-known/tern/metrics";

// The request a connection thread is working on, from routing to the log line (cpp-httplib
// runs both on the same thread).
struct CurrentRequest {
  bool active = false;
  uint64_t id = 0;
  Clock::time_point start;
  uint64_t memory_bytes = 0;
};
thread_local CurrentRequest current;
std::atomic<uint64_t> next_request_id{1};

// The answers cpp-httplib makes itself (its reason table is not in Debian's split header).
std::string_view reason_phrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 416:
      return "Range Not Satisfiable";
    case 500:
      return "Internal Server Error";
    default:
      return "Error";
  }
}

std::string request_id(uint64_t id) {
  return fmt::format("{:08x}", id);
}

// Every line of `text`, tagged with the request id, on stderr.
void log_lines(uint64_t id, std::string_view what, std::string_view text) {
  std::string lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    lines += fmt::format("{} {}: {}\n", request_id(id), what, text.substr(pos, eol - pos));
    pos = eol + 1;
  }
  std::fputs(lines.c_str(), stderr);
}

const LoadedRoute* route_for(const std::vector<LoadedRoute>& routes, const std::string& path) {
  for (const LoadedRoute& r : routes) {  // longest prefix first
    if (r.prefix.empty() || (path.starts_with(r.prefix) &&
                             (path.size() == r.prefix.size() || path[r.prefix.size()] == '/')))
      return &r;
  }
  return nullptr;
}

class HttpServer {
 public:
  HttpServer(const ServeOptions& options, std::vector<LoadedRoute> routes)
      : options_(options),
        routes_(std::move(routes)),
        workers_(options.workers),
        limits_{options.max_connections, kMaxRequestsPerConnection, kIdleTimeout,
                ConnectionDeadlines{kIdleTimeout, options.header_timeout,
                                    std::max(kRequestTimeout, options.header_timeout),
                                    kResponseTimeout, kMaxHeadBytes}},
        http_(limits_, metrics_) {}

  int run();

 private:
  void handle(const httplib::Request& req, httplib::Response& res);
  void log(const httplib::Request& req, const httplib::Response& res);

  const ServeOptions& options_;
  std::vector<LoadedRoute> routes_;
  Metrics metrics_;
  std::counting_semaphore<4096> workers_;  // a free slot per guest that may run now
  ConnectionLimits limits_;
  GuardedServer http_;
  std::atomic<bool> stopping_{false};
};

void HttpServer::handle(const httplib::Request& req, httplib::Response& res) {
  res.set_header("X-Request-Id", request_id(current.id));
  const LoadedRoute* route = route_for(routes_, req.path);
  if (!route) {
    res.status = 404;
    res.set_content("404 Not Found\n", "text/plain; charset=utf-8");
    return;
  }
  CgiRequest cgi;
  cgi.method = req.method;
  cgi.script_name = route->prefix;
  cgi.path_info = req.path.substr(route->prefix.size());
  size_t question = req.target.find('?');
  if (question != std::string::npos) cgi.query = req.target.substr(question + 1);
  for (const auto& [name, value] : req.headers) {
    // cpp-httplib adds these for its own bookkeeping; they are not the client's headers.
    if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
        name == "LOCAL_PORT")
      continue;
    cgi.headers.emplace_back(name, value);
  }
  cgi.content_length = req.body.size();
  cgi.remote_addr = req.remote_addr;
  cgi.server_name = options_.host;
  cgi.server_port = req.local_port;

  workers_.acquire();
  Outcome outcome = route->module->run(options_, cgi, req.body, metrics_);
  workers_.release();

  current.memory_bytes = outcome.memory_bytes;
  if (!outcome.guest_stderr.empty()) log_lines(current.id, "stderr", outcome.guest_stderr);
  if (!outcome.failure.empty()) log_lines(current.id, "error", outcome.failure);
  res.status = outcome.response.status;
  for (auto& [name, value] : outcome.response.headers) {
    // The framing is the server's.
    if (name == "Content-Length" || name == "Transfer-Encoding" || name == "Connection") continue;
    res.set_header(name, value);
  }
  res.body = std::move(outcome.response.body);
}

void HttpServer::log(const httplib::Request& req, const httplib::Response& res) {
  // A request cpp-httplib answered before routing (a garbage request line) has no id yet.
  CurrentRequest done =
      current.active ? current : CurrentRequest{true, next_request_id++, Clock::now(), 0};
  current = CurrentRequest{};
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - done.start);
  metrics_.request_done(res.status, double(us.count()) / 1e6);
  std::string path = req.path.empty() ? "-" : req.path;
  fmt::print(stderr, "{} {} {} {} {}us mem={}\n", request_id(done.id),
             req.method.empty() ? "-" : req.method, path, res.status, us.count(),
             done.memory_bytes);
}

int HttpServer::run() {
  // A thread per connection (they mostly wait on clients); guests run in at most --workers of
  // them at once.
  http_.new_task_queue = [threads = http_.threads_needed()] {
    return new GrowingThreadPool(threads);
  };
  http_.set_payload_max_length(options_.max_body);
  http_.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    current = CurrentRequest{true, next_request_id++, Clock::now(), 0};
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // cpp-httplib's own answers (400, 413, 414) get a body saying what they are.
  http_.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        res.set_content(fmt::format("{} {}\n", res.status, reason_phrase(res.status)),
                        "text/plain; charset=utf-8");
        return httplib::Server::HandlerResponse::Handled;
      }));
  http_.set_logger(
      [this](const httplib::Request& req, const httplib::Response& res) { log(req, res); });
  if (options_.metrics) {
    http_.Get(std::string(kMetricsPath), [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(metrics_.render(), "text/plain; version=0.0.4");
    });
  }
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
  http_.Get(".*", handler);
  http_.Post(".*", handler);
  http_.Put(".*", handler);
  http_.Patch(".*", handler);
  http_.Delete(".*", handler);
  http_.Options(".*", handler);

  int port = options_.port;
  if (port == 0) {
    port = http_.bind_to_any_port(options_.host);
  } else if (!http_.bind_to_port(options_.host, port)) {
    port = -1;
  }
  if (port < 0) {
    fmt::print(stderr, "Error: cannot listen on {}:{}\n", options_.host, options_.port);
    return cli::kExitFailure;
  }
  http_.widen_backlog();
  fmt::print(stderr, "tern serve: listening on http://{}:{} ({} route(s), {} worker(s))\n",
             options_.host, port, routes_.size(), options_.workers);

  // SIGTERM or SIGINT stops accepting; listen_after_bind returns once the requests in flight
  // are answered.
  std::thread([this] {
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    int signal = 0;
    sigwait(&stop, &signal);
    fmt::print(stderr, "tern serve: {}, draining\n", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    stopping_ = true;
    http_.stop();
  }).detach();
  bool ok = http_.listen_after_bind();
  fmt::print(stderr, "tern serve: stopped\n");
  return ok || stopping_ ? cli::kExitOk : cli::kExitFailure;
}

}  // namespace

void block_stop_signals() {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

int serve_http(const ServeOptions& options, std::vector<LoadedRoute> routes) {
  HttpServer server(options, std::move(routes));
  return server.run();
}

}  // namespace tern::serve
