// The tier-independent part of compiling a module.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/runtime/objects.h"

namespace tern::rt {

// Decodes and validates `bytes` and sets the canonical type ids and the export index: all a
// tier's TierImpl::compile needs. The result has no tier yet.
Result<std::shared_ptr<CompiledModule>> prepare_module(Engine& engine,
                                                       std::span<const uint8_t> bytes);
// The same, keeping `bytes` as the module's own rather than copying them (a large module file).
Result<std::shared_ptr<CompiledModule>> prepare_module(Engine& engine,
                                                       std::vector<uint8_t>&& bytes);

}  // namespace tern::rt
