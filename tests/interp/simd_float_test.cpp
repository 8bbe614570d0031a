// Float SIMD lane operations: each lane must equal the scalar operation (scalar semantics are
// tested in numerics_*_test.cpp), lanes must not leak into each other, and fixed vectors pin the
// cases where SIMD differs from scalar (pmin/pmax) or changes shape (demote, promote, convert).
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "engine/interp/simd.h"
#include "engine/numerics.h"
#include "simd_test_util.h"

using tern::Opcode;
using tern::V128;
namespace num = tern::num;
namespace simd = tern::interp::simd;
using namespace tern::simd_test;

namespace {

template <class F>
using BitsOf = std::conditional_t<sizeof(F) == 4, uint32_t, uint64_t>;

template <class F>
F flane(const V128& v, int i) {
  return std::bit_cast<F>(BitsOf<F>(lane(v, sizeof(F), i)));
}
template <class F>
V128 fvec(std::initializer_list<F> xs) {
  V128 v{};
  int i = 0;
  for (F x : xs) set_lane(v, sizeof(F), i++, std::bit_cast<BitsOf<F>>(x));
  return v;
}
V128 f32x4(float a, float b, float c, float d) {
  return fvec<float>({a, b, c, d});
}
V128 f64x2(double a, double b) {
  return fvec<double>({a, b});
}
V128 i32x4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  V128 v{};
  for (int i = 0; uint32_t x : {a, b, c, d}) set_lane(v, 4, i++, x);
  return v;
}

// Edge values every float test vector draws from: zeros, NaNs (quiet, signalling, negative),
// infinities, denormals, halves for rounding, values around integer boundaries.
template <class F>
std::vector<F> float_edges() {
  using L = std::numeric_limits<F>;
  using U = BitsOf<F>;
  U quiet = U(1) << (std::numeric_limits<F>::digits - 2);
  U exp = std::bit_cast<U>(L::infinity());
  return {F(0),
          -F(0),
          F(1),
          F(-1),
          F(0.5),
          F(-0.5),
          F(1.5),
          F(2.5),
          F(-2.5),
          F(0.49999997),
          L::infinity(),
          -L::infinity(),
          L::max(),
          L::lowest(),
          L::min(),
          L::denorm_min(),
          -L::denorm_min(),
          F(0x1p31),
          F(-0x1p31),
          F(0x1p32),
          F(4294967295.5),
          F(-2147483904.0),
          std::bit_cast<F>(U(exp | quiet)),
          std::bit_cast<F>(U(~U(0))),  // +qNaN, -NaN all ones
          std::bit_cast<F>(U(exp | 1)),
          std::bit_cast<F>(U(exp | quiet | 5)),  // sNaN, payload NaN
          F(3.14159),
          F(-1e30),
          F(7e-40)};
}

template <class F>
std::vector<V128> float_vectors(uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto edges = float_edges<F>();
  std::vector<V128> out;
  for (int n = 0; n < 400; ++n) {
    V128 v{};
    for (int i = 0; i < int(16 / sizeof(F)); ++i) {
      BitsOf<F> b =
          rng() % 3 ? std::bit_cast<BitsOf<F>>(edges[rng() % edges.size()]) : BitsOf<F>(rng());
      set_lane(v, sizeof(F), i, b);
    }
    out.push_back(v);
  }
  return out;
}

template <class F>
void check_unary_lanes(Opcode op, std::function<F(F)> scalar) {
  INFO(std::string(tern::name_of(op)));
  simd::Unary f = simd::unary(op);
  REQUIRE(f != nullptr);
  for (const V128& v : float_vectors<F>(11)) {
    V128 r = f(v);
    for (int i = 0; i < int(16 / sizeof(F)); ++i) {
      REQUIRE(lane(r, sizeof(F), i) == std::bit_cast<BitsOf<F>>(scalar(flane<F>(v, i))));
    }
  }
}

// `hardware_nan`: the op is plain IEEE arithmetic, whose NaN payloads are not pinned down; else
// the result bits must equal the scalar function's exactly.
template <class F>
void check_binary_lanes(Opcode op, std::function<F(F, F)> scalar, bool hardware_nan = false) {
  INFO(std::string(tern::name_of(op)));
  simd::Binary f = simd::binary(op);
  REQUIRE(f != nullptr);
  auto as = float_vectors<F>(12);
  auto bs = float_vectors<F>(13);
  for (size_t k = 0; k < as.size(); ++k) {
    V128 r = f(as[k], bs[k]);
    for (int i = 0; i < int(16 / sizeof(F)); ++i) {
      F expected = scalar(flane<F>(as[k], i), flane<F>(bs[k], i));
      F got = flane<F>(r, i);
      if (hardware_nan && std::isnan(expected)) {
        // Hardware NaN results may differ in payload from the scalar path; both must be NaNs that
        // the spec allows: canonical when every NaN input was canonical, arithmetic otherwise.
        REQUIRE(num::is_arithmetic_nan(got));
        bool inputs_canonical =
            (!std::isnan(flane<F>(as[k], i)) || num::is_canonical_nan(flane<F>(as[k], i))) &&
            (!std::isnan(flane<F>(bs[k], i)) || num::is_canonical_nan(flane<F>(bs[k], i)));
        if (inputs_canonical) REQUIRE(num::is_canonical_nan(got));
      } else {
        REQUIRE(std::bit_cast<BitsOf<F>>(got) == std::bit_cast<BitsOf<F>>(expected));
      }
    }
  }
}

