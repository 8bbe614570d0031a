// Relaxed SIMD: each instruction's chosen result (docs/conformance.md) on the inputs where the
// spec allows several: NaNs and signed zeros, out-of-range swizzle indices and truncations,
// -2^15 squared, masks whose bits are not all equal, a negative second dot operand, and a
// product whose fused and unfused roundings differ. Then the instructions end to end on every
// tier, and the feature switch.
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "engine/interp/simd.h"
#include "simd_test_util.h"
#include "tern/tern.h"
#include "tests/support/tier.h"
#include "tests/support/wat.h"

using tern::Opcode;
using tern::V128;
namespace simd = tern::interp::simd;
using namespace tern::simd_test;

namespace {

template <class T>
V128 vec(std::initializer_list<T> xs) {
  V128 v{};
  int i = 0;
  for (T x : xs) {
    if constexpr (std::is_floating_point_v<T>) {
      using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
      set_lane(v, sizeof(T), i++, std::bit_cast<Bits>(x));
    } else {
      set_lane(v, sizeof(T), i++, uint64_t(x));
    }
  }
  return v;
}
float f32_lane(const V128& v, int i) {
  return std::bit_cast<float>(uint32_t(lane(v, 4, i)));
}
double f64_lane(const V128& v, int i) {
  return std::bit_cast<double>(lane(v, 8, i));
}

constexpr float kF32Nan = std::numeric_limits<float>::quiet_NaN();
constexpr double kF64Nan = std::numeric_limits<double>::quiet_NaN();
constexpr float kF32Inf = std::numeric_limits<float>::infinity();

}  // namespace

TEST_CASE("relaxed_swizzle gives 0 for every index from 16 up, as swizzle", "[simd][relaxed]") {
  V128 a{};
  for (int i = 0; i < 16; ++i) a.bytes[i] = uint8_t(0xA0 + i);
  // 16..127 would index modulo 16 under x86's pshufb; 128..255 give 0 on every host.
  V128 idx = bytes_of({0, 15, 16, 17, 31, 32, 0x7F, 0x80, 0x8F, 0xFF, 7, 1, 0x10, 0x40, 3, 2});
  V128 r = simd::binary(Opcode::I8x16RelaxedSwizzle)(a, idx);
  CHECK(r == bytes_of({0xA0, 0xAF, 0, 0, 0, 0, 0, 0, 0, 0, 0xA7, 0xA1, 0, 0, 0xA3, 0xA2}));
}

TEST_CASE("relaxed_trunc saturates out-of-range lanes and maps NaN to 0", "[simd][relaxed]") {
  constexpr uint32_t kIntMin = 0x80000000, kIntMax = 0x7FFFFFFF, kUintMax = 0xFFFFFFFF;
  V128 s =
      simd::unary(Opcode::I32x4RelaxedTruncF32x4S)(vec<float>({kF32Nan, kF32Inf, -3e9f, -2.9f}));
  CHECK(s == vec<uint32_t>({0, kIntMax, kIntMin, uint32_t(-2)}));
  V128 u = simd::unary(Opcode::I32x4RelaxedTruncF32x4U)(
      vec<float>({-kF32Nan, 5e9f, -1.5f, 4294967040.f}));
  CHECK(u == vec<uint32_t>({0, kUintMax, 0, 4294967040u}));
  // The _zero forms convert two f64 lanes into the low lanes and zero the high ones.
  V128 sz = simd::unary(Opcode::I32x4RelaxedTruncF64x2SZero)(vec<double>({-kF64Nan, 2147483647.9}));
  CHECK(sz == vec<uint32_t>({0, kIntMax, 0, 0}));
  V128 uz = simd::unary(Opcode::I32x4RelaxedTruncF64x2UZero)(vec<double>({-0.99, 1e10}));
  CHECK(uz == vec<uint32_t>({0, kUintMax, 0, 0}));
}

