// Integer operations of engine/numerics.h: bit counts, rotates, masked shifts, division
// traps and wrapping arithmetic, at the boundaries the spec calls out.
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>

#include "engine/numerics.h"

namespace num = tern::num;
using tern::TrapCode;

namespace {
constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
}  // namespace

TEST_CASE("clz / ctz and popcnt count bits of the unsigned pattern", "[numerics]") {
  CHECK(num::clz(uint32_t(0)) == 32);
  CHECK(num::clz(uint64_t(0)) == 64);
  CHECK(num::clz(int32_t(-1)) == 0);
  CHECK(num::clz(uint32_t(0x00008000)) == 16);
  CHECK(num::clz(uint64_t(1)) == 63);
  CHECK(num::ctz(uint32_t(0)) == 32);
  CHECK(num::ctz(uint64_t(0)) == 64);
  CHECK(num::ctz(int32_t(kMin32)) == 31);
  CHECK(num::ctz(uint64_t(0x8000000000000000ull)) == 63);
  CHECK(num::ctz(uint32_t(0x00010000)) == 16);
  CHECK(num::popcnt(uint32_t(0)) == 0);
  CHECK(num::popcnt(int32_t(-1)) == 32);
  CHECK(num::popcnt(int64_t(-1)) == 64);
  CHECK(num::popcnt(uint32_t(0x55555555)) == 16);
  CHECK(num::popcnt(uint64_t(0xDEADBEEFDEADBEEFull)) == 48);
}

TEST_CASE("rotates take the count modulo the width", "[numerics]") {
  CHECK(num::rotl(uint32_t(0xFE00DC00), uint32_t(4)) == 0xE00DC00Fu);
  CHECK(num::rotl(uint32_t(0xABCD9876), uint32_t(1)) == 0x579B30EDu);
  CHECK(num::rotl(uint32_t(0xABCD9876), uint32_t(33)) == 0x579B30EDu);
  CHECK(num::rotl(uint32_t(1), uint32_t(32)) == 1u);
  CHECK(num::rotr(uint32_t(0xB0C1D2E3), uint32_t(0x0005)) == 0x1D860E97u);
  CHECK(num::rotr(uint32_t(1), uint32_t(0xFFFFFFFF)) == 2u);  // -1 mod 32 = 31
  CHECK(num::rotl(uint64_t(0xABD1234EF567809Cull), uint64_t(63)) == 0x55E891A77AB3C04Eull);
  CHECK(num::rotr(uint64_t(1), uint64_t(64)) == 1u);
  CHECK(num::rotr(uint64_t(1), uint64_t(65)) == 0x8000000000000000ull);
  CHECK(num::rotl(int32_t(-2), int32_t(-1)) == int32_t(0x7FFFFFFF));
}

TEST_CASE("shifts mask the count and shr_s is arithmetic", "[numerics]") {
  CHECK(num::shl(uint32_t(1), uint32_t(31)) == 0x80000000u);
  CHECK(num::shl(uint32_t(1), uint32_t(32)) == 1u);
  CHECK(num::shl(int32_t(1), int32_t(-1)) == kMin32);
  CHECK(num::shl(int32_t(0x40000000), int32_t(1)) == kMin32);  // no signed-overflow UB
  CHECK(num::shr_u(uint32_t(0x80000000), uint32_t(31)) == 1u);
  CHECK(num::shr_u(int32_t(-1), int32_t(33)) == 0x7FFFFFFF);
  CHECK(num::shr_s(int32_t(-1), int32_t(31)) == -1);
  CHECK(num::shr_s(uint32_t(0x80000000), uint32_t(31)) == 0xFFFFFFFFu);
  CHECK(num::shr_s(int32_t(kMin32), int32_t(32)) == kMin32);
  CHECK(num::shr_s(int32_t(-8), int32_t(33)) == -4);
  CHECK(num::shl(uint64_t(1), uint64_t(63)) == 0x8000000000000000ull);
  CHECK(num::shl(uint64_t(1), uint64_t(64)) == 1u);
  CHECK(num::shr_s(int64_t(kMin64), int64_t(63)) == -1);
  CHECK(num::shr_s(int64_t(kMin64), int64_t(127)) == -1);
  CHECK(num::shr_u(int64_t(kMin64), int64_t(63)) == 1);
  // Narrow lane types (SIMD) mask by their own width.
  CHECK(num::shl(uint8_t(1), uint8_t(9)) == 2);
  CHECK(num::shr_s(uint8_t(0x80), uint8_t(7)) == 0xFF);
  CHECK(num::shr_s(uint16_t(0x8000), uint16_t(17)) == 0xC000);
}

