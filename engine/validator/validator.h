// Validation, per the spec's algorithm (appendix/algorithm.rst).
#pragma once

#include <cstdint>

#include "engine/module_info.h"
#include "engine/validator/func_consumer.h"
#include "tern/error.h"

namespace tern {

// Module-level rules: limits, export name uniqueness, start function type, constant
// expressions, segment indices, declared function references, ... Does not read code bodies.
Result<void> validate_module(const ModuleInfo& module);

// Reads, validates and hands to `consumer` (may be null) the body of defined function
// `defined_index`. Malformed bytes in the body (unknown opcode, bad LEB128) are reported with
// ErrorKind::Malformed, type errors with ErrorKind::Invalid; both carry the byte offset.
Result<void> validate_function(const ModuleInfo& module, uint32_t defined_index,
                               FuncConsumer* consumer);

// Both of the above for every function, with no consumer.
Result<void> validate(const ModuleInfo& module);

}  // namespace tern
