// Integer SIMD lane operations against per-lane scalar references computed here in wide (128-bit)
// arithmetic, over edge-heavy random vectors, plus a few fixed vectors from the spec's examples.
#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <functional>
#include <string>

#include "engine/interp/simd.h"
#include "simd_test_util.h"

using tern::Opcode;
using tern::V128;
namespace simd = tern::interp::simd;
using namespace tern::simd_test;

namespace {

using Wide = __int128;

Wide clamp_to(Wide x, int bytes, bool is_signed) {
  Wide lo = is_signed ? -(Wide(1) << (8 * bytes - 1)) : 0;
  Wide hi = is_signed ? (Wide(1) << (8 * bytes - 1)) - 1 : (Wide(1) << (8 * bytes)) - 1;
  return std::clamp(x, lo, hi);
}

// A lane-wise binary op: lanes are read as signed or unsigned, combined by `ref` in 128-bit
// arithmetic and the result truncated to the lane width.
struct LaneBinary {
  Opcode op;
  int bytes;
  bool is_signed;
  std::function<Wide(Wide, Wide)> ref;
};

Wide read(const V128& v, int bytes, int i, bool is_signed) {
  return is_signed ? Wide(signed_lane(v, bytes, i)) : Wide(lane(v, bytes, i));
}

std::vector<LaneBinary> lane_binaries() {
  std::vector<LaneBinary> t;
  auto add = [](Wide a, Wide b) { return a + b; };
  auto sub = [](Wide a, Wide b) { return a - b; };
  auto mul = [](Wide a, Wide b) { return a * b; };
  auto min = [](Wide a, Wide b) { return std::min(a, b); };
  auto max = [](Wide a, Wide b) { return std::max(a, b); };
  auto mask = [](bool c) { return c ? Wide(-1) : Wide(0); };
  auto eq = [=](Wide a, Wide b) { return mask(a == b); };
  auto ne = [=](Wide a, Wide b) { return mask(a != b); };
  auto lt = [=](Wide a, Wide b) { return mask(a < b); };
  auto gt = [=](Wide a, Wide b) { return mask(a > b); };
  auto le = [=](Wide a, Wide b) { return mask(a <= b); };
  auto ge = [=](Wide a, Wide b) { return mask(a >= b); };
  auto sat = [](int bytes, bool s, auto f) {
    return [=](Wide a, Wide b) { return clamp_to(f(a, b), bytes, s); };
  };
  auto avgr = [](Wide a, Wide b) { return (a + b + 1) / 2; };

  t.push_back({Opcode::I8x16Add, 1, false, add});
  t.push_back({Opcode::I16x8Add, 2, false, add});
  t.push_back({Opcode::I32x4Add, 4, false, add});
  t.push_back({Opcode::I64x2Add, 8, false, add});
  t.push_back({Opcode::I8x16Sub, 1, false, sub});
  t.push_back({Opcode::I16x8Sub, 2, false, sub});
  t.push_back({Opcode::I32x4Sub, 4, false, sub});
  t.push_back({Opcode::I64x2Sub, 8, false, sub});
  t.push_back({Opcode::I16x8Mul, 2, true, mul});
  t.push_back({Opcode::I32x4Mul, 4, true, mul});
  t.push_back({Opcode::I64x2Mul, 8, true, mul});
  t.push_back({Opcode::I8x16AddSatS, 1, true, sat(1, true, add)});
  t.push_back({Opcode::I8x16AddSatU, 1, false, sat(1, false, add)});
  t.push_back({Opcode::I16x8AddSatS, 2, true, sat(2, true, add)});
  t.push_back({Opcode::I16x8AddSatU, 2, false, sat(2, false, add)});
  t.push_back({Opcode::I8x16SubSatS, 1, true, sat(1, true, sub)});
  t.push_back({Opcode::I8x16SubSatU, 1, false, sat(1, false, sub)});
  t.push_back({Opcode::I16x8SubSatS, 2, true, sat(2, true, sub)});
  t.push_back({Opcode::I16x8SubSatU, 2, false, sat(2, false, sub)});
  t.push_back({Opcode::I8x16AvgrU, 1, false, avgr});
  t.push_back({Opcode::I16x8AvgrU, 2, false, avgr});
  // q15mulr_sat_s: sat(floor((a * b + 2^14) / 2^15)); >> on a negative Wide is a floor.
  t.push_back({Opcode::I16x8Q15mulrSatS, 2, true,
               sat(2, true, [](Wide a, Wide b) { return (a * b + (1 << 14)) >> 15; })});
  struct MinMax {
    Opcode min_s, min_u, max_s, max_u;
    int bytes;
  };
  for (MinMax m :
       {MinMax{Opcode::I8x16MinS, Opcode::I8x16MinU, Opcode::I8x16MaxS, Opcode::I8x16MaxU, 1},
        MinMax{Opcode::I16x8MinS, Opcode::I16x8MinU, Opcode::I16x8MaxS, Opcode::I16x8MaxU, 2},
        MinMax{Opcode::I32x4MinS, Opcode::I32x4MinU, Opcode::I32x4MaxS, Opcode::I32x4MaxU, 4}}) {
    t.push_back({m.min_s, m.bytes, true, min});
    t.push_back({m.min_u, m.bytes, false, min});
    t.push_back({m.max_s, m.bytes, true, max});
    t.push_back({m.max_u, m.bytes, false, max});
  }
  // Comparisons, in opcode order per shape: eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u.
  struct Cmp {
    Opcode first;
    int bytes;
  };
  for (Cmp c : {Cmp{Opcode::I8x16Eq, 1}, Cmp{Opcode::I16x8Eq, 2}, Cmp{Opcode::I32x4Eq, 4}}) {
    int base = int(c.first);
    t.push_back({Opcode(base + 0), c.bytes, false, eq});
    t.push_back({Opcode(base + 1), c.bytes, false, ne});
    t.push_back({Opcode(base + 2), c.bytes, true, lt});
    t.push_back({Opcode(base + 3), c.bytes, false, lt});
    t.push_back({Opcode(base + 4), c.bytes, true, gt});
    t.push_back({Opcode(base + 5), c.bytes, false, gt});
    t.push_back({Opcode(base + 6), c.bytes, true, le});
    t.push_back({Opcode(base + 7), c.bytes, false, le});
    t.push_back({Opcode(base + 8), c.bytes, true, ge});
    t.push_back({Opcode(base + 9), c.bytes, false, ge});
  }
  t.push_back({Opcode::I64x2Eq, 8, true, eq});
  t.push_back({Opcode::I64x2Ne, 8, true, ne});
  t.push_back({Opcode::I64x2LtS, 8, true, lt});
  t.push_back({Opcode::I64x2GtS, 8, true, gt});
  t.push_back({Opcode::I64x2LeS, 8, true, le});
  t.push_back({Opcode::I64x2GeS, 8, true, ge});
  t.push_back({Opcode::V128And, 8, false, [](Wide a, Wide b) { return a & b; }});
  t.push_back({Opcode::V128Andnot, 8, false, [](Wide a, Wide b) { return a & ~b; }});
  t.push_back({Opcode::V128Or, 8, false, [](Wide a, Wide b) { return a | b; }});
  t.push_back({Opcode::V128Xor, 8, false, [](Wide a, Wide b) { return a ^ b; }});
  return t;
}

}  // namespace

