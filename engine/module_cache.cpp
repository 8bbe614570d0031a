// The compiled-module cache (docs/jit.md, "The compiled-module cache"): Module::serialize and
// Module::deserialize. A cache is a header that says what it was made by and for, then a
// payload: the module's wasm bytes and, for a module the JIT compiled, its native code
// (jit/common/module_cache.cpp). Loading checks the header field by field, then a checksum over
// everything, then parses the payload with bounds checks; only then is any code placed.
#include <array>
#include <cstring>

#include "engine/interp/interpreter.h"
#include "engine/runtime/alloc.h"
#include "engine/runtime/api_access.h"
#include "engine/runtime/byte_stream.h"
#include "engine/runtime/cache_checksum.h"
#include "engine/runtime/prepare.h"
#include "tern_build_id.h"
#ifdef TERN_HAVE_JIT
#include "jit/common/code_address.h"
#include "jit/common/module_cache.h"
#include "jit/common/module_compiler.h"
#include "jit/tier.h"
#endif

namespace tern {

namespace {

// "\0twasm" and a CR LF, as PNG's signature has, so that a text-mode copy is caught.
constexpr std::array<uint8_t, 8> kMagic = {0x00, 't', 'w', 'a', 's', 'm', 0x0D, 0x0A};
// Bumped whenever the layout below or the JIT's payload changes.
constexpr uint32_t kFormatVersion = 4;
constexpr size_t kVersionBytes = 16, kBuildIdBytes = 32;

// What the payload holds: the wasm bytes only (the interpreter lowers them again on loading),
// or those and native code.
enum class CacheKind : uint8_t { Interp = 0, Jit = 1 };

struct Header {
  std::array<uint8_t, 8> magic{};
  uint32_t format_version = 0;
  std::array<char, kVersionBytes> version{};
  std::array<char, kBuildIdBytes> build_id{};
  CacheKind kind = CacheKind::Interp;
  uint8_t isa = 0;  // jit::CodeIsa; 0 for an interpreter cache
  uint64_t cpu_features = 0;
  uint64_t payload_bytes = 0;
  uint64_t checksum = 0;  // over the header before it and the payload
};
// The checksum ends the header (cache_checksum.h); the rejection tests rewrite the other fields
// at the offsets docs/jit.md lists.
static_assert(rt::kCacheChecksumOffset == 8 + 4 + kVersionBytes + kBuildIdBytes + 1 + 1 + 8 + 8);
constexpr size_t kHeaderBytes = rt::kCacheHeaderBytes;

template <size_t N>
std::array<char, N> fixed_string(std::string_view s) {
  std::array<char, N> out{};
  std::memcpy(out.data(), s.data(), std::min(N, s.size()));
  return out;
}

template <size_t N>
std::string printable(const std::array<char, N>& s) {
  std::string out(s.data(), strnlen(s.data(), N));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7E) c = '?';
  }
  return out;
}

void write_header(const Header& h, std::vector<uint8_t>& out) {
  rt::ByteWriter w(out);
  for (uint8_t b : h.magic) w.put(b);
  w.put(h.format_version);
  for (char c : h.version) w.put(c);
  for (char c : h.build_id) w.put(c);
  w.put(h.kind);
  w.put(h.isa);
  w.put(h.cpu_features);
  w.put(h.payload_bytes);
  w.put(h.checksum);
}

Header read_header(rt::ByteReader& r) {
  Header h;
  for (uint8_t& b : h.magic) b = r.get<uint8_t>();
  h.format_version = r.get<uint32_t>();
  for (char& c : h.version) c = r.get<char>();
  for (char& c : h.build_id) c = r.get<char>();
  h.kind = r.get<CacheKind>();
  h.isa = r.get<uint8_t>();
  h.cpu_features = r.get<uint64_t>();
  h.payload_bytes = r.get<uint64_t>();
  h.checksum = r.get<uint64_t>();
  return h;
}

Error rejected(const std::string& why) {
  return Error::malformed("compiled-module cache rejected: " + why);
}

uint8_t this_isa() {
#ifdef TERN_HAVE_JIT
  return uint8_t(jit::code_isa());
#else
  return 0;
#endif
}

const char* isa_name(uint8_t isa) {
  switch (isa) {
    case 0:
      return "none (no JIT)";
    case 1:
      return "x86-64";
    case 2:
      return "aarch64";
    default:
      return "unknown";
  }
}

// The header's checks, in the order that names the first difference that matters.
Result<void> check_header(const Header& h, size_t bytes_after_header) {
  if (h.magic != kMagic) return rejected("not a Tern compiled module (bad magic)");
  if (h.format_version != kFormatVersion) {
    return rejected("format version " + std::to_string(h.format_version) + ", this build reads " +
                    std::to_string(kFormatVersion));
  }
  if (h.version != fixed_string<kVersionBytes>(TERN_VERSION_STRING)) {
    return rejected("made by Tern " + printable(h.version) + ", this is Tern " +
                    TERN_VERSION_STRING);
  }
  if (h.build_id != fixed_string<kBuildIdBytes>(TERN_BUILD_ID)) {
    return rejected("made by another build (build id " + printable(h.build_id) +
                    ", this build's is " + TERN_BUILD_ID + ")");
  }
  if (h.kind != CacheKind::Interp && h.kind != CacheKind::Jit) {
    return rejected("unknown kind of code " + std::to_string(uint32_t(h.kind)));
  }
  if (h.kind == CacheKind::Jit) {
    if (h.isa != this_isa()) {
      return rejected(std::string("native code for ") + isa_name(h.isa) + ", this host runs " +
                      isa_name(this_isa()));
    }
#ifdef TERN_HAVE_JIT
    uint64_t missing = h.cpu_features & ~jit::code_cpu_features();
    if (missing) {
      return rejected("compiled for CPU features this host lacks: " +
                      jit::cpu_feature_names(missing));
    }
#endif
  }
  if (h.payload_bytes != bytes_after_header) {
    return rejected(h.payload_bytes > bytes_after_header ? "truncated" : "trailing bytes");
  }
  return {};
}

