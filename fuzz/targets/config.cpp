// Random configurations against fixed guests: the input chooses a Config (tier, max_call_depth,
// fuel, lazy compilation, compile threads) and StoreLimits, then a sequence of calls into three
// small modules that recurse, grow a memory and grow a table. Whatever the values, nothing may
// crash, leak or corrupt memory (issue 18: max_call_depth = UINT32_MAX once did), and every
// failure must be the documented one.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "engine/text/wast.h"
#include "fuzz/targets/targets.h"
#include "tern/tern.h"

namespace {

// f(n) recurses n deep and returns n, directly or through a table; forever never returns and
// its frames need no value slots.
constexpr std::string_view kRecursive = R"((module
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $indirect)
  (func $f (export "f") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call $f (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
  (func $indirect (export "indirect") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0))
                     (i32.const 1)))))
  (func $forever (export "forever") (call $forever)))
)";
constexpr std::string_view kMemory = R"((module
  (memory 1)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "fill") (param i32) (memory.fill (i32.const 0) (i32.const 7) (local.get 0))))
)";
constexpr std::string_view kTable = R"((module
  (type $v (func))
  (table $t 0 funcref)
  (func $nop)
  (elem declare func $nop)
  (func (export "grow") (param i32) (result i32) (table.grow $t (ref.func $nop) (local.get 0)))
  (func (export "fill") (param i32) (table.fill $t (i32.const 0) (ref.null func) (local.get 0)))
  (func (export "call") (param i32) (call_indirect (type $v) (local.get 0))))
)";

// The input, read front to back; zeros once it runs out.
class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return at_ >= size_; }
  uint8_t u8() { return at_ < size_ ? data_[at_++] : 0; }
  uint16_t u16() { return uint16_t(u8() | u8() << 8); }
  uint32_t u32() { return uint32_t(u16()) | uint32_t(u16()) << 16; }

 private:
  const uint8_t* data_;
  size_t size_, at_ = 0;
};

// Every value of max_call_depth is possible; these modes make the edges likely.
uint32_t call_depth_from(uint8_t mode, uint32_t raw) {
  switch (mode % 4) {
    case 0:
      return raw;
    case 1:
      return raw % 256;  // 0 (refused), 1 (only the called function), small
    case 2:
      return tern::kMaxCallDepth - 128 + raw % 256;  // either side of the bound
    default:
      return UINT32_MAX - raw % 256;
  }
}

struct Choice {
  tern::Config config;
  tern::StoreLimits limits;
  bool fuel = false;
  uint64_t fuel_per_call = 0;
};

Choice choose(Bytes& in) {
  Choice c;
  const uint8_t tier = in.u8() % 3;
  c.config.tier = tier == 0 ? tern::Tier::Interp : tier == 1 ? tern::Tier::Jit : tern::Tier::Auto;
  const uint8_t flags = in.u8();
  c.config.consume_fuel = flags & 1;
  c.config.lazy_compile = flags & 2;
  c.config.compile_threads = (flags >> 2) & 3;
  c.config.max_call_depth = call_depth_from(flags >> 4, in.u32());
  c.fuel = flags & 64;
  c.fuel_per_call = in.u32();
  const uint8_t pages = in.u8();
  c.limits.memory_pages = pages == 255 ? tern::kMaxPages32 : pages;
  const uint16_t elements = in.u16();
  c.limits.table_elements = elements == 0xFFFF ? UINT64_MAX : elements;
  c.limits.instances = in.u8() % 5;
  return c;
}

// The three modules' binaries, encoded once per process.
const std::array<std::vector<uint8_t>, 3>& module_binaries() {
  static const std::array<std::vector<uint8_t>, 3> binaries = [] {
    std::array<std::vector<uint8_t>, 3> out;
    const std::string_view texts[] = {kRecursive, kMemory, kTable};
    for (size_t i = 0; i < out.size(); ++i) {
      auto binary = tern::text::wat_to_binary(texts[i]);
      if (!binary.ok()) tern_fuzz_fail("a fixed module of the config target does not read");
      out[i] = std::move(*binary);
    }
    return out;
  }();
  return binaries;
}

// Failures a call may end in: a trap (call stack exhausted, out of fuel, out of bounds, ...).
void check_call(const tern::Result<std::vector<tern::Value>>& r, int32_t* result) {
  if (!r.ok()) {
    if (r.error().kind != tern::ErrorKind::Trap) tern_fuzz_fail("a call failed without a trap");
    return;
  }
  if (result) *result = r.value()[0].i32();
}

}  // namespace

int tern_fuzz_config(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  const Choice choice = choose(in);
  tern::Engine engine(choice.config);
  const uint32_t depth = choice.config.max_call_depth;
  const bool depth_valid = depth >= 1 && depth <= tern::kMaxCallDepth;
  const bool tier_available = tern::Engine::has_tier(choice.config.tier);

  std::vector<tern::Module> modules;
  for (const auto& binary : module_binaries()) {
    auto module = tern::Module::compile(engine, binary);
    if (module.ok()) {
      if (!depth_valid) tern_fuzz_fail("a max_call_depth out of range was accepted");
      modules.push_back(std::move(*module));
      continue;
    }
    if (module.error().kind != tern::ErrorKind::Limit) {
      tern_fuzz_fail("a fixed module failed to compile with something other than a Limit error");
    }
    if (depth_valid && tier_available) tern_fuzz_fail("a valid config failed to compile");
    return 0;
  }

  tern::Store store(engine);
  store.set_limits(choice.limits);
  tern::Linker linker;
  // One instance of each module; op 7 makes more, up to the instance limit.
  std::array<std::optional<tern::Instance>, 3> instances;
  auto instantiate_all = [&] {
    for (size_t i = 0; i < modules.size(); ++i) {
      if (choice.fuel) store.set_fuel(choice.fuel_per_call);
      auto instance = linker.instantiate(store, modules[i]);
      if (instance.ok()) {
        instances[i] = *instance;
      } else if (instance.error().kind != tern::ErrorKind::Limit) {
        tern_fuzz_fail("instantiating a fixed module failed with something other than a limit");
      }
    }
  };
  instantiate_all();

  auto call = [&](size_t module, const char* name, std::vector<tern::Value> args,
                  int32_t* result = nullptr) {
    if (!instances[module]) return;
    if (choice.fuel) store.set_fuel(choice.fuel_per_call);
    check_call(instances[module]->get_func(name)->call(store, args), result);
  };
  // Bounded so that an input runs in milliseconds under ASan and touches little memory: growth
  // per call is at most 2^16 table elements or 63 pages, a fill at most 16 MiB.
  for (int op = 0; op < 32 && !in.empty(); ++op) {
    const uint8_t what = in.u8();
    const uint16_t arg = in.u16();
    const auto i32 = [](int64_t v) { return tern::Value::i32(int32_t(v)); };
    int32_t result = -1;
    switch (what % 8) {
      case 0:
      case 1:
        call(0, what % 8 == 0 ? "f" : "indirect", {i32(arg)}, &result);
        if (result != -1 && result != arg) tern_fuzz_fail("f(n) returned other than n");
        break;
      case 2:
        call(0, "forever", {});
        break;
      case 3:
        call(1, "grow", {i32(arg % 64)});
        break;
      case 4:
        call(1, "fill", {i32(int64_t(arg) << 8)});
        break;
      case 5:
        call(2, "grow", {i32(arg)});
        break;
      case 6:
        call(2, what & 8 ? "fill" : "call", {i32(arg)});
        break;
      default:
        instantiate_all();
        break;
    }
  }
  return 0;
}
