// Which interpreter instructions a backtrace can name, and finding their wasm offsets.
#include <algorithm>
#include <array>

#include "engine/interp/code.h"

namespace tern::interp {

namespace {

// Every op is a site but those known never to trap or call: an op added later is recorded
// rather than reported at the wrong instruction.
std::array<bool, kOpCount> site_table() {
  std::array<bool, kOpCount> site;
  site.fill(true);
  for (Op op :
       {Op::Jmp,          Op::BrIf,        Op::BrUnless,     Op::BrTable,          Op::Return,
        Op::Copy64,       Op::Copy128,     Op::Const32,      Op::Const64,          Op::Const128,
        Op::Select64,     Op::Select128,   Op::GlobalGet64,  Op::GlobalGet128,     Op::GlobalSet64,
        Op::GlobalSet128, Op::MemorySize,  Op::MemoryGrow,   Op::DataDrop,         Op::TableSize,
        Op::TableGrow,    Op::ElemDrop,    Op::RefIsNull,    Op::RefFunc,          Op::RefI31,
        Op::RefTest,      Op::BrOnCast,    Op::BrOnCastFail, Op::ExternConvertAny, Op::SimdUnary,
        Op::SimdBinary,   Op::SimdTernary, Op::SimdTest,     Op::SimdShift,        Op::SimdSplat,
        Op::SimdExtract,  Op::SimdReplace, Op::SimdShuffle}) {
    site[size_t(op)] = false;
  }
#define INT_COMPARE(cond, negated, op, T32, T64)                                   \
  site[size_t(Op::BrI32##cond##_ss)] = site[size_t(Op::BrI32##cond##_si)] = false; \
  site[size_t(Op::BrI64##cond##_ss)] = site[size_t(Op::BrI64##cond##_si)] = false;
#include "engine/compare_ops.def"
  // Numeric ops trap only in their *_TRAP forms; loads and stores stay sites.
#define UNARY(id, T, R, expr) site[size_t(Op::id)] = false;
#define BINARY(id, T, R, expr) site[size_t(Op::id##_ss)] = site[size_t(Op::id##_si)] = false;
#define UNARY_TRAP(id, T, R, trap, expr)
#define BINARY_TRAP(id, T, R, trap, expr)
#define LOAD(id, M, R)
#define STORE(id, T, M)
#include "engine/interp/numeric_ops.def"
  return site;
}

}  // namespace

bool is_trap_or_call_site(Op op) {
  static const std::array<bool, kOpCount> site = site_table();
  return site[size_t(op)];
}

std::optional<uint32_t> wasm_offset_at(const FuncCode& code, uint32_t pos) {
  auto after = std::ranges::upper_bound(code.wasm_offsets, pos, {}, &CodeOffset::code_pos);
  if (after == code.wasm_offsets.begin()) return std::nullopt;
  return std::prev(after)->wasm_offset;
}

}  // namespace tern::interp
