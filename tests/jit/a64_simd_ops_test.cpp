// The AArch64 SIMD op emitters (jit/a64/a64_simd_ops.h) against the interpreter's lane semantics
// (engine/interp/simd.h), bit for bit. Each op is assembled into a tiny function that loads its
// operands from memory, emits the op and stores the result and its sources back; on an AArch64
// host (natively or under qemu) it runs on special lanes (NaNs with payloads, signed zeros,
// infinities, denormals, integer extremes, out-of-range indices and shift counts, every lane
// index) and seeded random vectors, with dst both aliasing the first source and distinct. On
// every host, the listings of a few representative ops are compared with
// tests/jit/golden/a64_simd (TERN_UPDATE_GOLDEN=1 rewrites them).
#include "jit/a64/a64_simd_ops.h"

#include <asmjit/arm/a64assembler.h>
#include <asmjit/core.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

#include "engine/interp/simd.h"

using namespace tern;
using jit::a64_backend::SimdOperands;
namespace a64 = asmjit::a64;
namespace simd = interp::simd;

namespace {

bool is_gp(char type) {
  return type == 'i' || type == 'l';
}

// The computational 0xFD opcodes: what emits_simd_op claims.
std::vector<Opcode> simd_ops() {
  std::vector<Opcode> ops;
  for (size_t i = 0; i < kOpcodeCount; ++i) {
    if (jit::a64_backend::emits_simd_op(Opcode(i))) ops.push_back(Opcode(i));
  }
  return ops;
}

// Registers of one test function: vector operands in v0-v2 (dst v0 when it aliases srcs[0]) or
// v27-v29 with dst v26; a general-purpose operand in x2, a general-purpose result in x3.
SimdOperands operands_for(Opcode op, bool aliased, const V128& imm) {
  std::string_view sig = info(op).sig;
  size_t num_srcs = sig.find('_');
  SimdOperands o;
  uint32_t first_vec = aliased ? 0 : 27;
  for (size_t i = 0; i < num_srcs; ++i) o.srcs[i] = is_gp(sig[i]) ? 2 : first_vec + uint32_t(i);
  bool gp_result = is_gp(sig.back());
  o.dst = gp_result ? 3 : (aliased && !is_gp(sig[0]) ? o.srcs[0] : 26);
  o.imm = imm;
  return o;
}

#if defined(__aarch64__)
// fn(vectors, out, gp): loads vector operand i from vectors[i], runs the op, stores the result
// at out[0] (16 bytes of a vector, 8 of a general-purpose register) and vector operand i at
// out[1 + i].
void assemble(a64::Assembler& as, Opcode op, const SimdOperands& o) {
  std::string_view sig = info(op).sig;
  size_t num_srcs = sig.find('_');
  for (size_t i = 0; i < num_srcs; ++i) {
    if (!is_gp(sig[i])) as.ldr(a64::v(o.srcs[i]), a64::ptr(a64::x0, int32_t(16 * i)));
  }
  REQUIRE(jit::a64_backend::emit_simd_op(as, op, o));
  if (is_gp(sig.back())) {
    as.str(a64::x(o.dst), a64::ptr(a64::x1));
  } else {
    as.str(a64::v(o.dst), a64::ptr(a64::x1));
  }
  for (size_t i = 0; i < num_srcs; ++i) {
    if (!is_gp(sig[i])) as.str(a64::v(o.srcs[i]), a64::ptr(a64::x1, int32_t(16 * (i + 1))));
  }
  as.ret(a64::x30);
}
#endif

// ---- Golden listings (any host)
// ------------------------------------------------------------------

std::string listing_of(Opcode op, const V128& imm) {
  asmjit::Environment env(asmjit::Arch::kAArch64);
  asmjit::CodeHolder code;
  code.init(env);
  asmjit::StringLogger logger;
  code.setLogger(&logger);
  a64::Assembler as(&code);
  SimdOperands o = operands_for(op, true, imm);
  REQUIRE(jit::a64_backend::emit_simd_op(as, op, o));
  return logger.data();
}

TEST_CASE("a64 simd: listings of representative ops match tests/jit/golden/a64_simd") {
  V128 reverse{};
  for (int i = 0; i < 16; ++i) reverse.bytes[i] = uint8_t(31 - 2 * i % 32);
  struct Case {
    const char* name;
    Opcode op;
    V128 imm;
  };
  const Case cases[] = {
      {"f32x4_min", Opcode::F32x4Min, {}},
      {"i8x16_shuffle", Opcode::I8x16Shuffle, reverse},
      {"i8x16_bitmask", Opcode::I8x16Bitmask, {}},
      {"i8x16_shr_s", Opcode::I8x16ShrS, {}},
      {"i64x2_mul", Opcode::I64x2Mul, {}},
      {"i32x4_trunc_sat_f64x2_u_zero", Opcode::I32x4TruncSatF64x2UZero, {}},
      {"i32x4_relaxed_dot_i8x16_i7x16_add_s", Opcode::I32x4RelaxedDotI8x16I7x16AddS, {}},
  };
  bool update = std::getenv("TERN_UPDATE_GOLDEN") != nullptr;
  for (const Case& c : cases) {
    std::string path =
        std::string(TERN_SOURCE_DIR) + "/tests/jit/golden/a64_simd/" + c.name + ".txt";
    INFO(path << " (TERN_UPDATE_GOLDEN=1 rewrites it; read the diff)");
    std::string listing = listing_of(c.op, c.imm);
    if (update) {
      std::ofstream(path) << listing;
      continue;
    }
    std::ifstream in(path);
    REQUIRE(in);
    std::stringstream expected;
    expected << in.rdbuf();
    CHECK(listing == expected.str());
  }
}

TEST_CASE("a64 simd: every computational 0xFD opcode is emitted") {
  std::vector<Opcode> ops = simd_ops();
  CHECK(ops.size() > 200);
  for (Opcode op : ops) {
    INFO(name_of(op));
    asmjit::Environment env(asmjit::Arch::kAArch64);
    asmjit::CodeHolder code;
    code.init(env);
    a64::Assembler as(&code);
    for (bool aliased : {true, false}) {
      CHECK(jit::a64_backend::emit_simd_op(as, op, operands_for(op, aliased, V128{})));
    }
  }
}

}  // namespace