template <class F>
void check_compare_lanes(Opcode op, std::function<bool(F, F)> scalar) {
  INFO(std::string(tern::name_of(op)));
  simd::Binary f = simd::binary(op);
  REQUIRE(f != nullptr);
  auto as = float_vectors<F>(14);
  auto bs = float_vectors<F>(15);
  for (size_t k = 0; k < as.size(); ++k) {
    V128 r = f(as[k], bs[k]);
    for (int i = 0; i < int(16 / sizeof(F)); ++i) {
      bool expected = scalar(flane<F>(as[k], i), flane<F>(bs[k], i));
      REQUIRE(lane(r, sizeof(F), i) == (expected ? width_mask(sizeof(F)) : 0));
    }
  }
}

}  // namespace

TEST_CASE("f32x4 / f64x2 unary lanes equal the scalar operation", "[simd]") {
  check_unary_lanes<float>(Opcode::F32x4Abs, num::abs<float>);
  check_unary_lanes<float>(Opcode::F32x4Neg, num::neg<float>);
  check_unary_lanes<float>(Opcode::F32x4Sqrt, num::sqrt<float>);
  check_unary_lanes<float>(Opcode::F32x4Ceil, num::ceil<float>);
  check_unary_lanes<float>(Opcode::F32x4Floor, num::floor<float>);
  check_unary_lanes<float>(Opcode::F32x4Trunc, num::trunc<float>);
  check_unary_lanes<float>(Opcode::F32x4Nearest, num::nearest<float>);
  check_unary_lanes<double>(Opcode::F64x2Abs, num::abs<double>);
  check_unary_lanes<double>(Opcode::F64x2Neg, num::neg<double>);
  check_unary_lanes<double>(Opcode::F64x2Sqrt, num::sqrt<double>);
  check_unary_lanes<double>(Opcode::F64x2Ceil, num::ceil<double>);
  check_unary_lanes<double>(Opcode::F64x2Floor, num::floor<double>);
  check_unary_lanes<double>(Opcode::F64x2Trunc, num::trunc<double>);
  check_unary_lanes<double>(Opcode::F64x2Nearest, num::nearest<double>);
}

TEST_CASE("f32x4 / f64x2 binary lanes equal the scalar operation", "[simd]") {
  check_binary_lanes<float>(
      Opcode::F32x4Add, [](float a, float b) { return a + b; }, true);
  check_binary_lanes<float>(
      Opcode::F32x4Sub, [](float a, float b) { return a - b; }, true);
  check_binary_lanes<float>(
      Opcode::F32x4Mul, [](float a, float b) { return a * b; }, true);
  check_binary_lanes<float>(
      Opcode::F32x4Div, [](float a, float b) { return a / b; }, true);
  check_binary_lanes<float>(Opcode::F32x4Min, num::min<float>);
  check_binary_lanes<float>(Opcode::F32x4Max, num::max<float>);
  check_binary_lanes<float>(Opcode::F32x4Pmin, [](float a, float b) { return b < a ? b : a; });
  check_binary_lanes<float>(Opcode::F32x4Pmax, [](float a, float b) { return a < b ? b : a; });
  check_binary_lanes<double>(
      Opcode::F64x2Add, [](double a, double b) { return a + b; }, true);
  check_binary_lanes<double>(
      Opcode::F64x2Sub, [](double a, double b) { return a - b; }, true);
  check_binary_lanes<double>(
      Opcode::F64x2Mul, [](double a, double b) { return a * b; }, true);
  check_binary_lanes<double>(
      Opcode::F64x2Div, [](double a, double b) { return a / b; }, true);
  check_binary_lanes<double>(Opcode::F64x2Min, num::min<double>);
  check_binary_lanes<double>(Opcode::F64x2Max, num::max<double>);
  check_binary_lanes<double>(Opcode::F64x2Pmin, [](double a, double b) { return b < a ? b : a; });
  check_binary_lanes<double>(Opcode::F64x2Pmax, [](double a, double b) { return a < b ? b : a; });
}

