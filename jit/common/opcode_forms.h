// Which instructions the function compiler emits inline, and in what MacroAssembler form: one
// lookup per family of opcodes, each returning the operation and width, or nothing.
#pragma once

#include <cstdint>
#include <optional>

#include "engine/opcodes.h"
#include "jit/common/masm.h"

namespace tern::jit {

struct InlineAlu {
  AluOp op;
  Width w;
};
std::optional<InlineAlu> inline_alu(Opcode op);

struct InlineCompare {
  Cond c;
  Width w;
};
std::optional<InlineCompare> inline_compare(Opcode op);

struct InlineDiv {
  DivOp op;
  Width w;
};
std::optional<InlineDiv> inline_div(Opcode op);

struct InlineBitCount {
  BitCount op;
  Width w;
};
std::optional<InlineBitCount> inline_bit_count(Opcode op);

struct InlineFp {
  FpOp op;
  Width w;
};
std::optional<InlineFp> inline_fp(Opcode op);

struct InlineFpUnary {
  FpUnaryOp op;
  Width w;
};
std::optional<InlineFpUnary> inline_fp_unary(Opcode op);

struct InlineFpCompare {
  FpCond c;
  Width w;
};
std::optional<InlineFpCompare> inline_fp_compare(Opcode op);

// Conversions between integers and floats, by opcode.
enum class ConvKind : uint8_t { IntToFp, Trunc, TruncSat };
struct InlineConversion {
  ConvKind kind;
  IntFp c;
};
std::optional<InlineConversion> inline_conversion_of(Opcode op);

std::optional<MemAccess> mem_access(Opcode op);
bool is_store(Opcode op);

}  // namespace tern::jit