TEST_CASE("integer lane-wise binary ops match a wide scalar reference", "[simd]") {
  for (const LaneBinary& t : lane_binaries()) {
    INFO(std::string(tern::name_of(t.op)));
    simd::Binary f = simd::binary(t.op);
    REQUIRE(f != nullptr);
    auto as = sample_vectors(t.bytes, 200, 1);
    auto bs = sample_vectors(t.bytes, 200, 2);
    for (size_t n = 0; n < as.size(); ++n) {
      V128 r = f(as[n], bs[n]);
      for (int i = 0; i < 16 / t.bytes; ++i) {
        Wide expected =
            t.ref(read(as[n], t.bytes, i, t.is_signed), read(bs[n], t.bytes, i, t.is_signed));
        REQUIRE(lane(r, t.bytes, i) == (uint64_t(expected) & width_mask(t.bytes)));
      }
    }
  }
}

TEST_CASE("comparison names in the table line up with the opcodes", "[simd]") {
  // Guards the `base + k` arithmetic above against a reordered opcodes.def.
  CHECK(tern::name_of(Opcode(int(Opcode::I16x8Eq) + 9)) == "i16x8.ge_u");
  CHECK(tern::name_of(Opcode(int(Opcode::I32x4Eq) + 2)) == "i32x4.lt_s");
  CHECK(tern::name_of(Opcode(int(Opcode::I8x16Eq) + 7)) == "i8x16.le_u");
}

