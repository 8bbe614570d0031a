// Reads one instruction and its immediates: the single place where code bytes become an Instr,
// used by the function validator and by the decoder for constant expressions.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/decoder/instr.h"
#include "engine/decoder/reader.h"
#include "tern/config.h"

namespace tern {

// True for the value type bytes of Wasm 2.0 (numbers, v128, funcref, externref) and exnref
// (exception handling; the validator rejects it when that proposal is off).
inline bool is_valtype_byte(uint8_t b) {
  return (b >= 0x7B && b <= 0x7F) || b == 0x70 || b == 0x6F || b == 0x69;
}

// Reads a value type; records "malformed value type" otherwise.
ValType read_valtype(Reader& r);
// Reads a reference type; records "malformed reference type" otherwise.
ValType read_reftype(Reader& r);
// Reads a heap type (ref.null's immediate, or after 0x63/0x64): an abstract one or a type index,
// as the reference type of that heap type with the given nullability. The GC heap types are
// refused naming their proposal.
ValType read_heap_type(Reader& r, bool nullable);

// Reads the instruction at r.pos() into `in` (its op, offset and the immediates info(op).imm
// names). br_table's labels go into `targets`, which `in.targets` then points at; more than
// `max_br_table_targets` of them besides the default is a Limit error (ModuleLimits). Block types
// are left raw in `in.bits` (see Instr) for the validator to resolve; select t leaves its type
// count in `in.index`. `features` decides the encodings proposals changed (memory indices,
// 64-bit offsets). Returns false, with the error recorded in `r`, on malformed bytes.
bool read_instr(Reader& r, Instr& in, std::vector<uint32_t>& targets, uint32_t max_br_table_targets,
                const WasmFeatures& features);

}  // namespace tern
