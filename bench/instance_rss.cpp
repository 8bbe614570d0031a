// The resident memory each additional idle instance of a small module costs, beyond its linear
// memory: instantiates the module many times in one process (each in a store of its own, as a
// server gives each request, and all in one store) and divides the growth of VmRSS. A module
// with data segments also counts the memory pages they fill.
//
// Usage: tern_instance_rss [--tier interp|jit|auto] [--count N] [--one-store] [MODULE]
// Prints e.g. "separate stores: 1000 instances, 7.9 KiB each". One layout per process, so
// memory freed by one measurement cannot hide the growth of the next.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "engine/text/wast.h"
#include "tern/tern.h"
#include "tern/wasi.h"

namespace {

// A module with one of everything an instance sets up; its memory has no data, so it adds no
// resident pages until the guest writes to it.
constexpr char kSmallModule[] = R"((module
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 7))
  (table 4 funcref)
  (elem (i32.const 0) $a $b $a $b)
  (func $a (result i32) (global.get $g))
  (func $b (result i32) (i32.const 1))
  (export "a" (func $a))))";

// Resident set size of this process in KiB, from /proc/self/status.
long resident_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "tern_instance_rss: %s\n", why.c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  tern::Config config;
  int count = 1000;
  bool one_store = false;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--tier" && i + 1 < argc) {
      std::string t = argv[++i];
      config.tier = t == "interp" ? tern::Tier::Interp
                    : t == "jit"  ? tern::Tier::Jit
                                  : tern::Tier::Auto;
    } else if (arg == "--one-store") {
      one_store = true;
    } else if (arg == "--count" && i + 1 < argc) {
      count = std::atoi(argv[++i]);
    } else {
      path = arg;
    }
  }
  // Each memory reserves 8 GiB of address space; stay well inside a 47-bit address space.
  if (count < 1 || count > 5000) fail("--count must be from 1 to 5000");

  tern::Engine engine(config);
  tern::Result<tern::Module> module = [&]() -> tern::Result<tern::Module> {
    if (!path.empty()) return tern::Module::from_file(engine, path);
    auto bytes = tern::text::wat_to_binary(kSmallModule);
    if (!bytes) return bytes.take_error();
    return tern::Module::compile(engine, *bytes);
  }();
  if (!module) fail("compile: " + module.error().to_string());
  // WASI imports (e.g. hello.wasm) are satisfied; a guest that never runs never uses them.
  tern::Linker linker;
  if (auto wasi = tern::wasi::add_to_linker(linker, {}); !wasi) {
    fail("wasi: " + wasi.error().to_string());
  }

  {
    bool separate_stores = !one_store;
    std::vector<std::unique_ptr<tern::Store>> stores;
    std::vector<tern::Instance> instances;
    stores.reserve(count);
    instances.reserve(count);
    if (!separate_stores) stores.push_back(std::make_unique<tern::Store>(engine));
    // One instance first, so one-time costs (code, allocator arenas) are not counted.
    auto warm_store = std::make_unique<tern::Store>(engine);
    if (!linker.instantiate(*warm_store, *module)) fail("instantiate failed");
    long before = resident_kib();
    for (int i = 0; i < count; ++i) {
      if (separate_stores) stores.push_back(std::make_unique<tern::Store>(engine));
      auto instance = linker.instantiate(*stores.back(), *module);
      if (!instance) fail("instantiate: " + instance.error().to_string());
      instances.push_back(std::move(*instance));
    }
    long after = resident_kib();
    std::printf("%s: %d instances, %.1f KiB each\n",
                separate_stores ? "separate stores" : "one store", count,
                double(after - before) / count);
  }
  return 0;
}
