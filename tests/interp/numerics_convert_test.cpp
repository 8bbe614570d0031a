// Conversions of engine/numerics.h: trapping and saturating float→int at the exact
// range boundaries of every pair, and correctly rounded int→float (incl. u64→f32, where
// rounding through double would round twice).
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <vector>

#include "engine/numerics.h"

namespace num = tern::num;
using tern::TrapCode;

namespace {

constexpr TrapCode kOverflow = TrapCode::IntegerOverflow;
constexpr TrapCode kInvalid = TrapCode::InvalidConversionToInteger;
const float kNanF = std::bit_cast<float>(uint32_t(0x7FC00000));
const double kNanD = std::bit_cast<double>(uint64_t(0xFFF4000000000001));  // negative sNaN
constexpr float kInf = std::numeric_limits<float>::infinity();

// The value if in range, else the trap: what a trapping conversion must produce.
template <class I, class F>
std::optional<TrapCode> check_trunc(F x, I expected) {
  auto trap = num::trunc_trap<I>(x);
  if (!trap) CHECK(num::trunc_unchecked<I>(x) == expected);
  return trap;
}

// Reference truncation in x87 long double (64-bit mantissa: every i64/u64 is exact).
template <class I, class F>
std::optional<TrapCode> reference_trunc_trap(F x) {
  if (std::isnan(x)) return kInvalid;
  long double t = std::trunc((long double)x);
  if (t < (long double)std::numeric_limits<I>::min() ||
      t > (long double)std::numeric_limits<I>::max()) {
    return kOverflow;
  }
  return std::nullopt;
}

template <class I, class F>
void compare_with_reference(F x) {
  using Bits = std::conditional_t<sizeof(F) == 4, uint32_t, uint64_t>;
  INFO("input bits " << std::bit_cast<Bits>(x));
  auto trap = num::trunc_trap<I>(x);
  REQUIRE(trap == reference_trunc_trap<I>(x));
  I sat = num::trunc_sat<I>(x);
  if (!trap) {
    CHECK(num::trunc_unchecked<I>(x) == I(std::trunc((long double)x)));
    CHECK(sat == num::trunc_unchecked<I>(x));
  } else if (*trap == kInvalid) {
    CHECK(sat == 0);
  } else {
    CHECK(sat == (x < 0 ? std::numeric_limits<I>::min() : std::numeric_limits<I>::max()));
  }
}

// Floats near every interesting boundary (±2^31, ±2^32, ±2^63, ±2^64, ±1, 0) and random bits.
template <class F, class Bits>
std::vector<F> conversion_inputs() {
  std::vector<F> xs;
  for (F centre : {F(0), F(1), F(-1), F(0x1p31), F(-0x1p31), F(0x1p32), F(-0x1p32), F(0x1p63),
                   F(-0x1p63), F(0x1p64), F(-0x1p64)}) {
    Bits b = std::bit_cast<Bits>(centre);
    for (int d = -3; d <= 3; ++d) xs.push_back(std::bit_cast<F>(Bits(b + Bits(d))));
    xs.push_back(std::nextafter(centre, F(0)));
    xs.push_back(std::nextafter(centre, kInf));
    xs.push_back(std::nextafter(centre, -kInf));
  }
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) xs.push_back(std::bit_cast<F>(Bits(rng())));
  return xs;
}

}  // namespace

TEST_CASE("i32.trunc_f32_s/u boundaries", "[numerics]") {
  CHECK_FALSE(check_trunc<int32_t>(-2147483648.0f, std::numeric_limits<int32_t>::min()));
  CHECK_FALSE(check_trunc<int32_t>(0x1.fffffep+30f, 2147483520));
  CHECK(check_trunc<int32_t>(2147483648.0f, 0) == kOverflow);
  CHECK(check_trunc<int32_t>(-2147483904.0f, 0) == kOverflow);
  CHECK_FALSE(check_trunc<int32_t>(-0.99999994f, 0));
  CHECK_FALSE(check_trunc<int32_t>(-1.5f, -1));
  CHECK(check_trunc<int32_t>(kInf, 0) == kOverflow);
  CHECK(check_trunc<int32_t>(-kInf, 0) == kOverflow);
  CHECK(check_trunc<int32_t>(kNanF, 0) == kInvalid);
  CHECK(check_trunc<int32_t>(-kNanF, 0) == kInvalid);

  CHECK_FALSE(check_trunc<uint32_t>(0x1.fffffep+31f, 4294967040u));
  CHECK_FALSE(check_trunc<uint32_t>(-0.99999994f, 0u));
  CHECK_FALSE(check_trunc<uint32_t>(-0.0f, 0u));
  CHECK_FALSE(check_trunc<uint32_t>(2147483648.0f, 0x80000000u));
  CHECK(check_trunc<uint32_t>(4294967296.0f, 0u) == kOverflow);
  CHECK(check_trunc<uint32_t>(-1.0f, 0u) == kOverflow);
  CHECK(check_trunc<uint32_t>(kNanF, 0u) == kInvalid);
}

