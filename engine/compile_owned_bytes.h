// Module::compile for bytes the caller gives up, inside tern_engine (engine/tiers.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "tern/tern.h"

namespace tern {

// Module::compile of `bytes`, which become the module's own instead of being copied: for
// Module::from_file, whose file contents nothing else needs (30 MB for a large module).
Result<Module> compile_owned_bytes(Engine& engine, std::vector<uint8_t>&& bytes);

}  // namespace tern
