// Float operations of engine/numerics.h: NaN quieting and payloads, signed zeros, bit-only
// sign operations, rounding to integral, demote/promote.
#include <bit>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>

#include "engine/numerics.h"

namespace num = tern::num;

namespace {

float f32(uint32_t bits) {
  return std::bit_cast<float>(bits);
}
double f64(uint64_t bits) {
  return std::bit_cast<double>(bits);
}
uint32_t bits(float x) {
  return std::bit_cast<uint32_t>(x);
}
uint64_t bits(double x) {
  return std::bit_cast<uint64_t>(x);
}

constexpr uint32_t kNanF = 0x7FC00000;   // canonical
constexpr uint32_t kSNanF = 0x7FA00001;  // signalling, payload 0x200001
constexpr uint32_t kNegNanF = 0xFFC00000;
constexpr uint64_t kNanD = 0x7FF8000000000000;
constexpr uint64_t kSNanD = 0x7FF4000000000001;
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr double kInfD = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("NaN classification by bits", "[numerics]") {
  CHECK(num::is_nan(f32(kNanF)));
  CHECK(num::is_nan(f32(kSNanF)));
  CHECK(num::is_nan(f32(0xFF800001)));
  CHECK_FALSE(num::is_nan(f32(0x7F800000)));  // infinity
  CHECK(num::is_canonical_nan(f32(kNanF)));
  CHECK(num::is_canonical_nan(f32(kNegNanF)));
  CHECK_FALSE(num::is_canonical_nan(f32(0x7FC00001)));
  CHECK(num::is_arithmetic_nan(f32(0x7FC00001)));
  CHECK_FALSE(num::is_arithmetic_nan(f32(kSNanF)));
  CHECK(num::is_canonical_nan(f64(kNanD)));
  CHECK_FALSE(num::is_arithmetic_nan(f64(kSNanD)));
  CHECK(bits(num::canonical_nan<float>()) == kNanF);
  CHECK(bits(num::canonical_nan<double>()) == kNanD);
}

TEST_CASE("abs / neg and copysign only touch the sign bit", "[numerics]") {
  CHECK(bits(num::abs(f32(0xFFA00001))) == 0x7FA00001u);  // signalling NaN stays signalling
  CHECK(bits(num::neg(f32(kSNanF))) == 0xFFA00001u);
  CHECK(bits(num::neg(f32(0))) == 0x80000000u);
  CHECK(bits(num::abs(f32(0x80000000))) == 0u);
  CHECK(bits(num::copysign(f32(kSNanF), -1.0f)) == 0xFFA00001u);
  CHECK(bits(num::copysign(1.5f, f32(kNegNanF))) == bits(-1.5f));
  CHECK(bits(num::copysign(-2.0f, f32(0))) == bits(2.0f));
  CHECK(bits(num::abs(f64(0xFFF4000000000001))) == kSNanD);
  CHECK(bits(num::neg(f64(kSNanD))) == 0xFFF4000000000001u);
  CHECK(bits(num::copysign(f64(kSNanD), -0.0)) == 0xFFF4000000000001u);
  CHECK(num::neg(kInfD) == -kInfD);
}

TEST_CASE("min and max: NaN wins / quieted / -0 < +0", "[numerics]") {
  CHECK(bits(num::min(f32(0), f32(0x80000000))) == 0x80000000u);
  CHECK(bits(num::min(f32(0x80000000), f32(0))) == 0x80000000u);
  CHECK(bits(num::max(f32(0), f32(0x80000000))) == 0u);
  CHECK(bits(num::max(f32(0x80000000), f32(0))) == 0u);
  CHECK(bits(num::min(-0.0, 0.0)) == 0x8000000000000000u);
  CHECK(bits(num::max(-0.0, 0.0)) == 0u);
  CHECK(num::min(1.0f, 2.0f) == 1.0f);
  CHECK(num::max(-kInf, 2.0f) == 2.0f);
  CHECK(num::min(-kInf, kInf) == -kInf);
  // Canonical in → canonical out; other NaNs come out arithmetic with the payload kept.
  CHECK(num::is_canonical_nan(num::min(f32(kNanF), 1.0f)));
  CHECK(num::is_canonical_nan(num::max(1.0f, f32(kNegNanF))));
  CHECK(bits(num::min(f32(kSNanF), 1.0f)) == 0x7FE00001u);
  CHECK(bits(num::max(2.0f, f32(kSNanF))) == 0x7FE00001u);
  CHECK(num::is_arithmetic_nan(num::max(f32(kSNanF), f32(kNanF))));
  CHECK(bits(num::min(f64(kSNanD), 0.0)) == 0x7FFC000000000001u);
  CHECK(num::is_canonical_nan(num::max(f64(kNanD), kInfD)));
}

TEST_CASE("pmin and pmax are the plain comparisons", "[numerics]") {
  CHECK(bits(num::pmin(f32(0), f32(0x80000000))) == 0u);  // -0 < +0 is false: first operand
  CHECK(bits(num::pmax(f32(0x80000000), f32(0))) == 0x80000000u);
  CHECK(bits(num::pmin(f32(kSNanF), 1.0f)) == kSNanF);  // NaN passes through untouched
  CHECK(num::pmin(1.0f, f32(kSNanF)) == 1.0f);
  CHECK(num::pmax(1.0, f64(kNanD)) == 1.0);
  CHECK(num::pmin(2.0, 1.0) == 1.0);
  CHECK(num::pmax(2.0, 1.0) == 2.0);
}

TEST_CASE("sqrt quiets NaNs and keeps -0", "[numerics]") {
  CHECK(num::sqrt(4.0f) == 2.0f);
  CHECK(bits(num::sqrt(-0.0f)) == 0x80000000u);
  CHECK(num::sqrt(kInfD) == kInfD);
  CHECK(num::is_nan(num::sqrt(-1.0)));
  CHECK(bits(num::sqrt(f32(kSNanF))) == 0x7FE00001u);
  CHECK(num::is_canonical_nan(num::sqrt(f64(kNanD))));
  CHECK(num::sqrt(f64(0x0000000000000004)) == f64(0x1E70000000000000));  // sqrt(2^-1072) = 2^-536
}

TEST_CASE("ceil / floor / trunc keep the sign of zero results", "[numerics]") {
  CHECK(bits(num::ceil(-0.5f)) == 0x80000000u);
  CHECK(bits(num::ceil(-0.0f)) == 0x80000000u);
  CHECK(num::ceil(0.5f) == 1.0f);
  CHECK(num::ceil(f32(1)) == 1.0f);  // smallest denormal
  CHECK(bits(num::ceil(f32(0x80000001))) == 0x80000000u);
  CHECK(num::floor(-0.5f) == -1.0f);
  CHECK(bits(num::floor(0.5f)) == 0u);
  CHECK(num::floor(f32(0x80000001)) == -1.0f);
  CHECK(bits(num::floor(-0.0)) == 0x8000000000000000u);
  CHECK(bits(num::trunc(-0.9)) == 0x8000000000000000u);
  CHECK(num::trunc(-1.9) == -1.0);
  CHECK(num::trunc(1e300) == 1e300);
  CHECK(num::ceil(4503599627370495.5) == 4503599627370496.0);
  CHECK(num::floor(-kInfD) == -kInfD);
  CHECK(bits(num::ceil(f32(kSNanF))) == 0x7FE00001u);
  CHECK(bits(num::floor(f64(kSNanD))) == 0x7FFC000000000001u);
  CHECK(num::is_canonical_nan(num::trunc(f32(kNegNanF))));
}

TEST_CASE("nearest rounds ties to even and keeps -0", "[numerics]") {
  CHECK(num::nearest(0.5f) == 0.0f);
  CHECK(bits(num::nearest(0.5f)) == 0u);
  CHECK(bits(num::nearest(-0.5f)) == 0x80000000u);
  CHECK(num::nearest(1.5f) == 2.0f);
  CHECK(num::nearest(2.5f) == 2.0f);
  CHECK(num::nearest(-2.5f) == -2.0f);
  CHECK(num::nearest(-3.5) == -4.0);
  CHECK(num::nearest(2.4999998f) == 2.0f);
  CHECK(num::nearest(0.49999997f) == 0.0f);  // the classic "add 0.5" trap
  CHECK(num::nearest(0.49999999999999994) == 0.0);
  CHECK(bits(num::nearest(-0.3)) == 0x8000000000000000u);
  CHECK(bits(num::nearest(f32(0x80000001))) == 0x80000000u);
  CHECK(num::nearest(4503599627370495.5) == 4503599627370496.0);  // 2^52 - 0.5 → even
  CHECK(num::nearest(4503599627370497.0) == 4503599627370497.0);
  CHECK(num::nearest(8388609.0f) == 8388609.0f);  // 2^23 + 1: already integral
  CHECK(num::nearest(8388607.5f) == 8388608.0f);
  CHECK(num::nearest(-8388606.5f) == -8388606.0f);
  CHECK(num::nearest(-kInf) == -kInf);
  CHECK(bits(num::nearest(f32(kSNanF))) == 0x7FE00001u);
  CHECK(num::is_canonical_nan(num::nearest(f64(kNanD))));
}

TEST_CASE("demote rounds to nearest and keeps NaN sign and top payload", "[numerics]") {
  CHECK(num::demote(1.0) == 1.0f);
  CHECK(bits(num::demote(-0.0)) == 0x80000000u);
  CHECK(num::demote(f64(0x3FF0000010000000)) == 1.0f);             // exactly halfway → even
  CHECK(num::demote(f64(0x3FF0000030000000)) == f32(0x3F800002));  // halfway → even (up)
  CHECK(num::demote(f64(0x3FF0000010000001)) == f32(0x3F800001));  // above halfway
  CHECK(num::demote(f64(0x47EFFFFFF0000000)) == kInf);             // rounds past FLT_MAX
  CHECK(num::demote(f64(0x47EFFFFFEFFFFFFF)) == f32(0x7F7FFFFF));
  CHECK(bits(num::demote(f64(0x36A0000000000000))) == 0x00000001u);  // 2^-149: min denormal
  CHECK(bits(num::demote(f64(0x3690000000000000))) == 0u);           // 2^-150: tie → 0
  CHECK(bits(num::demote(-1e-300)) == 0x80000000u);
  CHECK(num::is_canonical_nan(num::demote(f64(kNanD))));
  CHECK(bits(num::demote(f64(0xFFF8000000000000))) == 0xFFC00000u);
  CHECK(bits(num::demote(f64(0x7FF4000020000000))) == 0x7FE00001u);     // sNaN: quieted, top bits
  CHECK(num::is_arithmetic_nan(num::demote(f64(0x7FF0000000000001))));  // payload only low bits
}

TEST_CASE("promote is exact and keeps NaN sign and payload", "[numerics]") {
  CHECK(num::promote(1.5f) == 1.5);
  CHECK(bits(num::promote(-0.0f)) == 0x8000000000000000u);
  CHECK(num::promote(f32(1)) == f64(0x36A0000000000000));
  CHECK(num::promote(f32(0x7F7FFFFF)) == f64(0x47EFFFFFE0000000));
  CHECK(num::promote(-kInf) == -kInfD);
  CHECK(bits(num::promote(f32(kNanF))) == kNanD);
  CHECK(bits(num::promote(f32(kNegNanF))) == 0xFFF8000000000000u);
  CHECK(bits(num::promote(f32(kSNanF))) == 0x7FFC000020000000u);
}

TEST_CASE("reinterpret is a bit copy", "[numerics]") {
  CHECK(num::reinterpret<uint32_t>(-0.0f) == 0x80000000u);
  CHECK(bits(num::reinterpret<float>(kSNanF)) == kSNanF);
  CHECK(num::reinterpret<int64_t>(f64(kSNanD)) == int64_t(kSNanD));
  CHECK(bits(num::reinterpret<double>(uint64_t(0xFFF0000000000001))) == 0xFFF0000000000001u);
}
