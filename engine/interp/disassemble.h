// A readable listing of a function's interpreter code (code.h), for `tern inspect --interp`
// and tests: one instruction a line, its position, op name and operands by name.
#pragma once

#include <string>

#include "engine/interp/code.h"

namespace tern::interp {

// The listing of `code`: a header line, then one line per instruction such as
//   `   4: I32Add_si dst=[16] a=[0] b=5`
// Slots print as [byte offset], code positions as @unit index (made absolute).
std::string disassemble(const FuncCode& code);

// The op's name as in the Op enum (`Call`, `I32Add_si`, `BrI32LtS_ss`).
const char* op_name(Op op);

}  // namespace tern::interp
