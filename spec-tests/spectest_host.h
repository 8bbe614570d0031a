// The `spectest` host module the official scripts import from: print functions, globals, a
// table and a memory, as the spec's reference interpreter defines them.
#pragma once

#include "tern/tern.h"

namespace tern::spec {

// Defines module "spectest" in `linker`, its table, memory and globals created in `store`.
// The print functions write their arguments to stdout only when `verbose`.
Result<void> define_spectest(Linker& linker, Store& store, bool verbose);

}  // namespace tern::spec
