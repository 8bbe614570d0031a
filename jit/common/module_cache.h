// The JIT's part of the compiled-module cache (engine/module_cache.cpp has the container and
// its checks; docs/jit.md, "The compiled-module cache"): an eagerly compiled module's native
// code blocks with their tables, and the relocations that make them loadable in another
// process of the same build.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "jit/common/runtime.h"

namespace tern::jit {

// Appends `jm`'s code to `out`. Every address site (code_address.h) becomes a relocation: a
// function of the runtime's by its index in a fixed table, a JitModule::entries cell by its
// distance from the table, or a cell of the module's `type_ids` (canonical ids are per engine)
// by its distance from their first. Fails for code that is not relocatable: lazily compiled, or
// with fuel metering (whose code reads its cells by address).
Result<void> serialize_code(const JitModule& jm, std::span<const uint32_t> type_ids,
                            std::vector<uint8_t>& out);

// Rebuilds the native code of `module` (decoded, type ids set) from what serialize_code wrote,
// checking every offset and count against the data before using it. Called only on data whose
// checksum matched, from a build with the same build id.
Result<std::shared_ptr<JitModule>> deserialize_code(const rt::CompiledModule& module,
                                                    std::span<const uint8_t> bytes);

}  // namespace tern::jit
