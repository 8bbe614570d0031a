// Satisfies every import of a module with a stub: functions that return zeros, fresh tables,
// memories and globals of the imported type. Shared by the instantiate fuzz target and the
// differential driver.
#pragma once

#include <functional>
#include <string>

#include "tern/tern.h"

namespace tern::fuzz {

// Called for each call of a stub function, before it returns zeros (for logging); may be empty.
using StubCallHook = std::function<void(const Module::ImportDesc&, std::span<const Value>)>;

// Defines a stub for every import of `module` in `linker`. Tables and memories are created in
// `store` with their minimum size, capped at `max_elements` / `max_pages` (a larger minimum
// fails here as ErrorKind::Limit).
Result<void> define_stub_imports(Store& store, Linker& linker, const Module& module,
                                 uint64_t max_elements, uint64_t max_pages,
                                 StubCallHook on_call = {});

}  // namespace tern::fuzz
