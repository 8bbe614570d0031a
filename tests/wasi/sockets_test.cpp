// sock_* on a listening socket from Config::listen_fds, with a host-side client.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "harness.h"

using namespace tern::wasi::testing;

TEST_CASE("wasi program: sockets accept, recv, send, shutdown", "[wasi]") {
  TERN_REQUIRE_PROGRAM(path, "sockets");
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(listener >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(listen(listener, 4) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  // The connection completes in the backlog; the guest accepts it later.
  int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(write(client, "ping!!", 6) == 6);

  ScratchDir dir;
  RunOptions options;
  options.sandbox = dir.path();
  options.listen_fds = {listener};
  RunResult r = run_program(path, options);
  INFO(r.error);
  INFO(r.out);
  REQUIRE(r.ran);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find(" 0 failures") != std::string::npos);

  timeval timeout{5, 0};  // a failure must not hang the test
  setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string got;
  char buf[64];
  ssize_t n;
  while ((n = read(client, buf, sizeof buf)) > 0) got.append(buf, size_t(n));
  CHECK(got == "pong");  // then end of stream: the guest shut its side down
  close(client);
  close(listener);
}