TEST_CASE("integer unary ops: abs / neg / popcnt", "[simd]") {
  struct Case {
    Opcode op;
    int bytes;
    std::function<Wide(const V128&, int)> ref;
  };
  std::vector<Case> cases;
  for (auto [abs_op, neg_op, bytes] : {std::tuple{Opcode::I8x16Abs, Opcode::I8x16Neg, 1},
                                       std::tuple{Opcode::I16x8Abs, Opcode::I16x8Neg, 2},
                                       std::tuple{Opcode::I32x4Abs, Opcode::I32x4Neg, 4},
                                       std::tuple{Opcode::I64x2Abs, Opcode::I64x2Neg, 8}}) {
    int w = bytes;
    cases.push_back({abs_op, w, [w](const V128& v, int i) {
                       Wide x = signed_lane(v, w, i);
                       return x < 0 ? -x : x;  // abs(INT_MIN) = 2^(N-1), truncates to INT_MIN
                     }});
    cases.push_back({neg_op, w, [w](const V128& v, int i) { return -Wide(signed_lane(v, w, i)); }});
  }
  cases.push_back({Opcode::I8x16Popcnt, 1,
                   [](const V128& v, int i) { return Wide(std::popcount(lane(v, 1, i))); }});
  cases.push_back({Opcode::V128Not, 8, [](const V128& v, int i) { return ~Wide(lane(v, 8, i)); }});
  for (const Case& c : cases) {
    INFO(std::string(tern::name_of(c.op)));
    simd::Unary f = simd::unary(c.op);
    REQUIRE(f != nullptr);
    for (const V128& v : sample_vectors(c.bytes)) {
      V128 r = f(v);
      for (int i = 0; i < 16 / c.bytes; ++i) {
        REQUIRE(lane(r, c.bytes, i) == (uint64_t(c.ref(v, i)) & width_mask(c.bytes)));
      }
    }
  }
  // i8x16.abs of -128 stays -128.
  CHECK(simd::unary(Opcode::I8x16Abs)(bytes_of({0x80, 0xFF, 0x7F, 0x01})) ==
        bytes_of({0x80, 0x01, 0x7F, 0x01}));
}