TEST_CASE("float comparisons give all-ones lanes / NaN compares unequal", "[simd]") {
  check_compare_lanes<float>(Opcode::F32x4Eq, [](float a, float b) { return a == b; });
  check_compare_lanes<float>(Opcode::F32x4Ne, [](float a, float b) { return a != b; });
  check_compare_lanes<float>(Opcode::F32x4Lt, [](float a, float b) { return a < b; });
  check_compare_lanes<float>(Opcode::F32x4Gt, [](float a, float b) { return a > b; });
  check_compare_lanes<float>(Opcode::F32x4Le, [](float a, float b) { return a <= b; });
  check_compare_lanes<float>(Opcode::F32x4Ge, [](float a, float b) { return a >= b; });
  check_compare_lanes<double>(Opcode::F64x2Eq, [](double a, double b) { return a == b; });
  check_compare_lanes<double>(Opcode::F64x2Ne, [](double a, double b) { return a != b; });
  check_compare_lanes<double>(Opcode::F64x2Lt, [](double a, double b) { return a < b; });
  check_compare_lanes<double>(Opcode::F64x2Gt, [](double a, double b) { return a > b; });
  check_compare_lanes<double>(Opcode::F64x2Le, [](double a, double b) { return a <= b; });
  check_compare_lanes<double>(Opcode::F64x2Ge, [](double a, double b) { return a >= b; });
  float nan = std::numeric_limits<float>::quiet_NaN();
  V128 r =
      simd::binary(Opcode::F32x4Eq)(f32x4(nan, 0.0f, -0.0f, 1.0f), f32x4(nan, -0.0f, 0.0f, 2.0f));
  CHECK(r == i32x4(0, 0xFFFFFFFF, 0xFFFFFFFF, 0));
}

TEST_CASE("min/max differ from pmin/pmax on NaN and signed zeros", "[simd]") {
  float nan = std::numeric_limits<float>::quiet_NaN();
  V128 a = f32x4(-0.0f, 0.0f, nan, 1.0f);
  V128 b = f32x4(0.0f, -0.0f, 1.0f, nan);
  V128 min = simd::binary(Opcode::F32x4Min)(a, b);
  V128 pmin = simd::binary(Opcode::F32x4Pmin)(a, b);
  V128 max = simd::binary(Opcode::F32x4Max)(a, b);
  V128 pmax = simd::binary(Opcode::F32x4Pmax)(a, b);
  CHECK(lane(min, 4, 0) == 0x80000000u);
  CHECK(lane(min, 4, 1) == 0x80000000u);
  CHECK(std::isnan(flane<float>(min, 2)));
  CHECK(std::isnan(flane<float>(min, 3)));
  CHECK(lane(max, 4, 0) == 0u);
  CHECK(lane(max, 4, 1) == 0u);
  CHECK(std::isnan(flane<float>(max, 3)));
  // pmin(a, b) = b < a ? b : a: equal zeros and NaN comparisons keep the first operand.
  CHECK(pmin == a);
  CHECK(pmax == a);
  V128 c = f64x2(1.0, -2.0);
  V128 d = f64x2(-1.0, 2.0);
  CHECK(simd::binary(Opcode::F64x2Pmin)(c, d) == f64x2(-1.0, -2.0));
  CHECK(simd::binary(Opcode::F64x2Pmax)(c, d) == f64x2(1.0, 2.0));
}

TEST_CASE("rounding lanes: nearest ties to even / -0 kept", "[simd]") {
  CHECK(simd::unary(Opcode::F32x4Nearest)(f32x4(0.5f, 1.5f, -2.5f, -0.4f)) ==
        f32x4(0.0f, 2.0f, -2.0f, -0.0f));
  CHECK(simd::unary(Opcode::F64x2Nearest)(f64x2(4503599627370495.5, -3.5)) ==
        f64x2(4503599627370496.0, -4.0));
  CHECK(simd::unary(Opcode::F32x4Ceil)(f32x4(-0.5f, 0.1f, 1.0f, -1.5f)) ==
        f32x4(-0.0f, 1.0f, 1.0f, -1.0f));
  CHECK(simd::unary(Opcode::F64x2Floor)(f64x2(-0.5, 0.5)) == f64x2(-1.0, 0.0));
  CHECK(simd::unary(Opcode::F64x2Trunc)(f64x2(-0.5, 1e300)) == f64x2(-0.0, 1e300));
}

