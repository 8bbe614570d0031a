// The binary decoder: bytes → ModuleInfo, checking the binary format's structure.
#pragma once

#include <cstdint>
#include <span>

#include "engine/module_info.h"
#include "tern/error.h"

namespace tern {

// Decodes every section. Errors are ErrorKind::Malformed with the offset of the offending byte
// and the rule broken in the spec's words ("unexpected end", "integer too large", "malformed
// section id", "length out of bounds", "section size mismatch", "malformed UTF-8 encoding",
// "junk after last section", "function and code section have inconsistent lengths",
// "data count and data section have inconsistent lengths", ...). Function bodies are only
// split off here; validate_function reads them.
Result<ModuleInfo> decode_module(std::span<const uint8_t> bytes);

}  // namespace tern
