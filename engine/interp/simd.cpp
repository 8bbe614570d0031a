// SIMD lane operations: a few lane-generic templates (map, compare, convert, narrow, ...)
// instantiated per opcode in the shape tables at the bottom. Lane types carry the signedness of
// the operation: int8_t lanes for *_s, uint8_t lanes for *_u and for sign-agnostic ones.
#include "engine/interp/simd.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <type_traits>

#include "engine/numerics.h"

namespace tern::interp::simd {
namespace {

static_assert(std::endian::native == std::endian::little,
              "V128 lanes are read with memcpy, which assumes a little-endian host");

template <class T>
constexpr int kLanes = int(16 / sizeof(T));

// The unsigned integer with T's width: the type of a comparison's all-ones / all-zeros lane.
template <class T>
using LaneBits =
    std::conditional_t<sizeof(T) == 1, uint8_t,
                       std::conditional_t<sizeof(T) == 2, uint16_t,
                                          std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>>;

template <class T>
T get(const V128& v, int i) {
  T x;
  std::memcpy(&x, v.bytes + i * sizeof(T), sizeof(T));
  return x;
}
template <class T>
void put(V128& v, int i, T x) {
  std::memcpy(v.bytes + i * sizeof(T), &x, sizeof(T));
}

// Clamps a wide integer into T (the spec's sat_s / sat_u).
template <class T>
T saturate(int64_t x) {
  return T(std::clamp<int64_t>(x, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
}

// ---- Lane-generic shapes ---------------------------------------------------------------------

// Result lane i = To(f(a[i + Offset])) for the first min(lanes(From), lanes(To)) lanes; the rest
// zero. Covers plain lane maps, extends, conversions and the *_zero / *_low forms.
template <class From, class To, int Offset, auto F>
V128 convert_lanes(const V128& a) {
  V128 r{};
  for (int i = 0; i < std::min(kLanes<From>, kLanes<To>); ++i) {
    put<To>(r, i, To(F(get<From>(a, i + Offset))));
  }
  return r;
}
template <class T, auto F>
V128 map(const V128& a) {
  return convert_lanes<T, T, 0, F>(a);
}

template <class T, auto F>
V128 map2(const V128& a, const V128& b) {
  V128 r{};
  for (int i = 0; i < kLanes<T>; ++i) put<T>(r, i, T(F(get<T>(a, i), get<T>(b, i))));
  return r;
}

template <class T, auto Pred>
V128 compare(const V128& a, const V128& b) {
  V128 r{};
  for (int i = 0; i < kLanes<T>; ++i) {
    put<LaneBits<T>>(r, i, Pred(get<T>(a, i), get<T>(b, i)) ? LaneBits<T>(~LaneBits<T>(0)) : 0);
  }
  return r;
}

// The count is taken modulo the lane width by the num:: shift itself.
template <class T, auto F>
V128 shift_lanes(const V128& a, uint32_t count) {
  V128 r{};
  for (int i = 0; i < kLanes<T>; ++i) put<T>(r, i, F(get<T>(a, i), T(count)));
  return r;
}

// Lanes of a then lanes of b, each saturated into the narrower type.
template <class From, class To>
V128 narrow(const V128& a, const V128& b) {
  V128 r{};
  for (int i = 0; i < kLanes<From>; ++i) {
    put<To>(r, i, saturate<To>(get<From>(a, i)));
    put<To>(r, i + kLanes<From>, saturate<To>(get<From>(b, i)));
  }
  return r;
}

template <class From, class To, int Offset>
V128 extmul(const V128& a, const V128& b) {
  V128 r{};
  for (int i = 0; i < kLanes<To>; ++i) {
    put<To>(r, i, num::mul(To(get<From>(a, i + Offset)), To(get<From>(b, i + Offset))));
  }
  return r;
}

template <class From, class To>
V128 extadd_pairwise(const V128& a) {
  V128 r{};
  for (int i = 0; i < kLanes<To>; ++i) {
    put<To>(r, i, num::add(To(get<From>(a, 2 * i)), To(get<From>(a, 2 * i + 1))));
  }
  return r;
}

V128 dot_i16x8_s(const V128& a, const V128& b) {
  V128 r{};
  for (int i = 0; i < 4; ++i) {
    int64_t sum = int64_t(get<int16_t>(a, 2 * i)) * get<int16_t>(b, 2 * i) +
                  int64_t(get<int16_t>(a, 2 * i + 1)) * get<int16_t>(b, 2 * i + 1);
    put<uint32_t>(r, i, uint32_t(sum));  // only (-2^15)^2 * 2 exceeds i32: it wraps
  }
  return r;
}

// ---- Relaxed SIMD: the shapes that no 2.0 instruction already has -----------------------------
// Each relaxed instruction computes the spec's deterministic-profile result (docs/conformance.md
// says why); the others map to their 2.0 counterparts in the tables below.

template <class T, auto F>
V128 map3(const V128& a, const V128& b, const V128& c) {
  V128 r{};
  for (int i = 0; i < kLanes<T>; ++i) put<T>(r, i, F(get<T>(a, i), get<T>(b, i), get<T>(c, i)));
  return r;
}

// a * b + c rounded twice (not fused). The product goes through a volatile so that a compiler
// contracting floating point (GCC does by default where the target has FMA, as AArch64 has)
// cannot turn it into one fused multiply-add.
constexpr auto kMulThenAdd = [](auto a, auto b, auto c) {
  volatile decltype(a) product = a * b;
  return product + c;
};
constexpr auto kNegMulThenAdd = [](auto a, auto b, auto c) {
  return kMulThenAdd(num::neg(a), b, c);
};

// i16x8.relaxed_dot_i8x16_i7x16_s with both operands signed: lane i is the saturated sum of the
// products of byte lanes 2i and 2i+1 (only -128 * -128 twice saturates).
V128 relaxed_dot_i8x16_i7x16_s(const V128& a, const V128& b) {
  V128 r{};
  for (int i = 0; i < 8; ++i) {
    int32_t sum = int32_t(get<int8_t>(a, 2 * i)) * get<int8_t>(b, 2 * i) +
                  int32_t(get<int8_t>(a, 2 * i + 1)) * get<int8_t>(b, 2 * i + 1);
    put<int16_t>(r, i, saturate<int16_t>(sum));
  }
  return r;
}

// i32x4.relaxed_dot_i8x16_i7x16_add_s: the i16x8 dot above, its lane pairs added into i32 lanes
// (extadd_pairwise_s), then c added lane-wise, wrapping.
V128 relaxed_dot_i8x16_i7x16_add_s(const V128& a, const V128& b, const V128& c) {
  V128 dot = relaxed_dot_i8x16_i7x16_s(a, b);
  V128 r{};
  for (int i = 0; i < 4; ++i) {
    int32_t pair = int32_t(get<int16_t>(dot, 2 * i)) + get<int16_t>(dot, 2 * i + 1);
    put<uint32_t>(r, i, num::add(uint32_t(pair), get<uint32_t>(c, i)));
  }
  return r;
}

V128 swizzle(const V128& a, const V128& idx) {
  V128 r{};
  for (int i = 0; i < 16; ++i) r.bytes[i] = idx.bytes[i] < 16 ? a.bytes[idx.bytes[i]] : 0;
  return r;
}

V128 bitselect(const V128& a, const V128& b, const V128& mask) {
  V128 r{};
  for (int i = 0; i < 2; ++i) {
    uint64_t m = get<uint64_t>(mask, i);
    put<uint64_t>(r, i, (get<uint64_t>(a, i) & m) | (get<uint64_t>(b, i) & ~m));
  }
  return r;
}

uint32_t any_true(const V128& a) {
  return std::any_of(std::begin(a.bytes), std::end(a.bytes), [](uint8_t b) { return b != 0; });
}
template <class T>
uint32_t all_true(const V128& a) {
  for (int i = 0; i < kLanes<T>; ++i) {
    if (get<T>(a, i) == 0) return 0;
  }
  return 1;
}
template <class T>
uint32_t bitmask(const V128& a) {
  uint32_t mask = 0;
  for (int i = 0; i < kLanes<T>; ++i) mask |= uint32_t(get<T>(a, i) >> (sizeof(T) * 8 - 1)) << i;
  return mask;
}

template <class T>
V128 splat_lanes(uint64_t bits) {
  V128 r{};
  for (int i = 0; i < kLanes<T>; ++i) put<T>(r, i, T(bits));
  return r;
}
// T's signedness decides the extension to 32 bits; 32-bit results are then zero-extended.
template <class T>
uint64_t extract_lane(const V128& a, uint8_t lane) {
  T x = get<T>(a, lane % kLanes<T>);
  if constexpr (sizeof(T) == 8) {
    return uint64_t(x);
  } else {
    return uint64_t(uint32_t(x));
  }
}
template <class T>
V128 replace_lane(const V128& a, uint64_t bits, uint8_t lane) {
  V128 r = a;
  put<T>(r, lane % kLanes<T>, T(bits));
  return r;
}

// ---- Lane operations (generic lambdas: the lane type picks signedness and width) ------------

constexpr auto kIdentity = [](auto x) { return x; };
constexpr auto kNot = [](auto x) { return decltype(x)(~x); };
constexpr auto kAnd = [](auto a, auto b) { return a & b; };
constexpr auto kAndNot = [](auto a, auto b) { return a & ~b; };
constexpr auto kOr = [](auto a, auto b) { return a | b; };
constexpr auto kXor = [](auto a, auto b) { return a ^ b; };

constexpr auto kEq = [](auto a, auto b) { return a == b; };
constexpr auto kNe = [](auto a, auto b) { return a != b; };
constexpr auto kLt = [](auto a, auto b) { return a < b; };
constexpr auto kGt = [](auto a, auto b) { return a > b; };
constexpr auto kLe = [](auto a, auto b) { return a <= b; };
constexpr auto kGe = [](auto a, auto b) { return a >= b; };

constexpr auto kAdd = [](auto a, auto b) {
  if constexpr (std::is_floating_point_v<decltype(a)>) {
    return a + b;
  } else {
    return num::add(a, b);
  }
};
constexpr auto kSub = [](auto a, auto b) {
  if constexpr (std::is_floating_point_v<decltype(a)>) {
    return a - b;
  } else {
    return num::sub(a, b);
  }
};
constexpr auto kMul = [](auto a, auto b) {
  if constexpr (std::is_floating_point_v<decltype(a)>) {
    return a * b;
  } else {
    return num::mul(a, b);
  }
};
constexpr auto kDiv = [](auto a, auto b) { return a / b; };  // float lanes only
constexpr auto kMin = [](auto a, auto b) { return b < a ? b : a; };
constexpr auto kMax = [](auto a, auto b) { return a < b ? b : a; };
constexpr auto kAddSat = [](auto a, auto b) {
  return saturate<decltype(a)>(int64_t(a) + int64_t(b));
};
constexpr auto kSubSat = [](auto a, auto b) {
  return saturate<decltype(a)>(int64_t(a) - int64_t(b));
};
constexpr auto kAvgrU = [](auto a, auto b) { return decltype(a)((uint32_t(a) + b + 1) / 2); };
constexpr auto kQ15MulrSat = [](int16_t a, int16_t b) {
  return saturate<int16_t>((int32_t(a) * b + (1 << 14)) >> 15);
};
constexpr auto kNeg = [](auto x) { return num::sub(decltype(x)(0), x); };
// On signed lanes; abs(INT_MIN) wraps to INT_MIN.
constexpr auto kAbs = [](auto x) {
  using U = std::make_unsigned_t<decltype(x)>;
  return decltype(x)(x < 0 ? U(U(0) - U(x)) : U(x));
};

// ---- Shape tables ----------------------------------------------------------------------------

using O = Opcode;

}  // namespace

// The shape tables: one opcode per line reads best as a table.
// clang-format off
Unary unary(Opcode op) {
  switch (op) {
    case O::V128Not: return map<uint64_t, kNot>;
    case O::I8x16Abs: return map<int8_t, kAbs>;
    case O::I16x8Abs: return map<int16_t, kAbs>;
    case O::I32x4Abs: return map<int32_t, kAbs>;
    case O::I64x2Abs: return map<int64_t, kAbs>;
    case O::I8x16Neg: return map<uint8_t, kNeg>;
    case O::I16x8Neg: return map<uint16_t, kNeg>;
    case O::I32x4Neg: return map<uint32_t, kNeg>;
    case O::I64x2Neg: return map<uint64_t, kNeg>;
    case O::I8x16Popcnt: return map<uint8_t, num::popcnt<uint8_t>>;
    case O::F32x4Abs: return map<float, num::abs<float>>;
    case O::F64x2Abs: return map<double, num::abs<double>>;
    case O::F32x4Neg: return map<float, num::neg<float>>;
    case O::F64x2Neg: return map<double, num::neg<double>>;
    case O::F32x4Sqrt: return map<float, num::sqrt<float>>;
    case O::F64x2Sqrt: return map<double, num::sqrt<double>>;
    case O::F32x4Ceil: return map<float, num::ceil<float>>;
    case O::F64x2Ceil: return map<double, num::ceil<double>>;
    case O::F32x4Floor: return map<float, num::floor<float>>;
    case O::F64x2Floor: return map<double, num::floor<double>>;
    case O::F32x4Trunc: return map<float, num::trunc<float>>;
    case O::F64x2Trunc: return map<double, num::trunc<double>>;
    case O::F32x4Nearest: return map<float, num::nearest<float>>;
    case O::F64x2Nearest: return map<double, num::nearest<double>>;
    case O::I16x8ExtaddPairwiseI8x16S: return extadd_pairwise<int8_t, int16_t>;
    case O::I16x8ExtaddPairwiseI8x16U: return extadd_pairwise<uint8_t, uint16_t>;
    case O::I32x4ExtaddPairwiseI16x8S: return extadd_pairwise<int16_t, int32_t>;
    case O::I32x4ExtaddPairwiseI16x8U: return extadd_pairwise<uint16_t, uint32_t>;
    case O::I16x8ExtendLowI8x16S: return convert_lanes<int8_t, int16_t, 0, kIdentity>;
    case O::I16x8ExtendHighI8x16S: return convert_lanes<int8_t, int16_t, 8, kIdentity>;
    case O::I16x8ExtendLowI8x16U: return convert_lanes<uint8_t, uint16_t, 0, kIdentity>;
    case O::I16x8ExtendHighI8x16U: return convert_lanes<uint8_t, uint16_t, 8, kIdentity>;
    case O::I32x4ExtendLowI16x8S: return convert_lanes<int16_t, int32_t, 0, kIdentity>;
    case O::I32x4ExtendHighI16x8S: return convert_lanes<int16_t, int32_t, 4, kIdentity>;
    case O::I32x4ExtendLowI16x8U: return convert_lanes<uint16_t, uint32_t, 0, kIdentity>;
    case O::I32x4ExtendHighI16x8U: return convert_lanes<uint16_t, uint32_t, 4, kIdentity>;
    case O::I64x2ExtendLowI32x4S: return convert_lanes<int32_t, int64_t, 0, kIdentity>;
    case O::I64x2ExtendHighI32x4S: return convert_lanes<int32_t, int64_t, 2, kIdentity>;
    case O::I64x2ExtendLowI32x4U: return convert_lanes<uint32_t, uint64_t, 0, kIdentity>;
    case O::I64x2ExtendHighI32x4U: return convert_lanes<uint32_t, uint64_t, 2, kIdentity>;
    case O::I32x4TruncSatF32x4S:
      return convert_lanes<float, int32_t, 0, num::trunc_sat<int32_t, float>>;
    case O::I32x4TruncSatF32x4U:
      return convert_lanes<float, uint32_t, 0, num::trunc_sat<uint32_t, float>>;
    case O::I32x4TruncSatF64x2SZero:
      return convert_lanes<double, int32_t, 0, num::trunc_sat<int32_t, double>>;
    case O::I32x4TruncSatF64x2UZero:
      return convert_lanes<double, uint32_t, 0, num::trunc_sat<uint32_t, double>>;
    case O::F32x4ConvertI32x4S:
      return convert_lanes<int32_t, float, 0, num::convert<float, int32_t>>;
    case O::F32x4ConvertI32x4U:
      return convert_lanes<uint32_t, float, 0, num::convert<float, uint32_t>>;
    case O::F64x2ConvertLowI32x4S:
      return convert_lanes<int32_t, double, 0, num::convert<double, int32_t>>;
    case O::F64x2ConvertLowI32x4U:
      return convert_lanes<uint32_t, double, 0, num::convert<double, uint32_t>>;
    case O::F32x4DemoteF64x2Zero: return convert_lanes<double, float, 0, num::demote>;
    case O::F64x2PromoteLowF32x4: return convert_lanes<float, double, 0, num::promote>;

    // Relaxed SIMD: out-of-range lanes saturate and NaN gives 0, as trunc_sat.
    case O::I32x4RelaxedTruncF32x4S:
      return convert_lanes<float, int32_t, 0, num::trunc_sat<int32_t, float>>;
    case O::I32x4RelaxedTruncF32x4U:
      return convert_lanes<float, uint32_t, 0, num::trunc_sat<uint32_t, float>>;
    case O::I32x4RelaxedTruncF64x2SZero:
      return convert_lanes<double, int32_t, 0, num::trunc_sat<int32_t, double>>;
    case O::I32x4RelaxedTruncF64x2UZero:
      return convert_lanes<double, uint32_t, 0, num::trunc_sat<uint32_t, double>>;
    default: return nullptr;
  }
}

Binary binary(Opcode op) {
  switch (op) {
    case O::I8x16Swizzle: return swizzle;
    case O::V128And: return map2<uint64_t, kAnd>;
    case O::V128Andnot: return map2<uint64_t, kAndNot>;
    case O::V128Or: return map2<uint64_t, kOr>;
    case O::V128Xor: return map2<uint64_t, kXor>;

    case O::I8x16Eq: return compare<uint8_t, kEq>;
    case O::I8x16Ne: return compare<uint8_t, kNe>;
    case O::I8x16LtS: return compare<int8_t, kLt>;
    case O::I8x16LtU: return compare<uint8_t, kLt>;
    case O::I8x16GtS: return compare<int8_t, kGt>;
    case O::I8x16GtU: return compare<uint8_t, kGt>;
    case O::I8x16LeS: return compare<int8_t, kLe>;
    case O::I8x16LeU: return compare<uint8_t, kLe>;
    case O::I8x16GeS: return compare<int8_t, kGe>;
    case O::I8x16GeU: return compare<uint8_t, kGe>;
    case O::I16x8Eq: return compare<uint16_t, kEq>;
    case O::I16x8Ne: return compare<uint16_t, kNe>;
    case O::I16x8LtS: return compare<int16_t, kLt>;
    case O::I16x8LtU: return compare<uint16_t, kLt>;
    case O::I16x8GtS: return compare<int16_t, kGt>;
    case O::I16x8GtU: return compare<uint16_t, kGt>;
    case O::I16x8LeS: return compare<int16_t, kLe>;
    case O::I16x8LeU: return compare<uint16_t, kLe>;
    case O::I16x8GeS: return compare<int16_t, kGe>;
    case O::I16x8GeU: return compare<uint16_t, kGe>;
    case O::I32x4Eq: return compare<uint32_t, kEq>;
    case O::I32x4Ne: return compare<uint32_t, kNe>;
    case O::I32x4LtS: return compare<int32_t, kLt>;
    case O::I32x4LtU: return compare<uint32_t, kLt>;
    case O::I32x4GtS: return compare<int32_t, kGt>;
    case O::I32x4GtU: return compare<uint32_t, kGt>;
    case O::I32x4LeS: return compare<int32_t, kLe>;
    case O::I32x4LeU: return compare<uint32_t, kLe>;
    case O::I32x4GeS: return compare<int32_t, kGe>;
    case O::I32x4GeU: return compare<uint32_t, kGe>;
    case O::I64x2Eq: return compare<uint64_t, kEq>;
    case O::I64x2Ne: return compare<uint64_t, kNe>;
    case O::I64x2LtS: return compare<int64_t, kLt>;
    case O::I64x2GtS: return compare<int64_t, kGt>;
    case O::I64x2LeS: return compare<int64_t, kLe>;
    case O::I64x2GeS: return compare<int64_t, kGe>;
    case O::F32x4Eq: return compare<float, kEq>;
    case O::F32x4Ne: return compare<float, kNe>;
    case O::F32x4Lt: return compare<float, kLt>;
    case O::F32x4Gt: return compare<float, kGt>;
    case O::F32x4Le: return compare<float, kLe>;
    case O::F32x4Ge: return compare<float, kGe>;
    case O::F64x2Eq: return compare<double, kEq>;
    case O::F64x2Ne: return compare<double, kNe>;
    case O::F64x2Lt: return compare<double, kLt>;
    case O::F64x2Gt: return compare<double, kGt>;
    case O::F64x2Le: return compare<double, kLe>;
    case O::F64x2Ge: return compare<double, kGe>;

    case O::I8x16NarrowI16x8S: return narrow<int16_t, int8_t>;
    case O::I8x16NarrowI16x8U: return narrow<int16_t, uint8_t>;
    case O::I16x8NarrowI32x4S: return narrow<int32_t, int16_t>;
    case O::I16x8NarrowI32x4U: return narrow<int32_t, uint16_t>;

    case O::I8x16Add: return map2<uint8_t, kAdd>;
    case O::I16x8Add: return map2<uint16_t, kAdd>;
    case O::I32x4Add: return map2<uint32_t, kAdd>;
    case O::I64x2Add: return map2<uint64_t, kAdd>;
    case O::I8x16Sub: return map2<uint8_t, kSub>;
    case O::I16x8Sub: return map2<uint16_t, kSub>;
    case O::I32x4Sub: return map2<uint32_t, kSub>;
    case O::I64x2Sub: return map2<uint64_t, kSub>;
    case O::I16x8Mul: return map2<uint16_t, kMul>;
    case O::I32x4Mul: return map2<uint32_t, kMul>;
    case O::I64x2Mul: return map2<uint64_t, kMul>;
    case O::I8x16AddSatS: return map2<int8_t, kAddSat>;
    case O::I8x16AddSatU: return map2<uint8_t, kAddSat>;
    case O::I16x8AddSatS: return map2<int16_t, kAddSat>;
    case O::I16x8AddSatU: return map2<uint16_t, kAddSat>;
    case O::I8x16SubSatS: return map2<int8_t, kSubSat>;
    case O::I8x16SubSatU: return map2<uint8_t, kSubSat>;
    case O::I16x8SubSatS: return map2<int16_t, kSubSat>;
    case O::I16x8SubSatU: return map2<uint16_t, kSubSat>;
    case O::I8x16MinS: return map2<int8_t, kMin>;
    case O::I8x16MinU: return map2<uint8_t, kMin>;
    case O::I16x8MinS: return map2<int16_t, kMin>;
    case O::I16x8MinU: return map2<uint16_t, kMin>;
    case O::I32x4MinS: return map2<int32_t, kMin>;
    case O::I32x4MinU: return map2<uint32_t, kMin>;
    case O::I8x16MaxS: return map2<int8_t, kMax>;
    case O::I8x16MaxU: return map2<uint8_t, kMax>;
    case O::I16x8MaxS: return map2<int16_t, kMax>;
    case O::I16x8MaxU: return map2<uint16_t, kMax>;
    case O::I32x4MaxS: return map2<int32_t, kMax>;
    case O::I32x4MaxU: return map2<uint32_t, kMax>;
    case O::I8x16AvgrU: return map2<uint8_t, kAvgrU>;
    case O::I16x8AvgrU: return map2<uint16_t, kAvgrU>;
    case O::I16x8Q15mulrSatS: return map2<int16_t, kQ15MulrSat>;
    case O::I32x4DotI16x8S: return dot_i16x8_s;

    case O::I16x8ExtmulLowI8x16S: return extmul<int8_t, int16_t, 0>;
    case O::I16x8ExtmulHighI8x16S: return extmul<int8_t, int16_t, 8>;
    case O::I16x8ExtmulLowI8x16U: return extmul<uint8_t, uint16_t, 0>;
    case O::I16x8ExtmulHighI8x16U: return extmul<uint8_t, uint16_t, 8>;
    case O::I32x4ExtmulLowI16x8S: return extmul<int16_t, int32_t, 0>;
    case O::I32x4ExtmulHighI16x8S: return extmul<int16_t, int32_t, 4>;
    case O::I32x4ExtmulLowI16x8U: return extmul<uint16_t, uint32_t, 0>;
    case O::I32x4ExtmulHighI16x8U: return extmul<uint16_t, uint32_t, 4>;
    case O::I64x2ExtmulLowI32x4S: return extmul<int32_t, int64_t, 0>;
    case O::I64x2ExtmulHighI32x4S: return extmul<int32_t, int64_t, 2>;
    case O::I64x2ExtmulLowI32x4U: return extmul<uint32_t, uint64_t, 0>;
    case O::I64x2ExtmulHighI32x4U: return extmul<uint32_t, uint64_t, 2>;

    case O::F32x4Add: return map2<float, kAdd>;
    case O::F64x2Add: return map2<double, kAdd>;
    case O::F32x4Sub: return map2<float, kSub>;
    case O::F64x2Sub: return map2<double, kSub>;
    case O::F32x4Mul: return map2<float, kMul>;
    case O::F64x2Mul: return map2<double, kMul>;
    case O::F32x4Div: return map2<float, kDiv>;
    case O::F64x2Div: return map2<double, kDiv>;
    case O::F32x4Min: return map2<float, num::min<float>>;
    case O::F64x2Min: return map2<double, num::min<double>>;
    case O::F32x4Max: return map2<float, num::max<float>>;
    case O::F64x2Max: return map2<double, num::max<double>>;
    case O::F32x4Pmin: return map2<float, num::pmin<float>>;
    case O::F64x2Pmin: return map2<double, num::pmin<double>>;
    case O::F32x4Pmax: return map2<float, num::pmax<float>>;
    case O::F64x2Pmax: return map2<double, num::pmax<double>>;

    // Relaxed SIMD: indices from 16 up give 0, NaNs propagate and -0 < +0, -2^15 squared
    // saturates: each as its 2.0 counterpart.
    case O::I8x16RelaxedSwizzle: return swizzle;
    case O::F32x4RelaxedMin: return map2<float, num::min<float>>;
    case O::F32x4RelaxedMax: return map2<float, num::max<float>>;
    case O::F64x2RelaxedMin: return map2<double, num::min<double>>;
    case O::F64x2RelaxedMax: return map2<double, num::max<double>>;
    case O::I16x8RelaxedQ15mulrS: return map2<int16_t, kQ15MulrSat>;
    case O::I16x8RelaxedDotI8x16I7x16S: return relaxed_dot_i8x16_i7x16_s;
    default: return nullptr;
  }
}

Ternary ternary(Opcode op) {
  switch (op) {
    case O::V128Bitselect: return bitselect;
    // Relaxed SIMD: laneselect uses every mask bit, as bitselect; madd is not fused.
    case O::I8x16RelaxedLaneselect:
    case O::I16x8RelaxedLaneselect:
    case O::I32x4RelaxedLaneselect:
    case O::I64x2RelaxedLaneselect: return bitselect;
    case O::F32x4RelaxedMadd: return map3<float, kMulThenAdd>;
    case O::F32x4RelaxedNmadd: return map3<float, kNegMulThenAdd>;
    case O::F64x2RelaxedMadd: return map3<double, kMulThenAdd>;
    case O::F64x2RelaxedNmadd: return map3<double, kNegMulThenAdd>;
    case O::I32x4RelaxedDotI8x16I7x16AddS: return relaxed_dot_i8x16_i7x16_add_s;
    default: return nullptr;
  }
}

Test test(Opcode op) {
  switch (op) {
    case O::V128AnyTrue: return any_true;
    case O::I8x16AllTrue: return all_true<uint8_t>;
    case O::I16x8AllTrue: return all_true<uint16_t>;
    case O::I32x4AllTrue: return all_true<uint32_t>;
    case O::I64x2AllTrue: return all_true<uint64_t>;
    case O::I8x16Bitmask: return bitmask<uint8_t>;
    case O::I16x8Bitmask: return bitmask<uint16_t>;
    case O::I32x4Bitmask: return bitmask<uint32_t>;
    case O::I64x2Bitmask: return bitmask<uint64_t>;
    default: return nullptr;
  }
}

Shift shift(Opcode op) {
  switch (op) {
    case O::I8x16Shl: return shift_lanes<uint8_t, num::shl<uint8_t>>;
    case O::I8x16ShrS: return shift_lanes<uint8_t, num::shr_s<uint8_t>>;
    case O::I8x16ShrU: return shift_lanes<uint8_t, num::shr_u<uint8_t>>;
    case O::I16x8Shl: return shift_lanes<uint16_t, num::shl<uint16_t>>;
    case O::I16x8ShrS: return shift_lanes<uint16_t, num::shr_s<uint16_t>>;
    case O::I16x8ShrU: return shift_lanes<uint16_t, num::shr_u<uint16_t>>;
    case O::I32x4Shl: return shift_lanes<uint32_t, num::shl<uint32_t>>;
    case O::I32x4ShrS: return shift_lanes<uint32_t, num::shr_s<uint32_t>>;
    case O::I32x4ShrU: return shift_lanes<uint32_t, num::shr_u<uint32_t>>;
    case O::I64x2Shl: return shift_lanes<uint64_t, num::shl<uint64_t>>;
    case O::I64x2ShrS: return shift_lanes<uint64_t, num::shr_s<uint64_t>>;
    case O::I64x2ShrU: return shift_lanes<uint64_t, num::shr_u<uint64_t>>;
    default: return nullptr;
  }
}

Splat splat(Opcode op) {
  switch (op) {
    case O::I8x16Splat: return splat_lanes<uint8_t>;
    case O::I16x8Splat: return splat_lanes<uint16_t>;
    case O::I32x4Splat:
    case O::F32x4Splat: return splat_lanes<uint32_t>;
    case O::I64x2Splat:
    case O::F64x2Splat: return splat_lanes<uint64_t>;
    default: return nullptr;
  }
}

Extract extract(Opcode op) {
  switch (op) {
    case O::I8x16ExtractLaneS: return extract_lane<int8_t>;
    case O::I8x16ExtractLaneU: return extract_lane<uint8_t>;
    case O::I16x8ExtractLaneS: return extract_lane<int16_t>;
    case O::I16x8ExtractLaneU: return extract_lane<uint16_t>;
    case O::I32x4ExtractLane:
    case O::F32x4ExtractLane: return extract_lane<uint32_t>;
    case O::I64x2ExtractLane:
    case O::F64x2ExtractLane: return extract_lane<uint64_t>;
    default: return nullptr;
  }
}

Replace replace(Opcode op) {
  switch (op) {
    case O::I8x16ReplaceLane: return replace_lane<uint8_t>;
    case O::I16x8ReplaceLane: return replace_lane<uint16_t>;
    case O::I32x4ReplaceLane:
    case O::F32x4ReplaceLane: return replace_lane<uint32_t>;
    case O::I64x2ReplaceLane:
    case O::F64x2ReplaceLane: return replace_lane<uint64_t>;
    default: return nullptr;
  }
}

// clang-format on

V128 shuffle(const V128& a, const V128& b, const V128& lanes) {
  V128 r{};
  for (int i = 0; i < 16; ++i) {
    uint8_t k = lanes.bytes[i] % 32;
    r.bytes[i] = k < 16 ? a.bytes[k] : b.bytes[k - 16];
  }
  return r;
}

}  // namespace tern::interp::simd
