// The socket of one HTTP connection, as the httplib::Stream that cpp-httplib parses requests
// from and writes responses to, with the deadlines cpp-httplib 0.11 lacks.
//
// cpp-httplib's own stream only times out a single read or write that makes no progress for
// its read timeout, so a client trickling one byte every few seconds (slowloris), or sending
// header lines without end (0.11 has no limit on their number), holds a connection thread for
// ever. This stream also bounds each request's head in time and size, the whole request in
// time, and the writing of each response in time; past a bound a read or write fails, which
// cpp-httplib answers 400 (or closes the connection).
#pragma once

#include <httplib.h>

#include <array>
#include <chrono>
#include <functional>
#include <optional>

namespace tern::serve {

struct ConnectionDeadlines {
  std::chrono::milliseconds idle;      // a read or write making no progress for this long fails
  std::chrono::milliseconds head;      // the request line and headers, from the request start
  std::chrono::milliseconds request;   // the whole request, head and body
  std::chrono::milliseconds response;  // writing the response, from its first byte
  size_t max_head_bytes;               // the request line and headers together
};

class ConnectionStream final : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;

  ConnectionStream(int socket, const ConnectionDeadlines& deadlines);

  // Waits until a next request's first byte (or the client's close) is there: false if none
  // came within `wait`. Polls in slices so that `keep_waiting` turning false ends the wait.
  bool wait_for_request(std::chrono::milliseconds wait, const std::function<bool()>& keep_waiting);

  // The deadlines of the next request start now.
  void start_request();

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return socket_; }

 private:
  bool buffered() const { return buffer_begin_ < buffer_end_; }
  // Whether the socket is ready for `events` within `wait`.
  bool poll_for(short events, Clock::duration wait) const;
  // How long a read may wait now: the idle timeout, cut by the head or request deadline.
  Clock::duration read_wait() const;
  Clock::duration write_wait() const;
  // Follows the head through the bytes handed to cpp-httplib; false once it is too long.
  bool track_head(const char* data, size_t size);

  int socket_;
  const ConnectionDeadlines& deadlines_;
  Clock::time_point request_start_;
  std::optional<Clock::time_point> response_start_;
  bool head_done_ = false;
  size_t head_bytes_ = 0;
  size_t line_length_ = 0;  // of the current head line, without its CR
  // cpp-httplib reads the head a byte at a time: reads come from this buffer.
  std::array<char, 4096> buffer_;
  size_t buffer_begin_ = 0, buffer_end_ = 0;
};

}  // namespace tern::serve