TEST_CASE("i32.trunc_f64_s/u boundaries", "[numerics]") {
  CHECK_FALSE(check_trunc<int32_t>(2147483647.0, 2147483647));
  CHECK_FALSE(check_trunc<int32_t>(2147483647.9999998, 2147483647));
  CHECK_FALSE(check_trunc<int32_t>(-2147483648.9999995, std::numeric_limits<int32_t>::min()));
  CHECK(check_trunc<int32_t>(2147483648.0, 0) == kOverflow);
  CHECK(check_trunc<int32_t>(-2147483649.0, 0) == kOverflow);
  CHECK(check_trunc<int32_t>(kNanD, 0) == kInvalid);

  CHECK_FALSE(check_trunc<uint32_t>(4294967295.0, 4294967295u));
  CHECK_FALSE(check_trunc<uint32_t>(4294967295.9999995, 4294967295u));
  CHECK_FALSE(check_trunc<uint32_t>(-0.9999999999999999, 0u));
  CHECK(check_trunc<uint32_t>(4294967296.0, 0u) == kOverflow);
  CHECK(check_trunc<uint32_t>(-1.0, 0u) == kOverflow);
  CHECK(check_trunc<uint32_t>(1e16, 0u) == kOverflow);
  CHECK(check_trunc<uint32_t>(kNanD, 0u) == kInvalid);
}

TEST_CASE("i64.trunc_f32/f64_s/u boundaries", "[numerics]") {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  CHECK_FALSE(check_trunc<int64_t>(-0x1p63f, kMin));
  CHECK_FALSE(check_trunc<int64_t>(0x1.fffffep+62f, 9223371487098961920));
  CHECK(check_trunc<int64_t>(0x1p63f, 0) == kOverflow);
  CHECK(check_trunc<int64_t>(-0x1.000002p+63f, 0) == kOverflow);
  CHECK_FALSE(check_trunc<int64_t>(-0x1p63, kMin));
  CHECK_FALSE(check_trunc<int64_t>(0x1.fffffffffffffp+62, 9223372036854774784));
  CHECK(check_trunc<int64_t>(0x1p63, 0) == kOverflow);
  CHECK(check_trunc<int64_t>(-0x1.0000000000001p+63, 0) == kOverflow);
  CHECK(check_trunc<int64_t>(kNanF, 0) == kInvalid);

  CHECK_FALSE(check_trunc<uint64_t>(0x1.fffffep+63f, 18446742974197923840u));
  CHECK(check_trunc<uint64_t>(0x1p64f, 0u) == kOverflow);
  CHECK(check_trunc<uint64_t>(-1.0f, 0u) == kOverflow);
  CHECK_FALSE(check_trunc<uint64_t>(-0.99999994f, 0u));
  CHECK_FALSE(check_trunc<uint64_t>(0x1.fffffffffffffp+63, 18446744073709549568u));
  CHECK_FALSE(check_trunc<uint64_t>(-0.9999999999999999, 0u));
  CHECK(check_trunc<uint64_t>(0x1p64, 0u) == kOverflow);
  CHECK(check_trunc<uint64_t>(-1.0, 0u) == kOverflow);
  CHECK(check_trunc<uint64_t>(kNanD, 0u) == kInvalid);
}

TEST_CASE("saturating truncation clamps and maps NaN to 0", "[numerics]") {
  CHECK(num::trunc_sat<int32_t>(2147483648.0f) == std::numeric_limits<int32_t>::max());
  CHECK(num::trunc_sat<int32_t>(-2147483904.0f) == std::numeric_limits<int32_t>::min());
  CHECK(num::trunc_sat<int32_t>(-kInf) == std::numeric_limits<int32_t>::min());
  CHECK(num::trunc_sat<int32_t>(kNanF) == 0);
  CHECK(num::trunc_sat<int32_t>(-kNanF) == 0);
  CHECK(num::trunc_sat<uint32_t>(-1.0f) == 0u);
  CHECK(num::trunc_sat<uint32_t>(-kInf) == 0u);
  CHECK(num::trunc_sat<uint32_t>(4294967296.0) == 0xFFFFFFFFu);
  CHECK(num::trunc_sat<uint32_t>(4294967295.5) == 0xFFFFFFFFu);
  CHECK(num::trunc_sat<int64_t>(0x1p63) == std::numeric_limits<int64_t>::max());
  CHECK(num::trunc_sat<int64_t>(-0x1p63) == std::numeric_limits<int64_t>::min());
  CHECK(num::trunc_sat<int64_t>(kNanD) == 0);
  CHECK(num::trunc_sat<uint64_t>(kInf) == std::numeric_limits<uint64_t>::max());
  CHECK(num::trunc_sat<uint64_t>(-0x1p64) == 0u);
  CHECK(num::trunc_sat<uint64_t>(1.9) == 1u);
}

