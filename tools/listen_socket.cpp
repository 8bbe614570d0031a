#include "tools/listen_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace tern::cli {

// Addresses are numeric, like wasmtime's --tcplisten: no name service is consulted, so the
// statically linked CLI needs no NSS modules at run time.
Result<int> open_listener(const std::string& address) {
  auto bad = [&](const std::string& why) {
    return Error{ErrorKind::Io, "--listen " + address + ": " + why, {}, {}};
  };
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size())
    return bad("expected HOST:PORT");
  std::string host = address.substr(0, colon);
  std::string_view port_text = std::string_view(address).substr(colon + 1);
  uint16_t port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size())
    return bad("the port must be a number from 0 to 65535");

  sockaddr_storage storage{};
  socklen_t length = 0;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    if (inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &v6->sin6_addr) != 1)
      return bad("not a numeric IPv6 address");
    length = sizeof *v6;
  } else {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    if (host == "localhost") host = "127.0.0.1";
    if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) != 1)
      return bad("not a numeric IPv4 address (use [ADDR]:PORT for IPv6)");
    length = sizeof *v4;
  }

  int fd = socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return bad(std::strerror(errno));
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&storage), length) != 0 ||
      listen(fd, SOMAXCONN) != 0) {
    std::string why = std::strerror(errno);
    close(fd);
    return bad(why);
  }
  return fd;
}

}  // namespace tern::cli
