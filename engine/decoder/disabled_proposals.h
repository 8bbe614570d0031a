// Type constructs of GC and typed function references when Config::features has those
// proposals off. Where the decoder would otherwise report a bare "malformed value type", these
// name the proposal and its switch ("... requires the garbage collection proposal (-W gc), which
// is not enabled"). The error stays Malformed. (Their instructions name themselves through
// instr_reader.)
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/decoder/reader.h"

namespace tern {

// A value, reference or heap type byte of such a proposal (ref, ref null, anyref, eqref, ...)
// while it is off: records the error and returns true; false for any other byte, or with the
// proposal on.
bool fail_disabled_type(Reader& r, uint8_t byte, size_t at);

// A table with an initialiser expression (0x40 0x00 before its type: typed function
// references) at r.pos(), with that proposal off: as above.
bool fail_disabled_table_initializer(Reader& r);

// A type-section form byte of GC (rec, sub, sub final, struct, array) with GC off: as above.
bool fail_disabled_type_form(Reader& r, uint8_t form, size_t at);

}  // namespace tern
