// sock_accept and sock_recv wait for their peer (the host descriptors are non-blocking, so the
// waits are Tern's own, in Caller::wait): RECV_WAITALL still gathers every byte asked for. On
// every tier.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "tern/wasi.h"

TEST_CASE("wasi: sock_recv with RECV_WAITALL gathers bytes sent in two parts", "[wasi]") {
  std::vector<std::pair<const char*, tern::Config>> tiers{
      {"interp", tern::Config{.tier = tern::Tier::Interp}}};
  if (tern::Engine::has_tier(tern::Tier::Jit)) {
    tiers.push_back({"jit", tern::Config{.tier = tern::Tier::Jit}});
    tiers.push_back({"jit lazy", tern::Config{.tier = tern::Tier::Jit, .lazy_compile = true}});
  }
  for (auto& [name, config] : tiers) {
    SECTION(name) {
      int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      struct sockaddr_in addr = {};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      socklen_t len = sizeof addr;
      REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
      REQUIRE(listen(listener, 1) == 0);
      REQUIRE(getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0);

      tern::Engine engine(config);
      auto module = tern::Module::from_file(
          engine, std::string(TERN_SOURCE_DIR) + "/tests/wasi/modules/recv_waitall.wat");
      REQUIRE(module.ok());
      tern::Store store(engine);
      tern::Linker linker;
      tern::wasi::Config wasi;
      wasi.listen_fds = {listener};
      REQUIRE(tern::wasi::add_to_linker(linker, wasi).ok());
      auto instance = linker.instantiate(store, *module);
      REQUIRE(instance.ok());

      // The client connects after the guest is waiting in sock_accept, then sends 4 + 4 bytes.
      std::thread client([addr] {
        using namespace std::chrono_literals;
        std::this_thread::sleep_for(30ms);
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
          (void)!write(fd, "abcd", 4);
          std::this_thread::sleep_for(50ms);
          (void)!write(fd, "efgh", 4);
        }
        close(fd);
      });
      auto r = instance->get_func("accept_and_receive")->call(store, {});
      client.join();
      close(listener);
      INFO((r.ok() ? "" : r.error().to_string()));
      REQUIRE(r.ok());
      CHECK((*r)[0].i32() == 8);
      auto memory = instance->get_memory("memory");
      CHECK(std::string(reinterpret_cast<const char*>(memory->data() + 64), 8) == "abcdefgh");
    }
  }
}