TEST_CASE("trunc_sat lanes clamp and map NaN to 0 / the f64x2 forms zero the top lanes", "[simd]") {
  float nan = std::numeric_limits<float>::quiet_NaN();
  float inf = std::numeric_limits<float>::infinity();
  CHECK(simd::unary(Opcode::I32x4TruncSatF32x4S)(f32x4(2147483648.0f, -inf, nan, -1.9f)) ==
        i32x4(0x7FFFFFFF, 0x80000000, 0, 0xFFFFFFFF));
  CHECK(simd::unary(Opcode::I32x4TruncSatF32x4U)(f32x4(4294967296.0f, -1.0f, nan, 4294967040.0f)) ==
        i32x4(0xFFFFFFFF, 0, 0, 4294967040u));
  V128 wide = f64x2(-2147483649.0, 2147483647.9);
  CHECK(simd::unary(Opcode::I32x4TruncSatF64x2SZero)(wide) == i32x4(0x80000000, 0x7FFFFFFF, 0, 0));
  CHECK(simd::unary(Opcode::I32x4TruncSatF64x2UZero)(f64x2(-0.9, 4294967296.0)) ==
        i32x4(0, 0xFFFFFFFF, 0, 0));
  // Against the scalar saturating conversion on every edge vector.
  for (const V128& v : float_vectors<float>(16)) {
    V128 s = simd::unary(Opcode::I32x4TruncSatF32x4S)(v);
    V128 u = simd::unary(Opcode::I32x4TruncSatF32x4U)(v);
    for (int i = 0; i < 4; ++i) {
      REQUIRE(lane(s, 4, i) == uint32_t(num::trunc_sat<int32_t>(flane<float>(v, i))));
      REQUIRE(lane(u, 4, i) == num::trunc_sat<uint32_t>(flane<float>(v, i)));
    }
  }
  for (const V128& v : float_vectors<double>(17)) {
    V128 s = simd::unary(Opcode::I32x4TruncSatF64x2SZero)(v);
    V128 u = simd::unary(Opcode::I32x4TruncSatF64x2UZero)(v);
    for (int i = 0; i < 2; ++i) {
      REQUIRE(lane(s, 4, i) == uint32_t(num::trunc_sat<int32_t>(flane<double>(v, i))));
      REQUIRE(lane(u, 4, i) == num::trunc_sat<uint32_t>(flane<double>(v, i)));
    }
    REQUIRE(lane(s, 8, 1) == 0);
    REQUIRE(lane(u, 8, 1) == 0);
  }
}

TEST_CASE("int→float lane conversions round to nearest even", "[simd]") {
  CHECK(simd::unary(Opcode::F32x4ConvertI32x4S)(i32x4(16777217, 0xFFFFFFFF, 0x80000000, 3)) ==
        f32x4(16777216.0f, -1.0f, -2147483648.0f, 3.0f));
  CHECK(simd::unary(Opcode::F32x4ConvertI32x4U)(i32x4(0xFFFFFFFF, 0x80000080, 0x80000081, 0)) ==
        f32x4(4294967296.0f, 0x1p31f, 0x1.000002p+31f, 0.0f));
  // The *_low forms read lanes 0 and 1 only.
  V128 src = i32x4(0xFFFFFFFF, 0x80000000, 7, 9);
  CHECK(simd::unary(Opcode::F64x2ConvertLowI32x4S)(src) == f64x2(-1.0, -2147483648.0));
  CHECK(simd::unary(Opcode::F64x2ConvertLowI32x4U)(src) == f64x2(4294967295.0, 2147483648.0));
}

TEST_CASE("demote zeroes the top lanes / promote reads the low lanes", "[simd]") {
  double dmax = std::numeric_limits<double>::max();
  V128 d = simd::unary(Opcode::F32x4DemoteF64x2Zero)(f64x2(0x1.000001p+0, -dmax));
  CHECK(flane<float>(d, 0) == 1.0f);  // halfway: ties to even
  CHECK(flane<float>(d, 1) == -std::numeric_limits<float>::infinity());
  CHECK(lane(d, 8, 1) == 0);
  V128 nan_in = f64x2(std::bit_cast<double>(uint64_t(0x7FF4000000000000)), 1e-50);
  V128 dn = simd::unary(Opcode::F32x4DemoteF64x2Zero)(nan_in);
  CHECK(num::is_arithmetic_nan(flane<float>(dn, 0)));
  CHECK(lane(dn, 4, 1) == 0);  // underflows to +0
  V128 p = simd::unary(Opcode::F64x2PromoteLowF32x4)(f32x4(-1.5f, 0x1p-149f, 9.0f, 10.0f));
  CHECK(p == f64x2(-1.5, 0x1p-149));
  V128 pn = simd::unary(Opcode::F64x2PromoteLowF32x4)(
      f32x4(std::bit_cast<float>(uint32_t(0xFFC00000)), 0.0f, 0.0f, 0.0f));
  CHECK(lane(pn, 8, 0) == 0xFFF8000000000000u);  // canonical stays canonical
}
