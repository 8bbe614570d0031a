// cpp-httplib's server with guards against slow and malicious clients that the library (0.11,
// Debian's shared build) does not have: a cap on open connections, past which a connection is
// answered 503 at once instead of waiting in the thread pool's queue behind the clients that
// hold every thread; and the request and response deadlines of ConnectionStream on every
// connection. The parsing, routing and responses stay cpp-httplib's (process_request).
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstddef>

#include "tools/serve/connection_stream.h"
#include "tools/serve/metrics.h"

namespace tern::serve {

struct ConnectionLimits {
  size_t max_connections;  // open at once; more are answered 503
  size_t max_requests_per_connection;
  std::chrono::milliseconds keep_alive;  // how long an idle connection waits for a request
  ConnectionDeadlines deadlines;
};

class GuardedServer final : public httplib::Server {
 public:
  GuardedServer(const ConnectionLimits& limits, Metrics& metrics);

  // The connection threads: one per allowed connection, plus a few that only answer 503.
  size_t threads_needed() const;
  // After bind: a listen backlog for bursts of connections (cpp-httplib's is 5).
  void widen_backlog();

 private:
  bool process_and_close_socket(int socket) override;
  bool serve_connection(int socket);
  void reject_busy(int socket);

  const ConnectionLimits& limits_;
  Metrics& metrics_;
  std::atomic<size_t> open_{0};
};

}  // namespace tern::serve
