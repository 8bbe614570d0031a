// The WASI embedding: stdio from memory streams and callbacks, contexts chosen per store from
// one pre-linked template, read-only preopens, and the two wasi-testsuite cases (sock_shutdown
// on a non-socket, path_open of a directory for writing). On every tier.
#include <catch2/catch.hpp>

#include "scratch_dir.h"
#include "support/tier.h"
#include "tern/wasi.h"

namespace {

constexpr int32_t kBadf = 8, kFbig = 22, kIsdir = 31, kNotsock = 57, kNotcapable = 76;
constexpr int64_t kRightFdRead = 1 << 1, kRightFdWrite = 1 << 6, kRightFdReaddir = 1 << 14;
constexpr int32_t kOflagCreat = 1, kOflagDirectory = 2;
// Paths in the module's data (embedding_calls.wat).
constexpr int32_t kFileTxt = 512, kDot = 520, kNewTxt = 528;

struct Guest {
  tern::Engine engine;
  tern::Module module;
  tern::Store store;
  tern::Instance instance;

  Guest(const tern::Config& config, const tern::wasi::Config& wasi)
      : engine(config), module(load(engine)), store(engine), instance(link(wasi)) {}

  static tern::Module load(tern::Engine& engine) {
    auto m = tern::Module::from_file(
        engine, std::string(TERN_SOURCE_DIR) + "/tests/wasi/modules/embedding_calls.wat");
    if (!m) throw std::runtime_error(m.error().to_string());
    return std::move(*m);
  }
  tern::Instance link(const tern::wasi::Config& wasi) {
    tern::Linker linker;
    auto ctx = tern::wasi::add_to_linker(linker, wasi);
    if (!ctx) throw std::runtime_error(ctx.error().to_string());
    auto i = linker.instantiate(store, module);
    if (!i) throw std::runtime_error(i.error().to_string());
    return std::move(*i);
  }

  int32_t call(const char* name, std::initializer_list<tern::Value> args = {}) {
    auto r = instance.get_func(name)->call(store, args);
    INFO((r.ok() ? "" : r.error().to_string()));
    REQUIRE(r.ok());
    return (*r)[0].i32();
  }
  int32_t open(int32_t dir, int32_t path, int32_t len, int32_t oflags, int64_t rights) {
    return call("open", {tern::Value::i32(dir), tern::Value::i32(path), tern::Value::i32(len),
                         tern::Value::i32(oflags), tern::Value::i64(rights)});
  }
};

tern::Value i32(int32_t v) {
  return tern::Value::i32(v);
}

}  // namespace

TEST_CASE("wasi: stdio from memory streams and callbacks", "[wasi][streams]") {
  for (const auto& tier : tern::test::tier_cases()) {
    SECTION(tier.name) {
      tern::wasi::Config wasi;
      auto out = std::make_shared<tern::wasi::MemoryOutput>();
      std::string err;
      wasi.stdin_stream = std::make_shared<tern::wasi::MemoryInput>("hello, stream world\n");
      wasi.stdout_stream = out;
      wasi.stderr_stream =
          std::make_shared<tern::wasi::CallbackOutput>([&](std::string_view s) { err += s; });
      Guest g(tier.config, wasi);
      CHECK(g.call("copy_stdin_to_stdout") == 20);  // through a 5-byte buffer, then end of input
      CHECK(out->contents() == "hello, stream world\n");
      CHECK(g.call("write_stderr") == 0);
      CHECK(err == "to stderr\n");
      for (int fd = 0; fd < 3; ++fd) CHECK(g.call("filetype", {i32(fd)}) == 0);  // unknown
      CHECK(g.call("poll_read", {i32(0)}) == 1);  // a stream is always ready
    }
  }
}

TEST_CASE("wasi: a MemoryOutput past its limit fails the write with fbig", "[wasi][streams]") {
  tern::wasi::Config wasi;
  auto out = std::make_shared<tern::wasi::MemoryOutput>(3);
  wasi.stdout_stream = out;
  wasi.stdin_stream = std::make_shared<tern::wasi::Stream>();  // neither direction
  Guest g(tern::Config{.tier = tern::Tier::Interp}, wasi);
  CHECK(g.call("write_fd", {i32(1)}) == kFbig);
  CHECK(out->contents().empty());
  CHECK(g.call("write_fd", {i32(0)}) == kBadf);
}

