// The emitters of every instruction layout of code.h, generated from its tables:
// `emit_Call(out, func, args)` for a fixed op, `emit_Binary(out, op, dst, a, b)` for a shared
// layout (which names its op). `out` is the code being written (the Lowerer): it provides
// `emit(Op)`, starting an instruction with its handler unit, and `u32(Unit)` for operands.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>

#include "engine/interp/code.h"
#include "tern/value.h"

namespace tern::interp {

#define TERN_PARAM(kind, ...) TERN_PARAM_##kind(__VA_ARGS__)
#define TERN_PARAM_DST(name) , uint32_t name
#define TERN_PARAM_SRC(name) , uint32_t name
#define TERN_PARAM_U32(name) , uint32_t name
#define TERN_PARAM_U64(name) , uint64_t name
#define TERN_PARAM_FN(name) , const void* name
#define TERN_PARAM_BYTES16(name) , const V128& name
#define TERN_PARAM_POS(name) , int32_t name
#define TERN_PARAM_POS_TABLE(name, count) , std::span<const int32_t> name

#define TERN_WRITE(kind, ...) TERN_WRITE_##kind(__VA_ARGS__)
#define TERN_WRITE_DST(name) out.u32(name);
#define TERN_WRITE_SRC(name) out.u32(name);
#define TERN_WRITE_U32(name) out.u32(name);
#define TERN_WRITE_U64(name) \
  out.u32(uint32_t(name));   \
  out.u32(uint32_t(uint64_t(name) >> 32));
#define TERN_WRITE_FN(name) TERN_WRITE_U64(reinterpret_cast<uintptr_t>(name))
#define TERN_WRITE_BYTES16(name)               \
  for (int i = 0; i < 4; ++i) {                \
    uint32_t unit;                             \
    std::memcpy(&unit, name.bytes + 4 * i, 4); \
    out.u32(unit);                             \
  }
#define TERN_WRITE_POS(name) out.u32(uint32_t(name));
#define TERN_WRITE_POS_TABLE(name, count) \
  for (int32_t pos : name) out.u32(uint32_t(pos));

#define TERN_X_FIXED(layout, ...)                                               \
  template <class Out>                                                          \
  void emit_##layout(Out& out TERN_FOR_EACH_OPERAND(TERN_PARAM, __VA_ARGS__)) { \
    out.emit(Op::layout);                                                       \
    TERN_FOR_EACH_OPERAND(TERN_WRITE, __VA_ARGS__)                              \
  }
#define TERN_X_SHARED(layout, ...)                                                     \
  template <class Out>                                                                 \
  void emit_##layout(Out& out, Op op TERN_FOR_EACH_OPERAND(TERN_PARAM, __VA_ARGS__)) { \
    out.emit(op);                                                                      \
    TERN_FOR_EACH_OPERAND(TERN_WRITE, __VA_ARGS__)                                     \
  }
TERN_INTERP_FIXED_OPS(TERN_X_FIXED)
TERN_INTERP_SHARED_LAYOUTS(TERN_X_SHARED)
#undef TERN_X_FIXED
#undef TERN_X_SHARED
#undef TERN_PARAM
#undef TERN_PARAM_DST
#undef TERN_PARAM_SRC
#undef TERN_PARAM_U32
#undef TERN_PARAM_U64
#undef TERN_PARAM_FN
#undef TERN_PARAM_BYTES16
#undef TERN_PARAM_POS
#undef TERN_PARAM_POS_TABLE
#undef TERN_WRITE
#undef TERN_WRITE_DST
#undef TERN_WRITE_SRC
#undef TERN_WRITE_U32
#undef TERN_WRITE_U64
#undef TERN_WRITE_FN
#undef TERN_WRITE_BYTES16
#undef TERN_WRITE_POS
#undef TERN_WRITE_POS_TABLE

}  // namespace tern::interp
