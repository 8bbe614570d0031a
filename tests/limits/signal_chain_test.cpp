// The JIT's fault handler coexists with the embedder's: a SIGSEGV or SIGBUS that is not a wasm
// memory trap reaches the handler installed before the engine (or the default action kills the
// process), on any thread, also while wasm code is on the stack. Each scenario runs in a child
// process (this test program re-run on one hidden test case) so that it installs its handlers
// before the engine's, and so that a crash does not take the test program down.
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "tests/limits/limits_harness.h"

using namespace tern;
using namespace tern::limits_testing;

namespace {

volatile sig_atomic_t g_segv_seen = 0;
volatile sig_atomic_t g_bus_seen = 0;

void embedder_segv(int, siginfo_t*, void*) {
  g_segv_seen = g_segv_seen + 1;
}

void embedder_bus(int) {
  g_bus_seen = g_bus_seen + 1;
}

// Runs this program's hidden test case `name` in a child process; returns its wait status.
int run_child(const char* name) {
  pid_t pid = fork();
  if (pid == 0) {
    // In a cross build's test run the test is itself an argument of the emulator.
    constexpr const char* kEmulator = TERN_TEST_EMULATOR;
    if (*kEmulator) {
      char self[4096] = {};
      if (readlink("/proc/self/exe", self, sizeof self - 1) < 0) _exit(126);
      execlp(kEmulator, kEmulator, self, name, static_cast<char*>(nullptr));
    } else {
      execl("/proc/self/exe", "/proc/self/exe", name, static_cast<char*>(nullptr));
    }
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// A module with a memory trap and a host import that raises `signal` while wasm is running.
struct RaisingModule {
  explicit RaisingModule(int signal)
      : engine(on_tier({}, Tier::Jit)),
        module(compile_wat(engine, R"((module
          (import "env" "raise" (func $raise))
          (memory 1)
          (func (export "oob") (result i32) (i32.load (i32.const 65536)))
          (func (export "raise") (result i32) (call $raise) (i32.const 5))
        ))")
                   .value()),
        store(engine) {
    linker.define_host("env", "raise", FuncType{{}, {}}, [signal](Caller&, auto, auto) {
      raise(signal);
      return Result<void>();
    });
    instance = linker.instantiate(store, module).value();
  }
  Engine engine;
  Module module;
  Store store;
  Linker linker;
  Instance instance;
};

}  // namespace

TEST_CASE("child: signals outside wasm reach the embedder's handlers", "[.chain-child]") {
  struct sigaction segv = {}, bus = {};
  segv.sa_sigaction = embedder_segv;
  segv.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &segv, nullptr);
  bus.sa_handler = embedder_bus;
  sigaction(SIGBUS, &bus, nullptr);

  RaisingModule m(SIGSEGV);  // compiles JIT code: the engine's handler goes in now
  int failures = 0;
  if (trap_of(m.instance.get_func("oob")->call(m.store, {})) != TrapCode::MemoryOutOfBounds) {
    failures |= 1;
  }
  if (g_segv_seen != 0) failures |= 2;  // the engine handled its own fault
  raise(SIGSEGV);
  if (g_segv_seen != 1) failures |= 4;
  pthread_kill(pthread_self(), SIGBUS);
  if (g_bus_seen != 1) failures |= 8;
  // Raised by a host function, with compiled code on the stack.
  auto r = m.instance.get_func("raise")->call(m.store, {});
  if (!r || (*r)[0].i32() != 5 || g_segv_seen != 2) failures |= 16;
  // From another thread.
  std::thread([] { raise(SIGSEGV); }).join();
  if (g_segv_seen != 3) failures |= 32;
  // The engine's handler is still in place.
  if (trap_of(m.instance.get_func("oob")->call(m.store, {})) != TrapCode::MemoryOutOfBounds) {
    failures |= 64;
  }
  _exit(failures);
}

TEST_CASE("child: a SIGSEGV outside wasm with no embedder handler kills", "[.default-child]") {
  const rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  signal(SIGSEGV, SIG_DFL);  // also replaces a sanitizer's handler
  RaisingModule m(SIGSEGV);
  if (trap_of(m.instance.get_func("oob")->call(m.store, {})) != TrapCode::MemoryOutOfBounds) {
    _exit(1);
  }
  raise(SIGSEGV);
  _exit(2);  // the signal was swallowed
}

TEST_CASE("the JIT's fault handler chains to the embedder's handlers") {
  int status = run_child("[.chain-child]");
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("the JIT's fault handler leaves the default action to signals it does not own") {
  int status = run_child("[.default-child]");
  INFO("exited: " << WIFEXITED(status) << " status " << WEXITSTATUS(status));
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGSEGV);
}
