// The perf map (Config::profiler = Profiler::PerfMap) of a module compiled on several threads
// at once, eagerly and lazily: every function is listed exactly once, by name, in well-formed
// lines; nothing is listed by the interpreter. (tools/tests/perf_map_test.sh checks the CLI.)
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "tests/support/wat.h"

using namespace tern;

namespace {

constexpr uint32_t kFuncs = 64;

// $f0 .. $f63, each returning its index plus its argument; $f0 also calls all the others.
std::string named_module() {
  std::string wat = "(module\n";
  for (uint32_t i = 0; i < kFuncs; ++i) {
    std::string n = std::to_string(i);
    std::string body = "(i32.add (local.get 0) (i32.const " + n + "))";
    if (i == 0) {
      for (uint32_t j = 1; j < kFuncs; ++j) {
        body = "(i32.add " + body + " (call $f" + std::to_string(j) + " (local.get 0)))";
      }
    }
    wat += "(func $f" + n + " (export \"f" + n + "\") (param i32) (result i32) " + body + ")\n";
  }
  return wat + ")";
}

std::filesystem::path map_path() {
  return "/tmp/perf-" + std::to_string(getpid()) + ".map";
}

size_t map_size() {
  std::error_code ec;
  auto size = std::filesystem::file_size(map_path(), ec);
  return ec ? 0 : size_t(size);
}

// Name -> how many lines name it, among the lines appended from byte `from` on; every line
// must be `START SIZE NAME` with a nonzero hex size.
std::map<std::string, int> names_since(size_t from) {
  std::ifstream in(map_path());
  in.seekg(std::streamoff(from));
  std::map<std::string, int> names;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string start, size, name;
    fields >> start >> size;
    std::getline(fields, name);
    INFO(line);
    REQUIRE(start.find_first_not_of("0123456789abcdef") == std::string::npos);
    REQUIRE(std::stoull(size, nullptr, 16) > 0);
    REQUIRE(name.size() > 1);
    ++names[name.substr(1)];
  }
  return names;
}

void require_each_function_once(const std::map<std::string, int>& names) {
  for (uint32_t i = 0; i < kFuncs; ++i) {
    auto it = names.find("f" + std::to_string(i));
    INFO("f" << i);
    REQUIRE(it != names.end());
    REQUIRE(it->second == 1);
  }
}

Config perf_map_config(Tier tier, bool lazy) {
  Config config;
  config.tier = tier;
  config.profiler = Profiler::PerfMap;
  config.compile_threads = 4;  // chunks compiled and appended from four threads
  config.lazy_compile = lazy;
  return config;
}

}  // namespace

TEST_CASE("the perf map lists each function of a parallel compilation once", "[jit][perf-map]") {
  size_t before = map_size();
  Engine engine(perf_map_config(Tier::Jit, false));
  Module module = test::must_compile(engine, named_module());
  auto names = names_since(before);
  require_each_function_once(names);
  CHECK(names["tern::entry_trampoline"] == 1);
  CHECK(names.size() == kFuncs + 1);
  std::filesystem::remove(map_path());  // the map outlives the process; the test's to remove
}

TEST_CASE("the perf map lists lazily compiled functions once, called from several threads",
          "[jit][perf-map]") {
  size_t before = map_size();
  Engine engine(perf_map_config(Tier::Jit, true));
  Module module = test::must_compile(engine, named_module());
  // Each thread's store calls $f0, which calls every function: all compile on first calls
  // racing with each other.
  std::vector<std::thread> threads;
  std::vector<int32_t> results(4);
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      Store store(engine);
      auto instance = Linker().instantiate(store, module);
      if (!instance) return;
      auto r = instance->get_func("f0")->call(store, std::vector<Value>{Value::i32(1)});
      if (r) results[t] = (*r)[0].i32();
    });
  }
  for (std::thread& t : threads) t.join();
  for (int32_t r : results) CHECK(r == 64 + 63 * 64 / 2);
  auto names = names_since(before);
  require_each_function_once(names);
  CHECK(names["tern::lazy_compile_stubs"] == 1);
  CHECK(names.size() == kFuncs + 2);
  std::filesystem::remove(map_path());
}

TEST_CASE("the interpreter writes no perf map", "[jit][perf-map]") {
  size_t before = map_size();
  Engine engine(perf_map_config(Tier::Interp, false));
  Module module = test::must_compile(engine, named_module());
  CHECK(map_size() == before);
}