TEST_CASE("wasi: one template linker, a context per store", "[wasi][streams]") {
  tern::Engine engine;
  auto module = tern::Module::from_file(
      engine, std::string(TERN_SOURCE_DIR) + "/tests/wasi/modules/embedding_calls.wat");
  REQUIRE(module.ok());
  tern::Linker linker;
  using ContextPtr = std::shared_ptr<tern::wasi::Context>;
  tern::wasi::add_to_linker_per_store(linker, [](tern::Caller& caller) -> tern::wasi::Context& {
    return *caller.store().data_as<ContextPtr>();
  });
  for (std::string input : {"first request", "second"}) {
    tern::Store store(engine);
    tern::wasi::Config wasi;
    auto out = std::make_shared<tern::wasi::MemoryOutput>();
    wasi.stdin_stream = std::make_shared<tern::wasi::MemoryInput>(input);
    wasi.stdout_stream = out;
    auto ctx = tern::wasi::make_context(wasi);
    REQUIRE(ctx.ok());
    store.set_data(*ctx);
    auto instance = linker.instantiate(store, *module);
    REQUIRE(instance.ok());
    auto r = instance->get_func("copy_stdin_to_stdout")->call(store, {});
    REQUIRE(r.ok());
    CHECK((*r)[0].i32() == int32_t(input.size()));
    CHECK(out->contents() == input);
  }
}

TEST_CASE("wasi: a read-only preopen refuses every write with notcapable", "[wasi][preopen]") {
  for (const auto& tier : tern::test::tier_cases()) {
    SECTION(tier.name) {
      tern::wasi::testing::ScratchDir dir;
      tern::wasi::testing::write_host_file(dir / "f.txt", "kept");
      tern::wasi::Config wasi;
      wasi.preopens.push_back({dir.path(), "/ro", true});
      Guest g(tier.config, wasi);
      int32_t fd = g.open(3, kFileTxt, 5, 0, kRightFdRead);
      CHECK(fd > 3);
      CHECK(g.call("write_fd", {i32(fd)}) == kNotcapable);
      CHECK(g.open(3, kFileTxt, 5, 0, kRightFdRead | kRightFdWrite) == -kNotcapable);
      CHECK(g.open(3, kNewTxt, 7, kOflagCreat, kRightFdRead) == -kNotcapable);
      CHECK(g.call("unlink_f", {i32(3)}) == kNotcapable);
      CHECK(tern::wasi::testing::read_host_file(dir / "f.txt") == "kept");
      CHECK(g.open(3, kNewTxt, 7, 0, kRightFdRead) < 0);  // not created
    }
  }
}

TEST_CASE("wasi: a writable preopen creates and writes", "[wasi][preopen]") {
  tern::wasi::testing::ScratchDir dir;
  tern::wasi::Config wasi;
  wasi.preopens.push_back({dir.path(), "/rw"});
  Guest g(tern::Config{.tier = tern::Tier::Interp}, wasi);
  int32_t fd = g.open(3, kNewTxt, 7, kOflagCreat, kRightFdWrite);
  REQUIRE(fd > 3);
  CHECK(g.call("write_fd", {i32(fd)}) == 0);
  CHECK(tern::wasi::testing::read_host_file(dir / "new.txt").size() == 5);
}

TEST_CASE("wasi: sock_shutdown on a non-socket is notsock whatever its rights", "[wasi]") {
  tern::wasi::testing::ScratchDir dir;
  tern::wasi::testing::write_host_file(dir / "f.txt", "x");
  tern::wasi::Config wasi;
  wasi.preopens.push_back({dir.path(), "/d"});
  Guest g(tern::Config{.tier = tern::Tier::Interp}, wasi);
  int32_t fd = g.open(3, kFileTxt, 5, 0, kRightFdRead);  // no sock_shutdown right
  REQUIRE(fd > 3);
  CHECK(g.call("shutdown", {i32(fd)}) == kNotsock);
  CHECK(g.call("shutdown", {i32(3)}) == kNotsock);
  CHECK(g.call("shutdown", {i32(99)}) == kBadf);
}

TEST_CASE("wasi: path_open of a directory with fd_write is isdir", "[wasi]") {
  for (const auto& tier : tern::test::tier_cases()) {
    SECTION(tier.name) {
      tern::wasi::testing::ScratchDir dir;
      tern::wasi::Config wasi;
      wasi.preopens.push_back({dir.path(), "/d"});
      Guest g(tier.config, wasi);
      CHECK(g.open(3, kDot, 1, kOflagDirectory, kRightFdWrite) == -kIsdir);
      CHECK(g.open(3, kDot, 1, 0, kRightFdRead | kRightFdWrite) == -kIsdir);
      CHECK(g.open(3, kDot, 1, kOflagDirectory, kRightFdReaddir) > 3);
    }
  }
}