#if defined(__aarch64__)
namespace {

// ---- Differential test (AArch64 hosts) ---------------------------------------------------------

using Fn = void (*)(const V128* vectors, uint8_t* out, uint64_t gp);

template <class T>
void put(V128& v, int i, T x) {
  std::memcpy(v.bytes + i * sizeof(T), &x, sizeof(T));
}

// Lane values that meet the edge cases of some op, by lane width.
const uint64_t kSpecial8[] = {0, 1, 2, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x0f, 0x10, 0x1f, 0x20, 0x40};
const uint64_t kSpecial16[] = {0,      1,      0x7fff, 0x8000, 0x8001,
                               0xffff, 0x4000, 0xc000, 0x00ff, 0xff80};
const uint64_t kSpecial32[] = {
    0,          1,          0x7fffffff, 0x80000000, 0xffffffff, 0x80000001,
    0x7fc00000, 0xffc00000, 0x7fc12345, 0x7f800001, 0xff812345, 0x7fa00000,  // NaNs
    0x80000000, 0x7f800000, 0xff800000, 0x00000001, 0x807fffff, 0x3f000000,  // -0 inf denormal
    0x3fc00000, 0x40200000, 0xbf000000, 0x3effffff, 0x4f000000, 0xcf000000,  // 0.5 1.5 2.5 -0.5
    0xcf000001, 0x4f800000, 0x4f7fffff, 0x3f800000, 0xbfc00000, 0x4b000001};
const uint64_t kSpecial64[] = {0,
                               1,
                               0x7fffffffffffffff,
                               0x8000000000000000,
                               0xffffffffffffffff,
                               0x7ff8000000000000,  // NaNs: canonical, payload, signalling
                               0xfff8000000000000,
                               0x7ff8123456789abc,
                               0x7ff0000000000001,
                               0xfff4000000000000,
                               0x7ff0000000000000,  // +-inf, denormals
                               0xfff0000000000000,
                               0x0000000000000001,
                               0x800fffffffffffff,
                               0x3fe0000000000000,  // 0.5, 1.5, 2.5, -2.5
                               0x3ff8000000000000,
                               0x4004000000000000,
                               0xc004000000000000,
                               0x41e0000000000000,  // 2^31, -2^31 - 1, 2^32, 2^32 - 0.5
                               0xc1e0000000200000,
                               0x41f0000000000000,
                               0x41efffffffffffff,
                               0x3fdfffffffffffff,
                               0x4330000000000001};

template <size_t N>
uint64_t pick(std::mt19937_64& rng, const uint64_t (&values)[N]) {
  return values[rng() % N];
}

// Vectors whose lanes are special values of one width (or random), each lane drawn at random.
V128 vector_of(std::mt19937_64& rng, int kind) {
  V128 v{};
  for (int i = 0; i < 16; ++i) v.bytes[i] = uint8_t(rng());
  switch (kind % 5) {
    case 0:
      for (int i = 0; i < 16; ++i) put<uint8_t>(v, i, uint8_t(pick(rng, kSpecial8)));
      break;
    case 1:
      for (int i = 0; i < 8; ++i) put<uint16_t>(v, i, uint16_t(pick(rng, kSpecial16)));
      break;
    case 2:
      for (int i = 0; i < 4; ++i) put<uint32_t>(v, i, uint32_t(pick(rng, kSpecial32)));
      break;
    case 3:
      for (int i = 0; i < 2; ++i) put<uint64_t>(v, i, pick(rng, kSpecial64));
      break;
    default:
      break;  // random
  }
  return v;
}

uint64_t low_bits(const V128& v, size_t bytes) {
  uint64_t x = 0;
  std::memcpy(&x, v.bytes, bytes);
  return x;
}

std::string hex(const uint8_t* bytes, size_t n) {
  std::ostringstream s;
  for (size_t i = n; i-- > 0;)
    s << "0123456789abcdef"[bytes[i] >> 4] << "0123456789abcdef"[bytes[i] & 15];
  return s.str();
}

// The interpreter's result of `op` as the bytes the test function stores (8 for a
// general-purpose or scalar float result: the high half of an f32 is not compared).
struct Expected {
  V128 bytes{};
  size_t size = 16;
};

Expected interpret(Opcode op, const V128 (&v)[3], uint64_t gp, const V128& imm) {
  std::string_view sig = info(op).sig;
  Expected e;
  uint8_t lane = imm.bytes[0];
  auto scalar = [&](uint64_t bits, size_t size) {
    std::memcpy(e.bytes.bytes, &bits, 8);
    e.size = size;
  };
  if (op == Opcode::I8x16Shuffle) {
    e.bytes = simd::shuffle(v[0], v[1], imm);
  } else if (auto f = simd::unary(op)) {
    e.bytes = f(v[0]);
  } else if (auto f = simd::binary(op)) {
    e.bytes = f(v[0], v[1]);
  } else if (auto f = simd::ternary(op)) {
    e.bytes = f(v[0], v[1], v[2]);
  } else if (auto f = simd::test(op)) {
    scalar(f(v[0]), 8);
  } else if (auto f = simd::shift(op)) {
    e.bytes = f(v[0], uint32_t(gp));
  } else if (auto f = simd::splat(op)) {
    e.bytes = f(is_gp(sig[0]) ? gp : low_bits(v[0], 8));
  } else if (auto f = simd::extract(op)) {
    size_t size = sig.back() == 'f' ? 4 : 8;
    scalar(f(v[0], lane), size);
  } else if (auto f = simd::replace(op)) {
    e.bytes = f(v[0], is_gp(sig[1]) ? gp : low_bits(v[1], 8), lane);
  } else {
    FAIL("no interpreter function for " << name_of(op));
  }
  return e;
}

// Arithmetic with two NaN operands: which one the interpreter's `a + b` returns is the C++
// compiler's choice (it may swap the operands of a commutative operation), and the spec allows
// either. A lane passes when both results are NaNs and the JIT's is one of the operands' NaNs,
// quieted, or the default NaN the hardware generates (for madd's inf * 0, say). min and max are not
// among these ops: their NaN is defined (the first one).
template <class F, class Bits>
bool nan_lanes_agree(const V128 (&v)[3], const uint8_t* out, const V128& expected) {
  constexpr int kLanes = int(16 / sizeof(F));
  constexpr Bits kSign = Bits(1) << (8 * sizeof(F) - 1);
  constexpr Bits kQuiet = sizeof(F) == 4 ? Bits(0x00400000) : Bits(0x0008000000000000);
  auto lane = [](const uint8_t* bytes, int i) {
    Bits b;
    std::memcpy(&b, bytes + i * sizeof(F), sizeof(F));
    return b;
  };
  auto is_nan = [](Bits b) {
    F f;
    std::memcpy(&f, &b, sizeof(F));
    return f != f;
  };
  for (int i = 0; i < kLanes; ++i) {
    Bits jit = lane(out, i), interp = lane(expected.bytes, i);
    if (jit == interp) continue;
    if (!is_nan(jit) || !is_nan(interp)) return false;
    constexpr Bits kDefaultNan = sizeof(F) == 4 ? Bits(0x7fc00000) : Bits(0x7ff8000000000000);
    bool from_operand = jit == kDefaultNan;
    for (const V128& operand : v) {
      Bits b = lane(operand.bytes, i);
      // The operand or its negation (nmadd negates a).
      for (Bits candidate : {b, Bits(b ^ kSign)}) {
        from_operand |= is_nan(candidate) && jit == (candidate | kQuiet);
      }
    }
    if (!from_operand) return false;
  }
  return true;
}

bool same_but_nan_choice(Opcode op, const V128 (&v)[3], const uint8_t* out, const Expected& e) {
  switch (op) {
    case Opcode::F32x4Add:
    case Opcode::F32x4Sub:
    case Opcode::F32x4Mul:
    case Opcode::F32x4Div:
    case Opcode::F32x4RelaxedMadd:
    case Opcode::F32x4RelaxedNmadd:
      return nan_lanes_agree<float, uint32_t>(v, out, e.bytes);
    case Opcode::F64x2Add:
    case Opcode::F64x2Sub:
    case Opcode::F64x2Mul:
    case Opcode::F64x2Div:
    case Opcode::F64x2RelaxedMadd:
    case Opcode::F64x2RelaxedNmadd:
      return nan_lanes_agree<double, uint64_t>(v, out, e.bytes);
    default:
      return false;
  }
}

// Runs `op` on `inputs` with the immediate `imm` in both register assignments.
void check_op(asmjit::JitRuntime& rt, Opcode op, const V128& imm,
              const std::vector<std::pair<std::array<V128, 3>, uint64_t>>& inputs) {
  std::string_view sig = info(op).sig;
  size_t num_srcs = sig.find('_');
  for (bool aliased : {true, false}) {
    SimdOperands o = operands_for(op, aliased, imm);
    asmjit::CodeHolder code;
    code.init(rt.environment());
    a64::Assembler as(&code);
    assemble(as, op, o);
    Fn fn = nullptr;
    REQUIRE(rt.add(&fn, &code) == asmjit::kErrorOk);
    for (const auto& [vectors, gp] : inputs) {
      V128 v[3] = {vectors[0], vectors[1], vectors[2]};
      uint8_t out[64] = {};
      fn(v, out, gp);
      Expected e = interpret(op, v, gp, imm);
      if (std::memcmp(out, e.bytes.bytes, e.size) != 0 && !same_but_nan_choice(op, v, out, e)) {
        FAIL(name_of(op) << (aliased ? " (dst = srcs[0])" : " (dst distinct)") << " lane/imm "
                         << int(imm.bytes[0]) << ": a=" << hex(v[0].bytes, 16)
                         << " b=" << hex(v[1].bytes, 16) << " c=" << hex(v[2].bytes, 16)
                         << " gp=" << gp << "\n  jit    " << hex(out, e.size) << "\n  interp "
                         << hex(e.bytes.bytes, e.size));
      }
      // Sources other than dst are left as they were.
      for (size_t i = 0; i < num_srcs; ++i) {
        if (is_gp(sig[i]) || (o.srcs[i] == o.dst && !is_gp(sig.back()))) continue;
        if (std::memcmp(out + 16 * (i + 1), v[i].bytes, 16) != 0) {
          FAIL(name_of(op) << " changed source " << i);
        }
      }
    }
    rt.release(fn);
  }
}

TEST_CASE("a64 simd: every op computes what the interpreter computes, bit for bit") {
  std::mt19937_64 rng(12);
  std::vector<std::pair<std::array<V128, 3>, uint64_t>> inputs;
  // General-purpose operands: shift counts around and past every lane width (with garbage in
  // the high half, which an i32 operand ignores), and values to splat or insert.
  std::vector<uint64_t> gps;
  for (uint64_t k = 0; k < 70; ++k) gps.push_back(k | (rng() << 32));
  for (uint64_t k :
       {127ull, 128ull, 129ull, 255ull, 256ull, 0x7fffffffull, 0x80000000ull, 0xffffffffull})
    gps.push_back(k);
  for (int i = 0; i < 3000; ++i) {
    int kind = int(rng() % 5);
    // Mostly one kind for all three operands, so float lanes meet float lanes.
    std::array<V128, 3> v = {vector_of(rng, kind), vector_of(rng, rng() % 4 ? kind : int(rng())),
                             vector_of(rng, kind)};
    uint64_t gp = i < int(gps.size()) ? gps[i] : (rng() % 2 ? rng() : pick(rng, kSpecial64));
    inputs.push_back({v, gp});
  }
  asmjit::JitRuntime rt;
  for (Opcode op : simd_ops()) {
    INFO(name_of(op));
    const OpcodeInfo& i = info(op);
    if (i.imm == ImmKind::Lane) {
      for (uint8_t lane = 0; lane < i.n; ++lane) {
        V128 imm{};
        imm.bytes[0] = lane;
        check_op(rt, op, imm, inputs);
      }
    } else if (op == Opcode::I8x16Shuffle) {
      for (int k = 0; k < 24; ++k) {
        V128 imm{};
        for (int j = 0; j < 16; ++j) {
          imm.bytes[j] = uint8_t(k == 0 ? j : k == 1 ? 31 - j : k == 2 ? 16 + j : rng() % 32);
        }
        check_op(rt, op, imm, inputs);
      }
    } else {
      check_op(rt, op, V128{}, inputs);
    }
  }
}

}  // namespace
#endif
