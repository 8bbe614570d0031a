// Evaluating constant expressions (global initialisers, segment offsets and elements).
#pragma once

#include "engine/module_info.h"
#include "engine/runtime/objects.h"
#include "tern/error.h"
#include "tern/value.h"

namespace tern::rt {

// Evaluates `expr` against `instance` as far as it is built: global.get reads
// instance.globals, ref.func takes instance.funcs. Validation guarantees the expression is
// constant and well typed; indices are still checked so a bad module cannot read out of range.
Result<Value> eval_const_expr(const ConstExpr& expr, const Instance& instance);

}  // namespace tern::rt