TEST_CASE("shifts take the count modulo the lane width", "[simd]") {
  struct Shape {
    Opcode shl, shr_s, shr_u;
    int bytes;
  };
  const uint32_t counts[] = {0,  1,  7,  8,   9,   15,  16,  17,         31,         32,        33,
                             63, 64, 65, 127, 128, 255, 256, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
  for (Shape s : {Shape{Opcode::I8x16Shl, Opcode::I8x16ShrS, Opcode::I8x16ShrU, 1},
                  Shape{Opcode::I16x8Shl, Opcode::I16x8ShrS, Opcode::I16x8ShrU, 2},
                  Shape{Opcode::I32x4Shl, Opcode::I32x4ShrS, Opcode::I32x4ShrU, 4},
                  Shape{Opcode::I64x2Shl, Opcode::I64x2ShrS, Opcode::I64x2ShrU, 8}}) {
    INFO("lane bytes " << s.bytes);
    REQUIRE(simd::shift(s.shl));
    REQUIRE(simd::shift(s.shr_s));
    REQUIRE(simd::shift(s.shr_u));
    for (const V128& v : sample_vectors(s.bytes, 50)) {
      for (uint32_t count : counts) {
        int k = int(count % (8 * s.bytes));
        V128 l = simd::shift(s.shl)(v, count);
        V128 rs = simd::shift(s.shr_s)(v, count);
        V128 ru = simd::shift(s.shr_u)(v, count);
        for (int i = 0; i < 16 / s.bytes; ++i) {
          uint64_t m = width_mask(s.bytes);
          REQUIRE(lane(l, s.bytes, i) == ((lane(v, s.bytes, i) << k) & m));
          REQUIRE(lane(ru, s.bytes, i) == (lane(v, s.bytes, i) >> k));
          REQUIRE(lane(rs, s.bytes, i) == (uint64_t(signed_lane(v, s.bytes, i) >> k) & m));
        }
      }
    }
  }
}

TEST_CASE("narrow saturates lanes of both operands", "[simd]") {
  struct Case {
    Opcode op;
    int from;
    bool to_signed;
  };
  for (Case c :
       {Case{Opcode::I8x16NarrowI16x8S, 2, true}, Case{Opcode::I8x16NarrowI16x8U, 2, false},
        Case{Opcode::I16x8NarrowI32x4S, 4, true}, Case{Opcode::I16x8NarrowI32x4U, 4, false}}) {
    INFO(std::string(tern::name_of(c.op)));
    int to = c.from / 2, n = 16 / c.from;
    auto as = sample_vectors(c.from, 200, 3);
    auto bs = sample_vectors(c.from, 200, 4);
    for (size_t k = 0; k < as.size(); ++k) {
      V128 r = simd::binary(c.op)(as[k], bs[k]);
      for (int i = 0; i < n; ++i) {
        // The input lanes are always read as signed, whatever the output's signedness.
        Wide lo = clamp_to(signed_lane(as[k], c.from, i), to, c.to_signed);
        Wide hi = clamp_to(signed_lane(bs[k], c.from, i), to, c.to_signed);
        REQUIRE(lane(r, to, i) == (uint64_t(lo) & width_mask(to)));
        REQUIRE(lane(r, to, i + n) == (uint64_t(hi) & width_mask(to)));
      }
    }
  }
}

TEST_CASE("extend / extmul and extadd_pairwise widen by the op's signedness", "[simd]") {
  struct Case {
    Opcode extend_low, extend_high, extmul_low, extmul_high, extadd;
    int from;
    bool is_signed;
  };
  const Case cases[] = {
      {Opcode::I16x8ExtendLowI8x16S, Opcode::I16x8ExtendHighI8x16S, Opcode::I16x8ExtmulLowI8x16S,
       Opcode::I16x8ExtmulHighI8x16S, Opcode::I16x8ExtaddPairwiseI8x16S, 1, true},
      {Opcode::I16x8ExtendLowI8x16U, Opcode::I16x8ExtendHighI8x16U, Opcode::I16x8ExtmulLowI8x16U,
       Opcode::I16x8ExtmulHighI8x16U, Opcode::I16x8ExtaddPairwiseI8x16U, 1, false},
      {Opcode::I32x4ExtendLowI16x8S, Opcode::I32x4ExtendHighI16x8S, Opcode::I32x4ExtmulLowI16x8S,
       Opcode::I32x4ExtmulHighI16x8S, Opcode::I32x4ExtaddPairwiseI16x8S, 2, true},
      {Opcode::I32x4ExtendLowI16x8U, Opcode::I32x4ExtendHighI16x8U, Opcode::I32x4ExtmulLowI16x8U,
       Opcode::I32x4ExtmulHighI16x8U, Opcode::I32x4ExtaddPairwiseI16x8U, 2, false},
      {Opcode::I64x2ExtendLowI32x4S, Opcode::I64x2ExtendHighI32x4S, Opcode::I64x2ExtmulLowI32x4S,
       Opcode::I64x2ExtmulHighI32x4S, Opcode::Nop, 4, true},
      {Opcode::I64x2ExtendLowI32x4U, Opcode::I64x2ExtendHighI32x4U, Opcode::I64x2ExtmulLowI32x4U,
       Opcode::I64x2ExtmulHighI32x4U, Opcode::Nop, 4, false},
  };
  for (const Case& c : cases) {
    INFO(std::string(tern::name_of(c.extend_low)));
    int to = 2 * c.from, n = 16 / to;
    auto as = sample_vectors(c.from, 200, 5);
    auto bs = sample_vectors(c.from, 200, 6);
    for (size_t k = 0; k < as.size(); ++k) {
      const V128& a = as[k];
      const V128& b = bs[k];
      V128 lo = simd::unary(c.extend_low)(a), hi = simd::unary(c.extend_high)(a);
      V128 mlo = simd::binary(c.extmul_low)(a, b), mhi = simd::binary(c.extmul_high)(a, b);
      for (int i = 0; i < n; ++i) {
        uint64_t m = width_mask(to);
        REQUIRE(lane(lo, to, i) == (uint64_t(read(a, c.from, i, c.is_signed)) & m));
        REQUIRE(lane(hi, to, i) == (uint64_t(read(a, c.from, i + n, c.is_signed)) & m));
        Wide plo = read(a, c.from, i, c.is_signed) * read(b, c.from, i, c.is_signed);
        Wide phi = read(a, c.from, i + n, c.is_signed) * read(b, c.from, i + n, c.is_signed);
        REQUIRE(lane(mlo, to, i) == (uint64_t(plo) & m));
        REQUIRE(lane(mhi, to, i) == (uint64_t(phi) & m));
      }
      if (c.extadd == Opcode::Nop) continue;
      V128 sum = simd::unary(c.extadd)(a);
      for (int i = 0; i < n; ++i) {
        Wide s = read(a, c.from, 2 * i, c.is_signed) + read(a, c.from, 2 * i + 1, c.is_signed);
        REQUIRE(lane(sum, to, i) == (uint64_t(s) & width_mask(to)));
      }
    }
  }
}

TEST_CASE("i32x4.dot_i16x8_s adds pairwise products / wrapping", "[simd]") {
  auto as = sample_vectors(2, 300, 7);
  auto bs = sample_vectors(2, 300, 8);
  for (size_t k = 0; k < as.size(); ++k) {
    V128 r = simd::binary(Opcode::I32x4DotI16x8S)(as[k], bs[k]);
    for (int i = 0; i < 4; ++i) {
      Wide s = Wide(signed_lane(as[k], 2, 2 * i)) * signed_lane(bs[k], 2, 2 * i) +
               Wide(signed_lane(as[k], 2, 2 * i + 1)) * signed_lane(bs[k], 2, 2 * i + 1);
      REQUIRE(lane(r, 4, i) == (uint64_t(s) & 0xFFFFFFFF));
    }
  }
  V128 min_pairs{};
  for (int i = 0; i < 8; ++i) set_lane(min_pairs, 2, i, 0x8000);
  V128 r = simd::binary(Opcode::I32x4DotI16x8S)(min_pairs, min_pairs);
  CHECK(lane(r, 4, 0) == 0x80000000u);  // 2 * 2^30 wraps to INT32_MIN
}

TEST_CASE("any_true / all_true and bitmask", "[simd]") {
  struct Shape {
    Opcode all_true, bitmask;
    int bytes;
  };
  for (Shape s : {Shape{Opcode::I8x16AllTrue, Opcode::I8x16Bitmask, 1},
                  Shape{Opcode::I16x8AllTrue, Opcode::I16x8Bitmask, 2},
                  Shape{Opcode::I32x4AllTrue, Opcode::I32x4Bitmask, 4},
                  Shape{Opcode::I64x2AllTrue, Opcode::I64x2Bitmask, 8}}) {
    INFO("lane bytes " << s.bytes);
    auto vs = sample_vectors(s.bytes);
    vs.push_back(V128{});
    for (const V128& v : vs) {
      uint32_t all = 1, mask = 0;
      for (int i = 0; i < 16 / s.bytes; ++i) {
        if (lane(v, s.bytes, i) == 0) all = 0;
        if (signed_lane(v, s.bytes, i) < 0) mask |= 1u << i;
      }
      REQUIRE(simd::test(s.all_true)(v) == all);
      REQUIRE(simd::test(s.bitmask)(v) == mask);
    }
  }
  simd::Test any = simd::test(Opcode::V128AnyTrue);
  CHECK(any(V128{}) == 0);
  V128 one_bit{};
  one_bit.bytes[15] = 0x40;
  CHECK(any(one_bit) == 1);
  CHECK(simd::test(Opcode::I8x16AllTrue)(one_bit) == 0);
  CHECK(simd::test(Opcode::I8x16Bitmask)(bytes_of({0x80, 0, 0xFF, 0x7F})) == 0b101u);
}
