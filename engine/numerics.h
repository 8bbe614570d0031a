// Scalar numeric operations of Wasm 2.0 (exec/numerics.rst) whose semantics are not a plain C++
// operator. Shared by the interpreter handlers, the SIMD lane operations and the JIT's out-of-line
// slow paths. Every function is total and free of undefined behaviour for every input.
//
// Guarantees by group:
//  - Integer bit ops (clz, ctz, popcnt, rotl, rotr, shl, shr_s, shr_u): work on the unsigned bit
//    pattern of any 32/64-bit integer type; shift and rotate counts are taken modulo the width.
//  - Division (div_s, div_u, rem_s, rem_u): `*_trap` returns the trap the spec requires (divide
//    by zero, or overflow for INT_MIN / -1) or nullopt; the value functions are defined for every
//    input the trap check accepts (rem_s(INT_MIN, -1) is 0).
//  - Float sign ops (abs, neg, copysign): pure bit operations; NaN payloads and signalling-ness
//    pass through untouched.
//  - Other float ops (min, max, nearest, ceil, floor, trunc, sqrt, demote, promote): a NaN result
//    is always quiet. A NaN input is returned quieted (payload kept), so a canonical NaN input
//    gives a canonical NaN and any other NaN an arithmetic NaN, as the spec allows. Signs of
//    zero follow the spec (min(-0,+0) = -0, max = +0, nearest(-0.4) = -0).
//  - Trapping float→int (trunc_trap + trunc_unchecked): exact range checks for every pair;
//    NaN → InvalidConversionToInteger, out of range → IntegerOverflow.
//  - Saturating float→int (trunc_sat): NaN → 0, out of range → the nearest bound.
//  - int→float (convert): correctly rounded (round to nearest, ties to even), incl. u64→f32.
//  - reinterpret: std::bit_cast.
#pragma once

#include <bit>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>

#include "tern/error.h"

