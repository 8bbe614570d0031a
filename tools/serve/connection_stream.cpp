#include "tools/serve/connection_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace tern::serve {

namespace {

void address_of(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    port = ntohs(v6.sin6_port);
  }
  ip = text;
}

}  // namespace

ConnectionStream::ConnectionStream(int socket, const ConnectionDeadlines& deadlines)
    : socket_(socket), deadlines_(deadlines), request_start_(Clock::now()) {}

bool ConnectionStream::wait_for_request(std::chrono::milliseconds wait,
                                        const std::function<bool()>& keep_waiting) {
  auto end = Clock::now() + wait;
  while (keep_waiting()) {
    auto slice = std::min<Clock::duration>(end - Clock::now(), std::chrono::milliseconds(100));
    if (slice <= Clock::duration::zero()) return false;
    if (buffered() || poll_for(POLLIN, slice)) return true;
  }
  return false;
}

void ConnectionStream::start_request() {
  request_start_ = Clock::now();
  response_start_.reset();
  head_done_ = false;
  head_bytes_ = 0;
  line_length_ = 0;
}

bool ConnectionStream::poll_for(short events, Clock::duration wait) const {
  if (wait <= Clock::duration::zero()) return false;
  pollfd fd{socket_, events, 0};
  int ms = int(std::chrono::ceil<std::chrono::milliseconds>(wait).count());
  int ready;
  do {
    ready = ::poll(&fd, 1, ms);
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

ConnectionStream::Clock::duration ConnectionStream::read_wait() const {
  auto deadline = request_start_ + (head_done_ ? deadlines_.request : deadlines_.head);
  return std::min<Clock::duration>(deadlines_.idle, deadline - Clock::now());
}

ConnectionStream::Clock::duration ConnectionStream::write_wait() const {
  auto deadline = response_start_.value_or(Clock::now()) + deadlines_.response;
  return std::min<Clock::duration>(deadlines_.idle, deadline - Clock::now());
}

bool ConnectionStream::is_readable() const {
  return buffered() || poll_for(POLLIN, read_wait());
}

bool ConnectionStream::is_writable() const {
  return poll_for(POLLOUT, write_wait());
}

bool ConnectionStream::track_head(const char* data, size_t size) {
  for (size_t i = 0; i < size && !head_done_; ++i) {
    ++head_bytes_;
    if (data[i] == '\n') {
      // An empty line (after the request line) ends the head.
      head_done_ = line_length_ == 0 && head_bytes_ > 2;
      line_length_ = 0;
    } else if (data[i] != '\r') {
      ++line_length_;
    }
  }
  return head_done_ || head_bytes_ <= deadlines_.max_head_bytes;
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (!buffered()) {
    if (!poll_for(POLLIN, read_wait())) return -1;
    ssize_t n;
    do {
      n = ::recv(socket_, buffer_.data(), buffer_.size(), 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return n;
    buffer_begin_ = 0;
    buffer_end_ = size_t(n);
  }
  size_t n = std::min(size, buffer_end_ - buffer_begin_);
  std::memcpy(ptr, buffer_.data() + buffer_begin_, n);
  buffer_begin_ += n;
  if (!track_head(ptr, n)) return -1;
  return ssize_t(n);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (!response_start_) response_start_ = Clock::now();
  if (!poll_for(POLLOUT, write_wait())) return -1;
  ssize_t n;
  do {
    n = ::send(socket_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getpeername(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    address_of(address, ip, port);
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    address_of(address, ip, port);
}

}  // namespace tern::serve
