// Import matching (valid/types.rst, "Import Subtyping"): does a provided extern fit an import?
#pragma once

#include "engine/module_info.h"
#include "tern/tern.h"

namespace tern::rt {

// Actual limits {n1, m1?} match expected {n2, m2?}: n1 ≥ n2, and if m2 is present then m1 is
// present and m1 ≤ m2.
bool limits_match(const Limits& actual, const Limits& expected);

// Whether `actual` (at its current size, for tables and memories) matches `import` of `module`.
bool extern_matches(const Extern& actual, const Import& import, const ModuleInfo& module);

}  // namespace tern::rt
