// The instruction set, generated from opcodes.def: the Opcode enum and a per-opcode info table.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tern {

enum class Opcode : uint16_t {
#define TERN_OP(id, prefix, code, text, imm, n, sig) id,
#include "engine/opcodes.def"
#undef TERN_OP
  Count_
};
constexpr size_t kOpcodeCount = size_t(Opcode::Count_);

enum class ImmKind : uint8_t {
  None,
  Block,         // block type: 0x40, a value type, or a type index (s33)
  Label,         // label index
  BrTable,       // vec(label) default label
  Func,          // function index
  Type,          // type index (call_ref, return_call_ref)
  CallIndirect,  // type index, table index
  Local,
  Global,
  Table,       // table index
  Mem,         // memory index (a 0x00 byte in 2.0)
  MemArg,      // align, offset
  MemArgLane,  // align, offset, lane index
  Lane,        // lane index byte
  Shuffle,     // 16 lane index bytes
  I32,
  I64,
  F32,
  F64,
  V128,
  SelectT,    // vec(valtype)
  RefType,    // reference type byte
  Elem,       // element segment index
  Data,       // data segment index
  MemInit,    // data index, memory index
  MemCopy,    // memory index, memory index
  TableInit,  // element index, table index
  TableCopy,  // table index, table index
  Tag,        // tag index (throw, legacy catch)
  TryTable,   // block type, vec(catch clause): see Instr::targets
  // GC: a type index (Instr::index), then a second u32 (Instr::index2): a field index, an
  // operand count, a data segment, an element segment, or the source array type.
  TypeField,
  TypeCount,
  TypeData,
  TypeElem,
  TypeType,
  HeapType,  // a heap type; the opcode says whether the reference type is nullable
  BrOnCast,  // cast flags, label, source and target heap types (Instr::type, Instr::type2)
};

struct OpcodeInfo {
  uint8_t prefix;  // 0x00, 0xFB, 0xFC or 0xFD
  uint32_t code;   // byte, or the u32 after the prefix
  std::string_view text;
  ImmKind imm;
  uint8_t n;             // natural access size (memory ops) or lane count (lane ops)
  std::string_view sig;  // "ii_i" style, "" when typed by hand
};

const OpcodeInfo& info(Opcode op);
inline std::string_view name_of(Opcode op) {
  return info(op).text;
}

// Looks up the opcode for a one-byte code or a (prefix, code) pair. Empty if unknown.
std::optional<Opcode> opcode_from_byte(uint8_t byte);
std::optional<Opcode> opcode_from_prefixed(uint8_t prefix, uint32_t code);
// Looks up an opcode by its text name ("i32.add"). "select" gives Select; the text reader picks
// SelectT when a result type follows.
std::optional<Opcode> opcode_from_text(std::string_view text);

// The instructions of exception handling, both encodings (the validator types them together; the
// JIT does not compile them yet).
// The instructions of typed function references (Config::features.function_references).
inline bool is_typed_function_reference(Opcode op) {
  switch (op) {
    case Opcode::CallRef:
    case Opcode::ReturnCallRef:
    case Opcode::RefAsNonNull:
    case Opcode::BrOnNull:
    case Opcode::BrOnNonNull:
      return true;
    default:
      return false;
  }
}

inline bool is_exception_handling(Opcode op) {
  switch (op) {
    case Opcode::Throw:
    case Opcode::ThrowRef:
    case Opcode::TryTable:
    case Opcode::Try:
    case Opcode::Catch:
    case Opcode::CatchAll:
    case Opcode::Delegate:
    case Opcode::Rethrow:
      return true;
    default:
      return false;
  }
}

// The instructions of garbage collection (Config::features.gc): ref.eq and every 0xFB one,
// consecutive in opcodes.def.
inline bool is_gc(Opcode op) {
  return op >= Opcode::RefEq && op <= Opcode::I31GetU;
}

// The 20 relaxed SIMD instructions (0xFD 0x100 to 0x113, consecutive in opcodes.def).
inline bool is_relaxed_simd(Opcode op) {
  return op >= Opcode::I8x16RelaxedSwizzle && op <= Opcode::I32x4RelaxedDotI8x16I7x16AddS;
}

}  // namespace tern
