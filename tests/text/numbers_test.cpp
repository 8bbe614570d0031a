#include "engine/text/numbers.h"

#include <catch2/catch.hpp>

using namespace tern::text;

TEST_CASE("integer literals: forms / separators and ranges", "[text][numbers]") {
  CHECK(parse_int("0", 32) == 0u);
  CHECK(parse_int("1_000_000", 32) == 1000000u);
  CHECK(parse_int("0xFFFF_ffff", 32) == 0xFFFFFFFFu);
  CHECK(parse_int("-1", 32) == 0xFFFFFFFFu);
  CHECK(parse_int("-0x80000000", 32) == 0x80000000u);
  CHECK(parse_int("+0x7fffffff", 32) == 0x7FFFFFFFu);
  CHECK(parse_int("-0", 32) == 0u);
  CHECK(parse_int("18446744073709551615", 64) == UINT64_MAX);
  CHECK(parse_int("-9223372036854775808", 64) == 0x8000000000000000u);
  // Out of range.
  CHECK_FALSE(parse_int("0x100000000", 32));
  CHECK_FALSE(parse_int("4294967296", 32));
  CHECK_FALSE(parse_int("+0x80000000", 32));
  CHECK_FALSE(parse_int("-0x80000001", 32));
  CHECK_FALSE(parse_int("18446744073709551616", 64));
  CHECK_FALSE(parse_int("-9223372036854775809", 64));
  // Malformed separators and digits.
  CHECK_FALSE(parse_int("_1", 32));
  CHECK_FALSE(parse_int("1_", 32));
  CHECK_FALSE(parse_int("1__0", 32));
  CHECK_FALSE(parse_int("0x", 32));
  CHECK_FALSE(parse_int("0x_1", 32));
  CHECK_FALSE(parse_int("12a", 32));
  CHECK_FALSE(parse_int("--1", 32));
  // Unsigned-only positions (indices) reject signs.
  CHECK(parse_unsigned("255", 8) == 255u);
  CHECK_FALSE(parse_unsigned("256", 8));
  CHECK_FALSE(parse_unsigned("+1", 32));
}

TEST_CASE("f32 literals round to nearest even", "[text][numbers]") {
  CHECK(parse_f32("0") == 0u);
  CHECK(parse_f32("-0") == 0x80000000u);
  CHECK(parse_f32("1") == 0x3F800000u);
  CHECK(parse_f32("0x1.8p3") == 0x41400000u);     // 12
  CHECK(parse_f32("0x1p-149") == 0x00000001u);    // smallest denormal
  CHECK(parse_f32("0x1p-150") == 0x00000000u);    // a tie with 0 rounds to even
  CHECK(parse_f32("0x1.8p-149") == 0x00000002u);  // a tie with 1 rounds to even 2
  CHECK(parse_f32("0x1p-126") == 0x00800000u);    // smallest normal
  CHECK(parse_f32("0x1.fffffep127") == 0x7F7FFFFFu);
  CHECK(parse_f32("0x1.fffffefffffffffp127") == 0x7F7FFFFFu);  // below the tie
  CHECK_FALSE(parse_f32("0x1.ffffffp127"));                    // the tie rounds to infinity
  CHECK_FALSE(parse_f32("1e39"));
  CHECK(parse_f32("0x1.000001p0") == 0x3F800000u);            // tie to even (down)
  CHECK(parse_f32("0x1.000003p0") == 0x3F800002u);            // tie to even (up)
  CHECK(parse_f32("0x1.0000010000000001p0") == 0x3F800001u);  // sticky bit beyond the tie
  CHECK(parse_f32("1.5e-45") == 0x00000001u);
  CHECK(parse_f32("1e-50") == 0x00000000u);
  CHECK(parse_f32("-1e-50") == 0x80000000u);
  CHECK(parse_f32("3.4028235e38") == 0x7F7FFFFFu);
  CHECK(parse_f32("1_000.000_1") == parse_f32("1000.0001"));
  CHECK(parse_f32("1.e1") == 0x41200000u);
  CHECK(parse_f32("inf") == 0x7F800000u);
  CHECK(parse_f32("-inf") == 0xFF800000u);
  CHECK(parse_f32("nan") == 0x7FC00000u);
  CHECK(parse_f32("-nan") == 0xFFC00000u);
  CHECK(parse_f32("nan:0x7fffff") == 0x7FFFFFFFu);
  CHECK(parse_f32("nan:0x1") == 0x7F800001u);
  CHECK_FALSE(parse_f32("nan:0x0"));
  CHECK_FALSE(parse_f32("nan:0x800000"));
  CHECK_FALSE(parse_f32(".5"));
  CHECK_FALSE(parse_f32("1.5e"));
  CHECK_FALSE(parse_f32("0x1.p"));
  CHECK_FALSE(parse_f32("infinity"));
}

TEST_CASE("f64 literals", "[text][numbers]") {
  CHECK(parse_f64("0x1p-1074") == 1u);
  CHECK(parse_f64("0x1.fffffffffffffp1023") == 0x7FEFFFFFFFFFFFFFu);
  CHECK_FALSE(parse_f64("0x1.fffffffffffff8p1023"));
  CHECK(parse_f64("0.1") == 0x3FB999999999999Au);
  CHECK(parse_f64("-0x0.0p0") == 0x8000000000000000u);
  CHECK(parse_f64("nan:0xfffffffffffff") == 0x7FFFFFFFFFFFFFFFu);
  CHECK(parse_f64("2.2250738585072012e-308") == 0x0010000000000000u);
  CHECK_FALSE(parse_f64("1e309"));
  CHECK(parse_f64("1e-400") == 0u);
}