TEST_CASE("relaxed_madd and relaxed_nmadd round the product, then the sum", "[simd][relaxed]") {
  // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24: rounded to f32 the 2^-24 is lost, so adding -(1 + 2^-11)
  // gives 0 unfused and 2^-24 fused.
  float a = 1.0f + 0x1p-12f, ab = 1.0f + 0x1p-11f;
  V128 madd = simd::ternary(Opcode::F32x4RelaxedMadd)(vec<float>({a, a, 2.0f, kF32Nan}),
                                                      vec<float>({a, a, 3.0f, 1.0f}),
                                                      vec<float>({-ab, 1.0f, 1.0f, 1.0f}));
  CHECK(f32_lane(madd, 0) == 0.0f);
  CHECK(f32_lane(madd, 1) == 2.0f + 0x1p-11f);
  CHECK(f32_lane(madd, 2) == 7.0f);
  CHECK(std::isnan(f32_lane(madd, 3)));
  V128 nmadd = simd::ternary(Opcode::F32x4RelaxedNmadd)(vec<float>({a, 2.0f, 0.0f, 1.0f}),
                                                        vec<float>({a, 3.0f, 5.0f, kF32Inf}),
                                                        vec<float>({ab, 1.0f, -0.0f, kF32Inf}));
  CHECK(f32_lane(nmadd, 0) == 0.0f);  // fused: -2^-24
  CHECK(f32_lane(nmadd, 1) == -5.0f);
  CHECK(std::bit_cast<uint32_t>(f32_lane(nmadd, 2)) == 0x80000000);  // -0 + -0
  CHECK(std::isnan(f32_lane(nmadd, 3)));                             // -inf + inf

  // f64: (1 + 2^-27)^2 = 1 + 2^-26 + 2^-54.
  double d = 1.0 + 0x1p-27, dd = 1.0 + 0x1p-26;
  V128 dmadd = simd::ternary(Opcode::F64x2RelaxedMadd)(vec<double>({d, 1.5}), vec<double>({d, 2.0}),
                                                       vec<double>({-dd, 0.25}));
  CHECK(f64_lane(dmadd, 0) == 0.0);  // fused: 2^-54
  CHECK(f64_lane(dmadd, 1) == 3.25);
  V128 dnmadd = simd::ternary(Opcode::F64x2RelaxedNmadd)(
      vec<double>({d, 1.5}), vec<double>({d, 2.0}), vec<double>({dd, 0.25}));
  CHECK(f64_lane(dnmadd, 0) == 0.0);
  CHECK(f64_lane(dnmadd, 1) == -2.75);
}

TEST_CASE("relaxed_laneselect selects bit by bit, as bitselect", "[simd][relaxed]") {
  V128 a = vec<uint64_t>({0xAAAAAAAAAAAAAAAA, 0x1111111111111111});
  V128 b = vec<uint64_t>({0x5555555555555555, 0x2222222222222222});
  // Masks whose lanes mix set and clear bits, with the top bit of each lane set and clear: a
  // top-bit select (x86's blendv) would take whole lanes.
  V128 mask = vec<uint64_t>({0x0F0F80FF00FF7F0F, 0x8000000000000001});
  V128 want = vec<uint64_t>({0x5A5AD5AA55AA2A5A, 0x2222222222222223});
  for (Opcode op : {Opcode::I8x16RelaxedLaneselect, Opcode::I16x8RelaxedLaneselect,
                    Opcode::I32x4RelaxedLaneselect, Opcode::I64x2RelaxedLaneselect}) {
    INFO(std::string(tern::name_of(op)));
    CHECK(simd::ternary(op)(a, b, mask) == want);
  }
}

TEST_CASE("relaxed_min and relaxed_max propagate NaN and order -0 below +0", "[simd][relaxed]") {
  V128 a = vec<float>({kF32Nan, 1.0f, -0.0f, 0.0f});
  V128 b = vec<float>({1.0f, -kF32Nan, 0.0f, -0.0f});
  V128 min = simd::binary(Opcode::F32x4RelaxedMin)(a, b);
  V128 max = simd::binary(Opcode::F32x4RelaxedMax)(a, b);
  CHECK(std::isnan(f32_lane(min, 0)));
  CHECK(std::isnan(f32_lane(min, 1)));
  CHECK(std::isnan(f32_lane(max, 0)));
  CHECK(std::isnan(f32_lane(max, 1)));
  // Whichever operand holds it: x86's minps/maxps would return the second operand.
  CHECK(lane(min, 4, 2) == 0x80000000);
  CHECK(lane(min, 4, 3) == 0x80000000);
  CHECK(lane(max, 4, 2) == 0);
  CHECK(lane(max, 4, 3) == 0);

  V128 dmin =
      simd::binary(Opcode::F64x2RelaxedMin)(vec<double>({0.0, kF64Nan}), vec<double>({-0.0, 2.0}));
  V128 dmax =
      simd::binary(Opcode::F64x2RelaxedMax)(vec<double>({-0.0, 2.0}), vec<double>({0.0, kF64Nan}));
  CHECK(lane(dmin, 8, 0) == 0x8000000000000000);
  CHECK(std::isnan(f64_lane(dmin, 1)));
  CHECK(lane(dmax, 8, 0) == 0);
  CHECK(std::isnan(f64_lane(dmax, 1)));
}

