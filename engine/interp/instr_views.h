// A struct per instruction layout of code.h (ops::Call, ops::Binary, ...), laid over the
// instruction's units so that handlers read operands by name (`in.func`, `in.args`). Every
// member is a whole number of 32-bit units, so a field read is the same load as `ip[k]`.
#pragma once

#include <bit>
#include <cstdint>

#include "engine/interp/code.h"

namespace tern::interp::ops {

// A 64-bit immediate: two units, low first.
struct Imm64 {
  Unit lo, hi;
  template <class T>
  T as() const {
    return std::bit_cast<T>(*this);
  }
};

#define TERN_MEMBER(kind, ...) TERN_MEMBER_##kind(__VA_ARGS__)
#define TERN_MEMBER_DST(name) Unit name;
#define TERN_MEMBER_SRC(name) Unit name;
#define TERN_MEMBER_U32(name) Unit name;
#define TERN_MEMBER_U64(name) Imm64 name;
#define TERN_MEMBER_FN(name) Imm64 name;
#define TERN_MEMBER_BYTES16(name) Unit name[4];
#define TERN_MEMBER_POS(name) int32_t name;
// The table follows the fixed part of the instruction.
#define TERN_MEMBER_POS_TABLE(name, count)             \
  const int32_t* name() const {                        \
    return reinterpret_cast<const int32_t*>(this + 1); \
  }
#define TERN_X(layout, ...)                         \
  struct layout {                                   \
    Unit handler;                                   \
    TERN_FOR_EACH_OPERAND(TERN_MEMBER, __VA_ARGS__) \
  };
TERN_INTERP_FIXED_OPS(TERN_X)
TERN_INTERP_SHARED_LAYOUTS(TERN_X)
#undef TERN_X
#undef TERN_MEMBER
#undef TERN_MEMBER_DST
#undef TERN_MEMBER_SRC
#undef TERN_MEMBER_U32
#undef TERN_MEMBER_U64
#undef TERN_MEMBER_FN
#undef TERN_MEMBER_BYTES16
#undef TERN_MEMBER_POS
#undef TERN_MEMBER_POS_TABLE

// An immediate operand as a value of type T, of the immediate's width.
template <class T>
inline T imm_as(Unit u) {
  return std::bit_cast<T>(u);
}
template <class T>
inline T imm_as(const Imm64& v) {
  return v.as<T>();
}

// Units in a layout's fixed part: how far a handler advances past it.
template <class Layout>
constexpr uint32_t kUnits = sizeof(Layout) / sizeof(Unit);

// The instruction at `ip` read as `Layout`.
template <class Layout>
inline const Layout& view(const Unit* ip) {
  static_assert(alignof(Layout) == alignof(Unit));
  return *reinterpret_cast<const Layout*>(ip);
}

}  // namespace tern::interp::ops