namespace tern::num {

// ---- Integer bit operations ------------------------------------------------------------------

template <std::integral T>
using Bits = std::make_unsigned_t<T>;

template <std::integral T>
constexpr T clz(T x) {
  return T(std::countl_zero(Bits<T>(x)));
}
template <std::integral T>
constexpr T ctz(T x) {
  return T(std::countr_zero(Bits<T>(x)));
}
template <std::integral T>
constexpr T popcnt(T x) {
  return T(std::popcount(Bits<T>(x)));
}

template <std::integral T>
constexpr int shift_count(T k) {
  return int(Bits<T>(k) & (sizeof(T) * 8 - 1));
}

template <std::integral T>
constexpr T rotl(T x, T k) {
  return T(std::rotl(Bits<T>(x), shift_count(k)));
}
template <std::integral T>
constexpr T rotr(T x, T k) {
  return T(std::rotr(Bits<T>(x), shift_count(k)));
}
template <std::integral T>
constexpr T shl(T x, T k) {
  return T(Bits<T>(x) << shift_count(k));
}
template <std::integral T>
constexpr T shr_u(T x, T k) {
  return T(Bits<T>(x) >> shift_count(k));
}
// C++20 defines >> on negative signed values as an arithmetic shift.
template <std::integral T>
constexpr T shr_s(T x, T k) {
  return T(std::make_signed_t<T>(x) >> shift_count(k));
}

// Wrapping arithmetic without signed-overflow UB.
template <std::integral T>
constexpr T add(T a, T b) {
  return T(Bits<T>(a) + Bits<T>(b));
}
template <std::integral T>
constexpr T sub(T a, T b) {
  return T(Bits<T>(a) - Bits<T>(b));
}
template <std::integral T>
constexpr T mul(T a, T b) {
  // Promote to at least unsigned int so uint16_t * uint16_t cannot overflow a signed int.
  using U = std::common_type_t<Bits<T>, unsigned>;
  return T(Bits<T>(U(Bits<T>(a)) * U(Bits<T>(b))));
}

// Sign extension of the low N bits (i32.extend8_s, i64.extend32_s, ...).
template <class From, std::integral T>
constexpr T extend_s(T x) {
  static_assert(std::is_signed_v<From> && sizeof(From) < sizeof(T));
  return T(std::make_signed_t<T>(From(x)));
}

// ---- Integer division ------------------------------------------------------------------------

template <std::integral T>
constexpr std::optional<TrapCode> div_s_trap(T a, T b) {
  using S = std::make_signed_t<T>;
  if (b == 0) return TrapCode::IntegerDivideByZero;
  if (S(a) == std::numeric_limits<S>::min() && S(b) == -1) return TrapCode::IntegerOverflow;
  return std::nullopt;
}
template <std::integral T>
constexpr std::optional<TrapCode> div_u_trap(T, T b) {
  if (b == 0) return TrapCode::IntegerDivideByZero;
  return std::nullopt;
}
// rem_s never overflows: INT_MIN rem -1 is 0.
template <std::integral T>
constexpr std::optional<TrapCode> rem_trap(T, T b) {
  if (b == 0) return TrapCode::IntegerDivideByZero;
  return std::nullopt;
}

// Preconditions: the matching *_trap returned nullopt.
template <std::integral T>
constexpr T div_s(T a, T b) {
  using S = std::make_signed_t<T>;
  return T(S(a) / S(b));
}
template <std::integral T>
constexpr T div_u(T a, T b) {
  return T(Bits<T>(a) / Bits<T>(b));
}
template <std::integral T>
constexpr T rem_s(T a, T b) {
  using S = std::make_signed_t<T>;
  if (S(b) == -1) return 0;  // avoids the UB of INT_MIN % -1
  return T(S(a) % S(b));
}
template <std::integral T>
constexpr T rem_u(T a, T b) {
  return T(Bits<T>(a) % Bits<T>(b));
}

// ---- Float bit patterns ----------------------------------------------------------------------

template <class F>
concept Float = std::same_as<F, float> || std::same_as<F, double>;

template <Float F>
struct FloatBits;
template <>
struct FloatBits<float> {
  using U = uint32_t;
  static constexpr int kMantBits = 23;
};
template <>
struct FloatBits<double> {
  using U = uint64_t;
  static constexpr int kMantBits = 52;
};
template <Float F>
using FBits = typename FloatBits<F>::U;

template <Float F>
constexpr FBits<F> kSignMask = FBits<F>(1) << (sizeof(F) * 8 - 1);
template <Float F>
constexpr FBits<F> kQuietBit = FBits<F>(1) << (FloatBits<F>::kMantBits - 1);
template <Float F>
constexpr FBits<F> kExpMask = (~FBits<F>(0) >> 1) & ~((FBits<F>(1) << FloatBits<F>::kMantBits) - 1);
template <Float F>
constexpr FBits<F> kMantMask = (FBits<F>(1) << FloatBits<F>::kMantBits) - 1;

template <Float F>
constexpr FBits<F> bits_of(F x) {
  return std::bit_cast<FBits<F>>(x);
}
template <Float F>
constexpr F from_bits(FBits<F> b) {
  return std::bit_cast<F>(b);
}

// Bit tests (independent of the compiler's floating-point mode).
template <Float F>
constexpr bool is_nan(F x) {
  return (bits_of(x) & ~kSignMask<F>) > kExpMask<F>;
}
// Canonical NaN: quiet bit only in the payload, either sign.
template <Float F>
constexpr bool is_canonical_nan(F x) {
  return (bits_of(x) & ~kSignMask<F>) == (kExpMask<F> | kQuietBit<F>);
}
// Arithmetic NaN: any NaN with the quiet bit set.
template <Float F>
constexpr bool is_arithmetic_nan(F x) {
  return is_nan(x) && (bits_of(x) & kQuietBit<F>) != 0;
}

template <Float F>
constexpr F canonical_nan() {
  return from_bits<F>(kExpMask<F> | kQuietBit<F>);
}
// Precondition: is_nan(x). Sets the quiet bit, keeping sign and payload.
template <Float F>
constexpr F quiet(F x) {
  return from_bits<F>(bits_of(x) | kQuietBit<F>);
}

// Pure bit operations: never touch a NaN's payload.
template <Float F>
constexpr F abs(F x) {
  return from_bits<F>(bits_of(x) & ~kSignMask<F>);
}
template <Float F>
constexpr F neg(F x) {
  return from_bits<F>(bits_of(x) ^ kSignMask<F>);
}
template <Float F>
constexpr F copysign(F mag, F sign) {
  return from_bits<F>((bits_of(mag) & ~kSignMask<F>) | (bits_of(sign) & kSignMask<F>));
}

// ---- Float arithmetic ------------------------------------------------------------------------

// The NaN result of an operation with NaN operand(s): the first NaN operand, quieted.
template <Float F>
constexpr F nan_result(F a, F b) {
  return quiet(is_nan(a) ? a : b);
}

template <Float F>
constexpr F min(F a, F b) {
  if (is_nan(a) || is_nan(b)) return nan_result(a, b);
  if (a == b) return (bits_of(a) & kSignMask<F>) ? a : b;  // min(-0, +0) = -0
  return a < b ? a : b;
}
template <Float F>
constexpr F max(F a, F b) {
  if (is_nan(a) || is_nan(b)) return nan_result(a, b);
  if (a == b) return (bits_of(a) & kSignMask<F>) ? b : a;  // max(-0, +0) = +0
  return a > b ? a : b;
}
// SIMD pseudo-min/max: exactly `b < a ? b : a` and `a < b ? b : a` (NaNs pass through as is).
template <Float F>
constexpr F pmin(F a, F b) {
  return b < a ? b : a;
}
template <Float F>
constexpr F pmax(F a, F b) {
  return a < b ? b : a;
}

// 2^mantissa bits: every float at or above this magnitude is an integer.
template <Float F>
constexpr F kIntegralThreshold = F(FBits<F>(1) << FloatBits<F>::kMantBits);

template <Float F>
inline F sqrt(F x) {
  return is_nan(x) ? quiet(x) : std::sqrt(x);
}

// Rounding to integral keeps the sign of the input, so results between -1 and 0 are -0.
template <Float F>
inline F trunc(F x) {
  return is_nan(x) ? quiet(x) : copysign(std::trunc(x), x);
}
template <Float F>
inline F ceil(F x) {
  return is_nan(x) ? quiet(x) : copysign(std::ceil(x), x);
}
template <Float F>
inline F floor(F x) {
  return is_nan(x) ? quiet(x) : copysign(std::floor(x), x);
}
// Round to nearest, ties to even; computed exactly, independent of the FP rounding mode.
template <Float F>
inline F nearest(F x) {
  if (is_nan(x)) return quiet(x);
  F mag = abs(x);
  if (!(mag < kIntegralThreshold<F>)) return x;  // already integral (or infinite)
  F whole = std::trunc(mag);
  F frac = mag - whole;  // exact: both lie in the same binade or below
  if (frac > F(0.5) || (frac == F(0.5) && std::fmod(whole, F(2)) != 0)) whole += F(1);
  return copysign(whole, x);
}

// f64 → f32: rounds to nearest-even; a NaN keeps its sign and top payload bits, quieted.
inline float demote(double x) {
  if (is_nan(x)) {
    uint64_t b = bits_of(x);
    uint32_t sign = uint32_t(b >> 32) & kSignMask<float>;
    uint32_t payload = uint32_t((b & kMantMask<double>) >> (52 - 23));
    return from_bits<float>(sign | kExpMask<float> | kQuietBit<float> | payload);
  }
  return float(x);
}
// f32 → f64: exact; a NaN keeps its sign and payload (in the top bits), quieted.
inline double promote(float x) {
  if (is_nan(x)) {
    uint32_t b = bits_of(x);
    uint64_t sign = uint64_t(b & kSignMask<float>) << 32;
    uint64_t payload = uint64_t(b & kMantMask<float>) << (52 - 23);
    return from_bits<double>(sign | kExpMask<double> | kQuietBit<double> | payload);
  }
  return double(x);
}

// ---- Conversions -----------------------------------------------------------------------------

// The exclusive bounds of float values whose truncation fits in I, as doubles. Every f32 is
// exactly a double, so one check serves both float types. The bounds are exact in double:
// -2^31-1, 2^31, -1, 2^32, 2^64 are representable; for i64 the lower bound -2^63-1 is not, but
// no double lies strictly between -2^63-1 and -2^63, so "x >= -2^63" is the same test.
template <std::integral I>
constexpr bool trunc_in_range(double x) {
  constexpr double kHi = 2.0 * double(std::numeric_limits<I>::max() / 2 + 1);  // 2^31, 2^64, ...
  if constexpr (std::is_unsigned_v<I>) {
    return x > -1.0 && x < kHi;
  } else if constexpr (sizeof(I) < 8) {
    return x > double(std::numeric_limits<I>::min()) - 1.0 && x < kHi;
  } else {
    return x >= double(std::numeric_limits<I>::min()) && x < kHi;
  }
}

// i32.trunc_f32_s and friends: nullopt if trunc_unchecked<I>(x) is defined.
template <std::integral I, Float F>
constexpr std::optional<TrapCode> trunc_trap(F x) {
  if (is_nan(x)) return TrapCode::InvalidConversionToInteger;
  if (!trunc_in_range<I>(double(x))) return TrapCode::IntegerOverflow;
  return std::nullopt;
}
// Precondition: trunc_trap<I>(x) returned nullopt.
template <std::integral I, Float F>
constexpr I trunc_unchecked(F x) {
  return I(x);
}

// i32.trunc_sat_f32_s and friends.
template <std::integral I, Float F>
constexpr I trunc_sat(F x) {
  if (is_nan(x)) return 0;
  if (trunc_in_range<I>(double(x))) return I(x);
  return x < 0 ? std::numeric_limits<I>::min() : std::numeric_limits<I>::max();
}

// f32.convert_i64_u and friends. The hardware conversion (and GCC's lowering of u64→float) rounds
// once, to nearest-even; no intermediate double is involved.
template <Float F, std::integral I>
constexpr F convert(I x) {
  return F(x);
}

// Reinterpretations between same-width integers and floats.
template <class To, class From>
constexpr To reinterpret(From x) {
  return std::bit_cast<To>(x);
}

}  // namespace tern::num