TEST_CASE("float→int agrees with an exact long double reference", "[numerics]") {
  for (float x : conversion_inputs<float, uint32_t>()) {
    compare_with_reference<int32_t>(x);
    compare_with_reference<uint32_t>(x);
    compare_with_reference<int64_t>(x);
    compare_with_reference<uint64_t>(x);
  }
  for (double x : conversion_inputs<double, uint64_t>()) {
    compare_with_reference<int32_t>(x);
    compare_with_reference<uint32_t>(x);
    compare_with_reference<int64_t>(x);
    compare_with_reference<uint64_t>(x);
  }
}

TEST_CASE("int→float rounds once / to nearest even", "[numerics]") {
  CHECK(num::convert<float>(int32_t(16777217)) == 16777216.0f);
  CHECK(num::convert<float>(int32_t(-16777219)) == -16777220.0f);
  CHECK(num::convert<float>(uint32_t(0x80000080)) == 0x1p31f);
  CHECK(num::convert<float>(uint32_t(0x80000081)) == 0x1.000002p+31f);
  CHECK(num::convert<float>(uint32_t(0xFFFFFE80)) == 0x1.fffffcp+31f);
  CHECK(num::convert<float>(uint32_t(0xFFFFFFFF)) == 0x1p32f);
  CHECK(num::convert<float>(int64_t(0x7FFFFF4000000001)) == 0x1.fffffep+62f);
  CHECK(num::convert<float>(int64_t(0x8000004000000001)) == -0x1.fffffep+62f);
  CHECK(num::convert<float>(int64_t(0xFFDFFFFFDFFFFFFF)) == -0x1.000002p+53f);
  CHECK(num::convert<float>(uint64_t(0x0020000020000001)) == 0x1.000002p+53f);
  CHECK(num::convert<float>(uint64_t(0x7FFFFFBFFFFFFFFF)) == 0x1.fffffep+62f);
  CHECK(num::convert<float>(uint64_t(0x8000008000000001)) == 0x1.000002p+63f);  // not via double
  CHECK(num::convert<float>(uint64_t(0xFFFFFE8000000001)) == 0x1.fffffep+63f);
  CHECK(num::convert<float>(uint64_t(0xFFFFFFFFFFFFFFFF)) == 0x1p64f);
  CHECK(num::convert<double>(int64_t(9007199254740993)) == 9007199254740992.0);
  CHECK(num::convert<double>(int64_t(-9007199254740995)) == -9007199254740996.0);
  CHECK(num::convert<double>(uint64_t(0x8000000000000400)) == 0x1p63);
  CHECK(num::convert<double>(uint64_t(0x8000000000000401)) == 0x1.0000000000001p+63);
  CHECK(num::convert<double>(uint64_t(0xFFFFFFFFFFFFFFFF)) == 0x1p64);
  CHECK(num::convert<double>(uint32_t(0xFFFFFFFF)) == 4294967295.0);
  CHECK(std::bit_cast<uint32_t>(num::convert<float>(int32_t(0))) == 0u);  // +0, never -0
}

TEST_CASE("u64→f32 and i64→f32 match an integer rounding reference", "[numerics]") {
  // Reference: keep the top 24 significant bits, round the rest half-to-even by hand.
  auto reference = [](uint64_t x) -> float {
    if (x == 0) return 0.0f;
    int width = 64 - std::countl_zero(x);
    if (width <= 24) return std::ldexp(float(uint32_t(x)), 0);
    int drop = width - 24;
    uint64_t kept = x >> drop;
    uint64_t rest = x & ((uint64_t(1) << drop) - 1);
    uint64_t half = uint64_t(1) << (drop - 1);
    if (rest > half || (rest == half && (kept & 1))) ++kept;  // may carry to 2^24: still exact
    return std::ldexp(float(uint32_t(kept)), drop);
  };
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100000; ++i) {
    uint64_t x = rng() >> (rng() % 64);
    // Bias towards ties and near-ties: clear or set the bits below the rounding point.
    if (i % 3 == 1) x = (x & ~uint64_t(0xFFFFFFFFFF)) | (uint64_t(1) << 39);
    if (i % 3 == 2) x |= 1;
    INFO("x = " << x);
    REQUIRE(num::convert<float>(x) == reference(x));
    int64_t s = int64_t(x);
    float expected_signed = s < 0 ? -reference(uint64_t(0) - x) : reference(x);
    REQUIRE(num::convert<float>(s) == expected_signed);
  }
}
