// The tier-independent part of compiling a module.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "engine/runtime/objects.h"

namespace tern::rt {

// Decodes and validates `bytes` and sets the canonical type ids and the export index: all a
// tier's TierImpl::compile needs. The result has no tier yet.
Result<std::shared_ptr<CompiledModule>> prepare_module(Engine& engine,
                                                       std::span<const uint8_t> bytes);

}  // namespace tern::rt