TEST_CASE("relaxed_q15mulr_s saturates -2^15 squared", "[simd][relaxed]") {
  V128 a = vec<int16_t>({-32768, 16384, -16384, 32767, 1, -1, 0x4000, -32768});
  V128 b = vec<int16_t>({-32768, 16384, 16384, 32767, 16384, 16384, 1, 32767});
  V128 r = simd::binary(Opcode::I16x8RelaxedQ15mulrS)(a, b);
  // (x * y + 2^14) >> 15, with 0x8000 * 0x8000 saturated to 0x7FFF (x86's pmulhrsw wraps).
  CHECK(r == vec<int16_t>({32767, 8192, -8192, 32766, 1, 0, 1, -32767}));
}

TEST_CASE("relaxed dot products read both operands as signed and saturate the i16 sums",
          "[simd][relaxed]") {
  auto bytes = [](std::initializer_list<int8_t> xs) {
    V128 v{};
    int i = 0;
    for (int8_t x : xs) v.bytes[i++] = uint8_t(x);
    return v;
  };
  V128 a = bytes({-128, -128, -128, -128, 127, 127, 1, 2, 3, 4, 0, 0, -5, 6, 7, -8});
  V128 b = bytes({-127, -127, -128, -128, 127, 127, 1, 2, 3, 4, 0, 0, 10, -10, 100, 100});
  // -127 read as unsigned (x86's pmaddubsw) would be 129: -33024 saturated to -32768.
  V128 dot = simd::binary(Opcode::I16x8RelaxedDotI8x16I7x16S)(a, b);
  CHECK(dot == vec<int16_t>({32512, 32767, 32258, 5, 25, 0, -110, -100}));

  V128 c = vec<int32_t>({1, -1, std::numeric_limits<int32_t>::max(), 100});
  V128 dot_add = simd::ternary(Opcode::I32x4RelaxedDotI8x16I7x16AddS)(a, b, c);
  // Pairs of the i16 sums above, plus c; the i32 addition wraps.
  CHECK(dot_add == vec<int32_t>({32512 + 32767 + 1, 32258 + 5 - 1,
                                 std::numeric_limits<int32_t>::min() + 24, -210 + 100}));
}

namespace {

// One function per relaxed instruction, named after it.
constexpr const char* kRelaxedModule = R"((module
  (func (export "swizzle") (param v128 v128) (result v128)
    (i8x16.relaxed_swizzle (local.get 0) (local.get 1)))
  (func (export "trunc") (param v128) (result v128)
    (i32x4.add (i32x4.add (i32x4.relaxed_trunc_f32x4_s (local.get 0))
                          (i32x4.relaxed_trunc_f32x4_u (local.get 0)))
               (i32x4.add (i32x4.relaxed_trunc_f64x2_s_zero (local.get 0))
                          (i32x4.relaxed_trunc_f64x2_u_zero (local.get 0)))))
  (func (export "madd") (param v128 v128 v128) (result v128)
    (f32x4.relaxed_nmadd (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))
                         (local.get 1) (local.get 2)))
  (func (export "madd64") (param v128 v128 v128) (result v128)
    (f64x2.relaxed_nmadd (f64x2.relaxed_madd (local.get 0) (local.get 1) (local.get 2))
                         (local.get 1) (local.get 2)))
  (func (export "laneselect") (param v128 v128 v128) (result v128)
    (i8x16.relaxed_laneselect (local.get 0) (local.get 1)
      (i16x8.relaxed_laneselect (local.get 2) (local.get 2)
        (i32x4.relaxed_laneselect (local.get 2) (local.get 2)
          (i64x2.relaxed_laneselect (local.get 2) (local.get 2) (local.get 2))))))
  (func (export "minmax") (param v128 v128) (result v128)
    (f32x4.relaxed_max (f32x4.relaxed_min (local.get 0) (local.get 1))
      (f64x2.relaxed_max (f64x2.relaxed_min (local.get 0) (local.get 1)) (local.get 1))))
  (func (export "q15mulr") (param v128 v128) (result v128)
    (i16x8.relaxed_q15mulr_s (local.get 0) (local.get 1)))
  (func (export "dot") (param v128 v128 v128) (result v128)
    (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get 0) (local.get 1)
      (i16x8.relaxed_dot_i8x16_i7x16_s (local.get 0) (local.get 2))))
))";

V128 call_v128(tern::Store& store, const tern::Instance& instance, const char* name,
               std::initializer_list<V128> args) {
  std::vector<tern::Value> values;
  for (const V128& v : args) values.push_back(tern::Value::v128(v));
  auto f = instance.get_func(name);
  REQUIRE(f);
  auto r = f->call(store, std::span<const tern::Value>(values));
  if (!r) FAIL(name << ": " << r.error().to_string());
  REQUIRE(r->size() == 1);
  return (*r)[0].v128();
}

}  // namespace

