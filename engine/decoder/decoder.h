// The binary decoder: bytes → ModuleInfo, checking the binary format's structure.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/module_info.h"
#include "tern/config.h"
#include "tern/error.h"

namespace tern {

// Decodes every section. Errors are ErrorKind::Malformed with the offset of the offending byte
// and the rule broken in the spec's words ("unexpected end", "integer too large", "malformed
// section id", "length out of bounds", "section size mismatch", "malformed UTF-8 encoding",
// "junk after last section", "function and code section have inconsistent lengths",
// "data count and data section have inconsistent lengths", ...). Function bodies are only
// split off here; validate_function reads them. A count or size beyond `limits` is an
// ErrorKind::Limit error, found before anything proportional to it is allocated; the module
// keeps `limits` for validate_function's own (locals, br_table), and `features`: a construct of
// a disabled proposal is an error naming the proposal.
Result<ModuleInfo> decode_module(std::span<const uint8_t> bytes, const ModuleLimits& limits = {},
                                 const WasmFeatures& features = {});
// The same, keeping `bytes` as the module's own rather than copying them.
Result<ModuleInfo> decode_module(std::vector<uint8_t>&& bytes, const ModuleLimits& limits = {},
                                 const WasmFeatures& features = {});

}  // namespace tern
