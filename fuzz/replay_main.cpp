// tern_fuzz_replay TARGET FILE...: runs files through a target body without libFuzzer, e.g. a
// whole corpus through the normal (g++) build. Prints each file before running it, so the
// last name printed identifies a crashing input.
#include <fmt/core.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "fuzz/targets/targets.h"

int main(int argc, char** argv) {
  struct Target {
    const char* name;
    int (*entry)(const uint8_t*, size_t);
  };
  const Target targets[] = {{"decode", tern_fuzz_decode},
                            {"text", tern_fuzz_text},
                            {"instantiate", tern_fuzz_instantiate},
                            {"config", tern_fuzz_config},
                            {"wasi_path", tern_fuzz_wasi_path},
                            {"wasi_calls", tern_fuzz_wasi_calls},
                            {"module_cache", tern_fuzz_module_cache}};
  const Target* target = nullptr;
  for (const auto& t : targets) {
    if (argc > 1 && std::strcmp(argv[1], t.name) == 0) target = &t;
  }
  if (!target) {
    fmt::print(
        stderr,
        "usage: {} decode|text|instantiate|config|wasi_path|wasi_calls|module_cache FILE...\n",
        argv[0]);
    return 2;
  }
  for (int i = 2; i < argc; ++i) {
    fmt::print(stderr, "{}\n", argv[i]);
    std::ifstream in(argv[i], std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    target->entry(bytes.data(), bytes.size());
  }
  fmt::print("{} inputs ran through {}\n", argc - 2, target->name);
  return 0;
}