TEST_CASE("relaxed SIMD gives the same documented results on every tier", "[simd][relaxed]") {
  auto cases = tern::test::tier_cases();
  if (tern::Engine::has_tier(tern::Tier::Jit)) {
    cases.push_back({"auto", tern::Config{.tier = tern::Tier::Auto}});
  }
  for (const auto& tier : cases) {
    INFO(tier.name);
    tern::Engine engine(tier.config);
    auto module = tern::test::compile_wat(engine, kRelaxedModule);
    REQUIRE(module.ok());
    // Both JIT backends compile relaxed SIMD, so Auto picks the JIT where there is one.
    CHECK(module->tier() ==
          (tier.config.tier == tern::Tier::Interp ? tern::Tier::Interp : tern::Tier::Jit));
    tern::Store store(engine);
    auto instance = tern::Linker{}.instantiate(store, *module);
    REQUIRE(instance.ok());
    auto call = [&](const char* name, std::initializer_list<V128> args) {
      return call_v128(store, *instance, name, args);
    };
    V128 a{};
    for (int i = 0; i < 16; ++i) a.bytes[i] = uint8_t(i + 1);
    CHECK(call("swizzle", {a, bytes_of({3, 16, 0x70, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})}) ==
          bytes_of({4, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
    // f32 lanes NaN, 3e9, -2, 0.5: s gives 0, INT_MAX, -2, 0 and u gives 0, 3e9, 0, 0. The
    // same bits as f64 lanes are about 2^244 (INT_MAX, UINT_MAX) and 2^-15 (0, 0).
    V128 t = call("trunc", {vec<float>({kF32Nan, 3e9f, -2.0f, 0.5f})});
    CHECK(t ==
          vec<uint32_t>({0x7FFFFFFFu + 0xFFFFFFFFu, 0x7FFFFFFFu + 3000000000u, uint32_t(-2), 0}));
    // madd then nmadd with the same b and c is ((a*b + c) * -b) + c.
    V128 m = call("madd",
                  {vec<float>({2, 1, 0, -1}), vec<float>({3, 1, 1, 1}), vec<float>({1, 0, 0, 0})});
    CHECK(m == vec<float>({-20, -1, 0, 1}));
    V128 m64 = call("madd64", {vec<double>({2, -1}), vec<double>({3, 1}), vec<double>({1, 0})});
    CHECK(m64 == vec<double>({-20, 1}));
    V128 mask = vec<uint64_t>({0x00FF00FF00FF00FF, 0x7F7F7F7F80808080});
    CHECK(call("laneselect", {vec<uint64_t>({~0ull, ~0ull}), V128{}, mask}) == mask);
    // f32 min: -0, 0, 2, 1; f64 min and max of the same bits: b's (0, 0, 5, 1); the f32 max
    // of both: +0 (not -0), 0, 5, 1.
    V128 mm = call("minmax", {vec<float>({-0.0f, 1, 2, 3}), vec<float>({0.0f, 0, 5, 1})});
    CHECK(mm == vec<float>({0.0f, 0.0f, 5.0f, 1.0f}));
    CHECK(call("q15mulr", {vec<int16_t>({-32768, 2, 0, 0, 0, 0, 0, 0}),
                           vec<int16_t>({-32768, 16384, 0, 0, 0, 0, 0, 0})}) ==
          vec<int16_t>({32767, 1, 0, 0, 0, 0, 0, 0}));
    V128 ones{}, neg{};
    for (int i = 0; i < 16; ++i) ones.bytes[i] = 1, neg.bytes[i] = 0x80;
    // The accumulator is the i16x8 dot(neg, neg): 32767 in each i16 lane (saturated), read as
    // i32 lanes 0x7FFF7FFF; dot_add(neg, ones) adds 4 * -128 to each.
    int32_t acc = 0x7FFF7FFF - 512;
    CHECK(call("dot", {neg, ones, neg}) == vec<int32_t>({acc, acc, acc, acc}));
  }
}

TEST_CASE("relaxed SIMD switched off names its switch", "[simd][relaxed]") {
  tern::Config config;
  config.features.relaxed_simd = false;
  tern::Engine engine(config);
  auto module = tern::test::compile_wat(engine, kRelaxedModule);
  REQUIRE_FALSE(module.ok());
  CHECK(module.error().kind == tern::ErrorKind::Malformed);
  CHECK(module.error().message ==
        "i8x16.relaxed_swizzle requires the relaxed SIMD proposal (-W relaxed-simd), which is "
        "not enabled");
}