TEST_CASE("wrapping arithmetic on signed types", "[numerics]") {
  CHECK(num::add(int32_t(0x7FFFFFFF), int32_t(1)) == kMin32);
  CHECK(num::sub(int32_t(kMin32), int32_t(1)) == 0x7FFFFFFF);
  CHECK(num::mul(int32_t(0x10000), int32_t(0x10000)) == 0);
  CHECK(num::mul(int64_t(0x0123456789ABCDEF), int64_t(0xFEDCBA9876543210)) ==
        int64_t(0x2236D88FE5618CF0));
  CHECK(num::mul(uint16_t(0xFFFF), uint16_t(0xFFFF)) == 1);  // no int-promotion overflow
  CHECK(num::mul(int64_t(kMin64), int64_t(-1)) == kMin64);
}

TEST_CASE("sign extension of narrow values", "[numerics]") {
  CHECK(num::extend_s<int8_t>(uint32_t(0x7F)) == 0x7Fu);
  CHECK(num::extend_s<int8_t>(uint32_t(0x80)) == 0xFFFFFF80u);
  CHECK(num::extend_s<int8_t>(uint32_t(0x12345680)) == 0xFFFFFF80u);
  CHECK(num::extend_s<int16_t>(uint32_t(0x8000)) == 0xFFFF8000u);
  CHECK(num::extend_s<int16_t>(uint64_t(0x7FFF)) == 0x7FFFu);
  CHECK(num::extend_s<int32_t>(uint64_t(0x80000000)) == 0xFFFFFFFF80000000ull);
  CHECK(num::extend_s<int32_t>(uint64_t(0xFFFFFFFF7FFFFFFFull)) == 0x7FFFFFFFull);
}

TEST_CASE("division reports the spec's traps", "[numerics]") {
  CHECK(num::div_s_trap(int32_t(1), int32_t(0)) == TrapCode::IntegerDivideByZero);
  CHECK(num::div_s_trap(int32_t(0), int32_t(0)) == TrapCode::IntegerDivideByZero);
  CHECK(num::div_s_trap(kMin32, int32_t(-1)) == TrapCode::IntegerOverflow);
  CHECK(num::div_s_trap(uint32_t(0x80000000), uint32_t(0xFFFFFFFF)) == TrapCode::IntegerOverflow);
  CHECK(num::div_s_trap(kMin64, int64_t(-1)) == TrapCode::IntegerOverflow);
  CHECK_FALSE(num::div_s_trap(kMin32, int32_t(1)));
  CHECK_FALSE(num::div_s_trap(int32_t(kMin32 + 1), int32_t(-1)));
  CHECK(num::div_u_trap(uint32_t(1), uint32_t(0)) == TrapCode::IntegerDivideByZero);
  CHECK_FALSE(num::div_u_trap(uint32_t(0x80000000), uint32_t(0xFFFFFFFF)));
  CHECK(num::rem_trap(int64_t(5), int64_t(0)) == TrapCode::IntegerDivideByZero);
  CHECK_FALSE(num::rem_trap(kMin32, int32_t(-1)));
  CHECK_FALSE(num::rem_trap(kMin64, int64_t(-1)));
}

TEST_CASE("division values truncate toward zero", "[numerics]") {
  CHECK(num::div_s(int32_t(-7), int32_t(2)) == -3);
  CHECK(num::div_s(int32_t(7), int32_t(-2)) == -3);
  CHECK(num::div_s(kMin32, int32_t(2)) == -0x40000000);
  CHECK(num::div_s(uint32_t(0xFFFFFFF9), uint32_t(2)) == 0xFFFFFFFDu);  // signed view of bits
  CHECK(num::div_u(uint32_t(0xFFFFFFF9), uint32_t(2)) == 0x7FFFFFFCu);
  CHECK(num::div_u(int32_t(-1), int32_t(-1)) == 1);
  CHECK(num::rem_s(int32_t(-7), int32_t(2)) == -1);
  CHECK(num::rem_s(int32_t(7), int32_t(-2)) == 1);
  CHECK(num::rem_s(kMin32, int32_t(-1)) == 0);
  CHECK(num::rem_s(kMin64, int64_t(-1)) == 0);
  CHECK(num::rem_s(kMin32, int32_t(2)) == 0);
  CHECK(num::rem_s(int32_t(-5), int32_t(kMin32)) == -5);
  CHECK(num::rem_u(uint32_t(0x80000000), uint32_t(0xFFFFFFFF)) == 0x80000000u);
  CHECK(num::rem_u(int64_t(-1), int64_t(10)) == int64_t(5));  // 2^64-1 mod 10
}
