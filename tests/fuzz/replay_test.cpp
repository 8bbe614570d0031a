// Replays every input under tests/fuzz/regressions/<target>/ through the same entry point the
// fuzzer used. An input still crashing is listed in tests/fuzz/known_failures.txt (with the
// reason) and skipped until the bug is fixed, so the rest keep guarding.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "fuzz/targets/targets.h"

namespace fs = std::filesystem;

namespace {

const fs::path kFuzzTests = fs::path(TERN_SOURCE_DIR) / "tests" / "fuzz";

// "target/file  reason" lines; '#' starts a comment.
std::set<std::string> known_failures() {
  std::set<std::string> names;
  std::ifstream in(kFuzzTests / "known_failures.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    names.insert(line.substr(0, line.find_first_of(" \t")));
  }
  return names;
}

size_t replay(const std::string& target, int (*entry)(const uint8_t*, size_t)) {
  const fs::path dir = kFuzzTests / "regressions" / target;
  const auto skip = known_failures();
  size_t replayed = 0;
  if (!fs::exists(dir)) return 0;
  for (const auto& file : fs::directory_iterator(dir)) {
    if (!file.is_regular_file() || file.path().filename().string()[0] == '.') continue;
    if (skip.count(target + "/" + file.path().filename().string())) continue;
    std::ifstream in(file.path(), std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    INFO("replaying " << file.path());
    CHECK(entry(bytes.data(), bytes.size()) == 0);
    ++replayed;
  }
  return replayed;
}

}  // namespace

TEST_CASE("fuzz regressions replay: decode") {
  replay("decode", tern_fuzz_decode);
}
TEST_CASE("fuzz regressions replay: text") {
  replay("text", tern_fuzz_text);
}
TEST_CASE("fuzz regressions replay: instantiate") {
  replay("instantiate", tern_fuzz_instantiate);
}
TEST_CASE("fuzz regressions replay: config") {
  // The seeds are the regressions: every input must replay, none may be skipped.
  CHECK(replay("config", tern_fuzz_config) >= 4);
}
TEST_CASE("fuzz regressions replay: wasi_path") {
  replay("wasi_path", tern_fuzz_wasi_path);
}
TEST_CASE("fuzz regressions replay: wasi_calls") {
  CHECK(replay("wasi_calls", tern_fuzz_wasi_calls) > 0);  // its deadline cases live there
}

TEST_CASE("fuzz regressions replay: module_cache") {
  CHECK(replay("module_cache", tern_fuzz_module_cache) >= 6);  // its seeds live there
}

TEST_CASE("1000 truncated or flipped (and half resealed) compiled-module caches never crash") {
  // Inputs of tern_fuzz_module_cache from a fixed seed: the flags byte (resealed, truncated),
  // a truncation length and up to 8 flips; half leave the checksum wrong, half reseal it.
  std::mt19937_64 random(15);
  for (int i = 0; i < 1000; ++i) {
    std::vector<uint8_t> input{uint8_t(i % 4)};
    auto put_u32 = [&](uint32_t x) {
      for (int b = 0; b < 4; ++b) input.push_back(uint8_t(x >> (8 * b)));
    };
    put_u32(uint32_t(random()));
    for (uint64_t flips = random() % 8 + 1; flips > 0; --flips) {
      put_u32(uint32_t(random()));
      input.push_back(uint8_t(random()));
    }
    CHECK(tern_fuzz_module_cache(input.data(), input.size()) == 0);
  }
}

TEST_CASE("fuzz targets accept trivial inputs") {
  // The smallest valid module and an empty text module go all the way through each target.
  const uint8_t empty_module[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  CHECK(tern_fuzz_decode(empty_module, sizeof empty_module) == 0);
  CHECK(tern_fuzz_instantiate(empty_module, sizeof empty_module) == 0);
  const std::string text =
      "(module (func (export \"f\") (result i32) (loop (br 0)) (i32.const 1)))";
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  CHECK(tern_fuzz_text(bytes, text.size()) == 0);
  const std::string path = std::string(1, '\4') + "dir/../file";
  CHECK(tern_fuzz_wasi_path(reinterpret_cast<const uint8_t*>(path.data()), path.size()) == 0);
  CHECK(tern_fuzz_wasi_calls(nullptr, 0) == 0);
}
