// The operands of GC's allocating instructions, which function bodies and constant expressions
// type alike: struct.new(_default) and array.new(_default/_fixed).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/module_info.h"

namespace tern {

// The operand types `op` takes for type `d` (already known to be of the right kind), in stack
// order, the last on top, into `out`; `count` is array.new_fixed's. Returns an error message
// when a _default form's type has a field that is not defaultable, else null.
const char* allocation_operands(Opcode op, const TypeDef& d, uint32_t count,
                                std::vector<ValType>& out);

// array.new_fixed's operand count over ModuleLimits::array_new_fixed_operands: the Limit
// error's message.
std::optional<std::string> array_new_fixed_over_limit(uint32_t count, const ModuleLimits& limits);

}  // namespace tern