Result<std::shared_ptr<rt::CompiledModule>> load_payload(Engine& engine, const Header& h,
                                                         std::span<const uint8_t> payload) {
  const Config& config = engine.config();
  rt::ByteReader r(payload);
  std::span<const uint8_t> wasm = r.get_bytes();
  if (!r.ok()) return rejected("truncated module bytes");
  if (h.kind == CacheKind::Jit) {
    if (config.tier == Tier::Interp) {
      return rejected("it holds native code and the engine's tier is interp");
    }
    if (config.consume_fuel) {
      return rejected("its code meters no fuel and the engine has Config::consume_fuel on");
    }
  } else if (config.tier == Tier::Jit) {
    return rejected(
        "it holds no native code (the module runs on the interpreter) and the "
        "engine's tier is jit");
  }
  // The module itself: decoded and its types interned as Module::compile does; its functions
  // were validated when the cache was made.
  auto prepared = rt::prepare_module(engine, wasm);
  if (!prepared) return prepared.take_error();
  std::shared_ptr<rt::CompiledModule> module = std::move(*prepared);
  if (h.kind == CacheKind::Interp) {
    if (r.remaining() != 0) return rejected("trailing bytes after the module");
    const rt::TierImpl& interp = interp::tier();
    auto code = interp.compile(*module, config);
    if (!code) return code.take_error();
    module->tier = &interp;
    module->code = std::move(*code);
    return module;
  }
#ifdef TERN_HAVE_JIT
  auto code = jit::deserialize_code(*module, payload.subspan(r.position()));
  if (!code) return code.take_error();
  module->tier = &jit::tier();
  module->code = std::move(*code);
  return module;
#else
  return rejected("native code in a build without the JIT");
#endif
}

}  // namespace

bool Module::is_serialized(std::span<const uint8_t> bytes) {
  return bytes.size() >= kMagic.size() && std::equal(kMagic.begin(), kMagic.end(), bytes.begin());
}

Result<std::vector<uint8_t>> Module::serialize() const {
  return rt::guard_allocation("the serialized module", [&]() -> Result<std::vector<uint8_t>> {
    const rt::CompiledModule& module = *impl_;
    Header h;
    h.magic = kMagic;
    h.format_version = kFormatVersion;
    h.version = fixed_string<kVersionBytes>(TERN_VERSION_STRING);
    h.build_id = fixed_string<kBuildIdBytes>(TERN_BUILD_ID);
    std::vector<uint8_t> out(kHeaderBytes);
    rt::ByteWriter w(out);
    w.put_bytes(module.info.bytes);
#ifdef TERN_HAVE_JIT
    if (const jit::JitModule* jm = jit::jit_module_of(module)) {
      h.kind = CacheKind::Jit;
      h.isa = this_isa();
      h.cpu_features = jit::code_cpu_features();
      if (jm->lazy) {
        // A cache holds every function's code: compile them all now, as eagerly compiled.
        Config eager = module.engine->config();
        eager.lazy_compile = false;
        auto all = jit::compile_module(module, eager);
        if (!all) return all.take_error();
        TERN_TRY(jit::serialize_code(**all, module.type_ids, out));
      } else {
        TERN_TRY(jit::serialize_code(*jm, module.type_ids, out));
      }
    }
#endif
    h.payload_bytes = out.size() - kHeaderBytes;
    std::vector<uint8_t> head;
    write_header(h, head);
    std::copy(head.begin(), head.end(), out.begin());
    rt::seal_cache(out);
    return out;
  });
}

Result<Module> Module::deserialize(Engine& engine, std::span<const uint8_t> bytes) {
  return rt::guard_allocation("the deserialized module", [&]() -> Result<Module> {
    rt::ByteReader r(bytes);
    Header h = read_header(r);
    if (!r.ok()) {
      return rejected(is_serialized(bytes) ? "truncated header"
                                           : "not a Tern compiled module (bad magic)");
    }
    TERN_TRY(check_header(h, r.remaining()));
    std::span<const uint8_t> payload = bytes.subspan(kHeaderBytes);
    if (rt::cache_checksum(bytes) != h.checksum) {
      return rejected("checksum mismatch (the file is corrupt)");
    }
    auto module = load_payload(engine, h, payload);
    if (!module) return module.take_error();
    return detail::Access::module(std::shared_ptr<const rt::CompiledModule>(std::move(*module)));
  });
}

}  // namespace tern
