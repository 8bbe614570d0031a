#include "tools/serve/guarded_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string_view>

namespace tern::serve {

namespace {

// Threads kept free of connections, so that a connection over the cap is answered at once.
constexpr size_t kRejectThreads = 4;

}  // namespace

GuardedServer::GuardedServer(const ConnectionLimits& limits, Metrics& metrics)
    : limits_(limits), metrics_(metrics) {}

size_t GuardedServer::threads_needed() const {
  return limits_.max_connections + kRejectThreads;
}

void GuardedServer::widen_backlog() {
  ::listen(svr_sock_, SOMAXCONN);
}

bool GuardedServer::process_and_close_socket(int socket) {
  bool ok = false;
  if (open_.fetch_add(1) < limits_.max_connections) {
    metrics_.connection_opened();
    ok = serve_connection(socket);
    metrics_.connection_closed();
  } else {
    reject_busy(socket);
  }
  --open_;
  ::shutdown(socket, SHUT_RDWR);
  ::close(socket);
  return ok;
}

// cpp-httplib's keep-alive loop, over a ConnectionStream; it ends early when the server stops.
bool GuardedServer::serve_connection(int socket) {
  // cpp-httplib sends a response's head and body in separate writes: with Nagle's algorithm
  // the body waits for the client's delayed ACK of the head, 40 ms on Linux.
  int on = 1;
  ::setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  ConnectionStream stream(socket, limits_.deadlines);
  auto running = [this] { return svr_sock_ != INVALID_SOCKET; };
  bool ok = false;
  for (size_t served = 0; served < limits_.max_requests_per_connection; ++served) {
    if (!stream.wait_for_request(limits_.keep_alive, running)) break;
    stream.start_request();
    bool last = served + 1 == limits_.max_requests_per_connection || !running();
    bool closed = false;
    ok = process_request(stream, last, closed, nullptr);
    if (!ok || closed) break;
  }
  return ok;
}

// Reads what the client sent already (closing a socket with unread data resets it, and the
// client would not see the answer), then answers 503 without waiting on the client.
void GuardedServer::reject_busy(int socket) {
  metrics_.connection_rejected();
  pollfd fd{socket, POLLIN, 0};
  char discard[4096];
  if (::poll(&fd, 1, 20) > 0) {
    for (int i = 0; i < 16 && ::recv(socket, discard, sizeof discard, MSG_DONTWAIT) > 0; ++i) {
    }
  }
  constexpr std::string_view kBusy =
      "HTTP/1.1 503 Service Unavailable\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "Content-Length: 24\r\n"
      "Retry-After: 1\r\n"
      "Connection: close\r\n\r\n"
      "503 Service Unavailable\n";
  ::send(socket, kBusy.data(), kBusy.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
}

}  // namespace tern::serve
