// A compiled-module cache that must not load is refused with an Error naming why: another
// format version, Tern version or build, another ISA or CPU features this host lacks, the wrong
// tier, a truncated, overlong or corrupt file; and a corrupt payload whose checksum was made
// to match (a forged cache) is still parsed with bounds checks. The header fields are rewritten
// at the offsets docs/jit.md lists.
#include <catch2/catch.hpp>
#include <cstring>

#include "engine/runtime/cache_checksum.h"
#include "tern/tern.h"
#include "tests/support/wat.h"

using namespace tern;
using tern::test::must_compile;

namespace {

constexpr const char* kModule = R"((module
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $f)
  (type $t (func (result i32)))
  (func $f (result i32) (i32.const 7))
  (func (export "f") (param i32) (result i32)
    (i32.add (call_indirect (type $t) (local.get 0)) (i32.load (i32.const 0))))
))";

// Header field offsets (docs/jit.md, "The compiled-module cache").
constexpr size_t kFormatVersionAt = 8, kVersionAt = 12, kBuildIdAt = 28, kKindAt = 60, kIsaAt = 61,
                 kCpuFeaturesAt = 62, kPayloadBytesAt = 70;

Tier native_tier() {
  return Engine::has_tier(Tier::Jit) ? Tier::Jit : Tier::Interp;
}

std::vector<uint8_t> make_cache(Tier tier) {
  Engine engine(Config{.tier = tier});
  auto cache = must_compile(engine, kModule).serialize();
  REQUIRE(cache.ok());
  return *cache;
}

// Deserializing `cache` fails with a message containing `why`.
void check_rejected(const std::vector<uint8_t>& cache, const std::string& why,
                    Config config = Config{.tier = native_tier()}) {
  Engine engine(config);
  auto loaded = Module::deserialize(engine, cache);
  REQUIRE_FALSE(loaded.ok());
  INFO(loaded.error().message);
  CHECK(loaded.error().message.find(why) != std::string::npos);
}

template <typename T>
void write_field(std::vector<uint8_t>& cache, size_t at, T value) {
  std::memcpy(cache.data() + at, &value, sizeof(T));
}

}  // namespace

TEST_CASE("a cache from another format, version or build is rejected") {
  std::vector<uint8_t> valid = make_cache(native_tier());
  {
    Engine engine(Config{.tier = native_tier()});
    REQUIRE(Module::deserialize(engine, valid).ok());
  }
  SECTION("magic") {
    auto cache = valid;
    cache[1] ^= 0x20;
    CHECK_FALSE(Module::is_serialized(cache));
    check_rejected(cache, "bad magic");
  }
  SECTION("format version") {
    auto cache = valid;
    write_field<uint32_t>(cache, kFormatVersionAt, 999);
    check_rejected(cache, "format version 999, this build reads");
  }
  SECTION("Tern version") {
    auto cache = valid;
    std::memcpy(cache.data() + kVersionAt, "0.0.1\0\0\0", 8);
    check_rejected(cache, "made by Tern 0.0.1, this is Tern");
  }
  SECTION("build id") {
    auto cache = valid;
    cache[kBuildIdAt] = cache[kBuildIdAt] == 'f' ? 'e' : 'f';
    check_rejected(cache, "made by another build");
  }
  SECTION("kind of code") {
    auto cache = valid;
    cache[kKindAt] = 7;
    check_rejected(cache, "unknown kind of code 7");
  }
}

TEST_CASE("native code for another ISA or CPU features this host lacks is rejected") {
  if (!Engine::has_tier(Tier::Jit)) return;
  std::vector<uint8_t> valid = make_cache(Tier::Jit);
  SECTION("ISA") {
    auto cache = valid;
    bool x64 = cache[kIsaAt] == 1;
    cache[kIsaAt] = x64 ? 2 : 1;
    check_rejected(cache, x64 ? "native code for aarch64, this host runs x86-64"
                              : "native code for x86-64, this host runs aarch64");
  }
  SECTION("CPU features") {
    auto cache = valid;
    uint64_t features;
    std::memcpy(&features, cache.data() + kCpuFeaturesAt, 8);
    write_field<uint64_t>(cache, kCpuFeaturesAt, features | uint64_t(1) << 63);
    check_rejected(cache, "compiled for CPU features this host lacks: bit63");
  }
}

TEST_CASE("a truncated, overlong or corrupt cache is rejected") {
  std::vector<uint8_t> valid = make_cache(native_tier());
  SECTION("truncated header") {
    check_rejected({valid.begin(), valid.begin() + 40}, "truncated header");
  }
  SECTION("truncated payload") {
    check_rejected({valid.begin(), valid.end() - 1}, "truncated");
  }
  SECTION("trailing bytes") {
    auto cache = valid;
    cache.push_back(0);
    check_rejected(cache, "trailing bytes");
  }
  SECTION("a flipped bit anywhere in the payload") {
    for (size_t at = rt::kCacheHeaderBytes; at < valid.size(); at += 97) {
      auto cache = valid;
      cache[at] ^= 0x10;
      check_rejected(cache, "checksum mismatch");
    }
  }
  SECTION("a flipped bit in the checksum") {
    auto cache = valid;
    cache[rt::kCacheChecksumOffset + 3] ^= 1;
    check_rejected(cache, "checksum mismatch");
  }
  SECTION("a forged payload: the checksum matches, the lengths do not") {
    auto cache = valid;
    // The module bytes' length, the payload's first field, past the end.
    write_field<uint64_t>(cache, rt::kCacheHeaderBytes, uint64_t(1) << 40);
    rt::seal_cache(cache);
    check_rejected(cache, "truncated module bytes");
  }
  SECTION("a forged payload: the module bytes are not a valid module") {
    auto cache = valid;
    cache[rt::kCacheHeaderBytes + 8 + 9] ^= 0xFF;  // inside the wasm: its first section
    rt::seal_cache(cache);
    Engine engine(Config{.tier = native_tier()});
    CHECK_FALSE(Module::deserialize(engine, cache).ok());
  }
}

TEST_CASE("a cache is rejected on a tier or configuration that cannot run it") {
  if (!Engine::has_tier(Tier::Jit)) return;
  SECTION("native code on the interpreter") {
    check_rejected(make_cache(Tier::Jit), "holds native code and the engine's tier is interp",
                   Config{.tier = Tier::Interp});
  }
  SECTION("native code without fuel metering on an engine that meters fuel") {
    check_rejected(make_cache(Tier::Jit), "meters no fuel",
                   Config{.tier = Tier::Jit, .consume_fuel = true});
  }
  SECTION("no native code on Tier::Jit") {
    check_rejected(make_cache(Tier::Interp), "holds no native code", Config{.tier = Tier::Jit});
  }
  SECTION("code with fuel metering is not serialized") {
    Engine engine(Config{.tier = Tier::Jit, .consume_fuel = true});
    auto cache = must_compile(engine, kModule).serialize();
    REQUIRE_FALSE(cache.ok());
    CHECK(cache.error().message.find("fuel metering") != std::string::npos);
  }
}
