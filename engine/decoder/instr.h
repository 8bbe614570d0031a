// One decoded instruction with its immediates: what the decoder's instruction reader produces
// and the function validator hands to its consumers.
#pragma once

#include <cstdint>
#include <span>

#include "engine/opcodes.h"
#include "tern/types.h"
#include "tern/value.h"

namespace tern {

// A block type resolved against the module's types: what the block takes and what it leaves.
struct BlockSig {
  std::span<const ValType> params;
  std::span<const ValType> results;
};

struct MemArg {
  uint32_t align_log2 = 0;
  uint32_t memory = 0;
  uint64_t offset = 0;
};

struct Instr {
  Opcode op = Opcode::Nop;
  uint32_t offset = 0;  // byte offset of the opcode in the module
  uint32_t end = 0;     // byte offset just past the instruction's immediates

  // Immediates; which fields are meaningful follows info(op).imm.
  uint32_t index = 0;   // Label (BrOnCast's too), Func, Local, Global, Table, Mem, Elem, Data,
                        // CallIndirect's type, MemInit's data, MemCopy's destination, TableInit's
                        // element segment, TableCopy's destination
  uint32_t index2 = 0;  // CallIndirect's table, MemInit's memory, MemCopy's source,
                        // TableInit's table, TableCopy's source; the GC kinds' second index
  MemArg mem;           // MemArg, MemArgLane
  uint8_t lane = 0;     // Lane, MemArgLane
  uint64_t bits = 0;    // I32 (sign-extended to 64), I64, F32 and F64 bit patterns; for
                        // Block, the raw s33 block type (the validator resolves it into block),
                        // or kRefBlockType with the result type in `type`
  V128 v128{};          // V128 constant; Shuffle's 16 lane indices
  // RefType; SelectT's single result type (index holds how many types the immediate listed:
  // validation requires exactly 1)
  ValType type = ValType::I32;
  ValType type2 = ValType::I32;       // BrOnCast's target type (`type` is its source type)
  BlockSig block;                     // Block
  std::span<const uint32_t> targets;  // BrTable: the label indices, then the default label;
                                      // TryTable: its catch clauses, three units each
                                      // (CatchKind, tag index, label index)
};

// Instr::bits of a block whose type is one reference type that takes more than a byte
// ((ref null? ht), nullfuncref, ...): below every s33 value.
constexpr int64_t kRefBlockType = -(int64_t(1) << 40);

// The kind of a try_table catch clause, as the binary format encodes it.
enum class CatchKind : uint32_t { Catch = 0, CatchRef = 1, CatchAll = 2, CatchAllRef = 3 };
constexpr uint32_t kCatchUnits = 3;

}  // namespace tern
