// Constructs of the proposals Tern recognises but does not implement yet (GC: issue 14), and of
// typed function references when Config::features has them off. Where the decoder would
// otherwise report a bare "malformed value type" or "illegal opcode", these name the proposal:
// "... requires the garbage collection proposal, which Tern does not implement yet", or the
// disabled-proposal wording when Config::features has it off. The error stays Malformed either
// way.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/decoder/reader.h"

namespace tern {

// A value, reference or heap type byte of such a proposal (ref, ref null, anyref, eqref, ...):
// records the error and returns true; false for any other byte.
bool fail_unimplemented_type(Reader& r, uint8_t byte, size_t at);

// A table with an initialiser expression (0x40 0x00 before its type: typed function
// references) at r.pos(): as above.
bool fail_unimplemented_table_initializer(Reader& r);

// A type-section form byte of GC (rec, sub, sub final, struct, array): as above.
bool fail_unimplemented_type_form(Reader& r, uint8_t form, size_t at);

// An opcode of such a proposal (`prefix` is the first byte; `code` the byte itself or the u32
// after a 0xFC/0xFD prefix; any 0xFB-prefixed opcode is GC's): as above.
bool fail_unimplemented_opcode(Reader& r, uint8_t prefix, uint32_t code, size_t at);

}  // namespace tern
