#include "engine/decoder/instr_reader.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "engine/decoder/disabled_proposals.h"

namespace tern {
namespace {

// Lookups on the hot path without the general tables' function-local statics: the opcode of
// each single byte and the immediate kind of each opcode.
struct Tables {
  std::array<int16_t, 256> op;
  std::array<ImmKind, kOpcodeCount> imm;
  Tables() {
    for (int b = 0; b < 256; ++b) {
      auto o = opcode_from_byte(uint8_t(b));
      op[b] = o ? int16_t(*o) : int16_t(-1);
    }
    for (size_t i = 0; i < kOpcodeCount; ++i) imm[i] = info(Opcode(i)).imm;
  }
};
const Tables kTables;

// A memory index: a u32 with multi-memory, else a single zero byte as in 2.0 (not a LEB128 that
// happens to be zero).
uint32_t memory_index(Reader& r, const WasmFeatures& features) {
  if (features.multi_memory) return r.u32();
  size_t at = r.pos();
  if (r.u8() != 0 && r.ok()) r.fail_at("zero byte expected", at);
  return 0;
}

// The alignment flags, the memory index when flag bit 6 says one follows (multi-memory: flags
// below 128, any alignment the validator then bounds; 2.0: flags below 32), and the offset: a
// u64 with memory64 (the validator bounds it by the memory's address type), else a u32.
void memarg(Reader& r, MemArg& m, const WasmFeatures& features) {
  constexpr uint32_t kHasMemoryIndex = 0x40;
  size_t at = r.pos();
  uint32_t flags = r.u32();
  m.memory = 0;
  if (r.ok() && flags >= (features.multi_memory ? 2 * kHasMemoryIndex : 32)) {
    r.fail_at("malformed memop flags", at);
  }
  if (r.ok() && (flags & kHasMemoryIndex)) {
    flags -= kHasMemoryIndex;
    m.memory = r.u32();
  }
  m.align_log2 = flags;
  m.offset = features.memory64 ? r.u64() : r.u32();
}

// try_table's catch clauses into `targets`, three units each (see Instr::targets).
void read_catches(Reader& r, Instr& in, std::vector<uint32_t>& targets) {
  uint32_t n = r.count();
  targets.clear();
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    size_t at = r.pos();
    uint8_t kind = r.u8();
    if (r.ok() && kind > uint8_t(CatchKind::CatchAllRef)) {
      r.fail_at("malformed catch clause", at);
      break;
    }
    bool has_tag = kind == uint8_t(CatchKind::Catch) || kind == uint8_t(CatchKind::CatchRef);
    uint32_t tag = has_tag ? r.u32() : 0;
    uint32_t label = r.u32();
    targets.insert(targets.end(), {kind, tag, label});
  }
  in.targets = {targets.data(), targets.size()};
}

}  // namespace

namespace {

// The abstract heap types' bytes (binary/types.rst): 0x69 exn to 0x74 noexn.
bool is_abstract_heap_byte(uint8_t b) {
  return b >= uint8_t(HeapKind::Exn) && b <= uint8_t(HeapKind::NoExn);
}

// Those of the GC proposal's type lattice: every one but func, extern and exn, which came before.
bool is_gc_heap_byte(uint8_t b) {
  return is_abstract_heap_byte(b) && b != uint8_t(HeapKind::Func) &&
         b != uint8_t(HeapKind::Extern) && b != uint8_t(HeapKind::Exn);
}

// br_on_cast's flags: bit 0 makes the source type nullable, bit 1 the target type.
void read_cast_types(Reader& r, Instr& in) {
  size_t at = r.pos();
  uint8_t flags = r.u8();
  if (r.ok() && flags > 3) r.fail_at("malformed cast flags", at);
  in.index = r.u32();
  in.type = read_heap_type(r, flags & 1);
  in.type2 = read_heap_type(r, flags & 2);
}

}  // namespace

ValType read_heap_type(Reader& r, bool nullable) {
  size_t at = r.pos();
  uint8_t first = r.peek();
  int64_t v = r.s33();
  if (!r.ok()) return ValType::FuncRef;
  if (v >= 0) {
    // An index this large is beyond every type limit: the validator reports it unknown.
    return ref_to_type(uint32_t(std::min<int64_t>(v, reftype_bits::kMaxIndex)), nullable);
  }
  uint8_t b = uint8_t(v & 0x7F);
  if (v < -64 || !is_abstract_heap_byte(b) || (is_gc_heap_byte(b) && !r.features().gc)) {
    if (v < -64 || !fail_disabled_type(r, first, at)) {
      r.fail_at("malformed reference type", at);
    }
    return ValType::FuncRef;
  }
  return ref_type(HeapKind(b), nullable);
}

ValType read_valtype(Reader& r) {
  size_t at = r.pos();
  uint8_t b = r.u8();
  if (is_valtype_byte(b)) return ValType(b);
  if (is_gc_heap_byte(b) && r.features().gc) return ref_type(HeapKind(b), true);
  if ((b == 0x63 || b == 0x64) && r.features().function_references) {
    return read_heap_type(r, b == 0x63);
  }
  if (!fail_disabled_type(r, b, at)) r.fail_at("malformed value type", at);
  return ValType::I32;
}

ValType read_reftype(Reader& r) {
  size_t at = r.pos();
  uint8_t b = r.peek();
  if (is_valtype_byte(b) && !is_ref(ValType(b))) {
    r.u8();
    r.fail_at("malformed reference type", at);
    return ValType::FuncRef;
  }
  ValType t = read_valtype(r);
  return r.ok() ? t : ValType::FuncRef;
}

bool read_instr(Reader& r, Instr& in, std::vector<uint32_t>& targets, uint32_t max_br_table_targets,
                const WasmFeatures& features) {
  in.offset = uint32_t(r.pos());
  uint8_t b = r.u8();
  if (!r.ok()) return false;
  int16_t op = kTables.op[b];
  if (b == 0xFB || b == 0xFC || b == 0xFD) {
    uint32_t code = r.u32();
    if (!r.ok()) return false;
    auto o = opcode_from_prefixed(b, code);
    op = o ? int16_t(*o) : int16_t(-1);
  }
  if (op < 0) return r.fail_at("illegal opcode", in.offset);
  in.op = Opcode(op);
  if (is_gc(in.op) && !features.gc) {
    return r.fail_disabled(name_of(in.op), "garbage collection", "gc", in.offset);
  }
  if (is_relaxed_simd(in.op) && !features.relaxed_simd) {
    return r.fail_disabled(name_of(in.op), "relaxed SIMD", "relaxed-simd", in.offset);
  }
  ImmKind imm = kTables.imm[size_t(op)];
  if (imm == ImmKind::None) {
    in.end = uint32_t(r.pos());
    return true;
  }
  switch (imm) {
    case ImmKind::None:
      break;
    case ImmKind::Block:
    case ImmKind::TryTable: {
      uint8_t first = r.peek();
      if (first == 0x40 || is_valtype_byte(first)) {
        r.u8();
        in.bits = uint64_t(int64_t(int8_t(uint8_t(first << 1)) >> 1));  // its s33 reading
      } else if (first == 0x63 || first == 0x64 || is_gc_heap_byte(first)) {
        in.type = read_valtype(r);  // a reference type beyond one byte: see kRefBlockType
        in.bits = uint64_t(kRefBlockType);
      } else {
        size_t at = r.pos();
        int64_t index = r.s33();
        if (r.ok() && index < 0 && !fail_disabled_type(r, first, at)) {
          r.fail_at("malformed block type", at);
        }
        in.bits = uint64_t(index);
      }
      if (imm == ImmKind::TryTable) read_catches(r, in, targets);
      break;
    }
    case ImmKind::Label:
    case ImmKind::Tag:
    case ImmKind::Func:
    case ImmKind::Type:
    case ImmKind::Local:
    case ImmKind::Global:
    case ImmKind::Table:
    case ImmKind::Elem:
    case ImmKind::Data:
      in.index = r.u32();
      break;
    case ImmKind::BrTable: {
      uint32_t n = r.limited_count("br_table targets", "br_table_targets", max_br_table_targets);
      targets.clear();
      for (uint32_t i = 0; i <= n && r.ok(); ++i) targets.push_back(r.u32());
      in.targets = {targets.data(), targets.size()};
      break;
    }
    case ImmKind::CallIndirect:
      in.index = r.u32();
      in.index2 = r.u32();
      break;
    case ImmKind::Mem:
      in.index = memory_index(r, features);
      break;
    case ImmKind::MemArg:
      memarg(r, in.mem, features);
      break;
    case ImmKind::MemArgLane:
      memarg(r, in.mem, features);
      in.lane = r.u8();
      break;
    case ImmKind::Lane:
      in.lane = r.u8();
      break;
    case ImmKind::Shuffle:
    case ImmKind::V128:
      if (const uint8_t* p = r.bytes(16)) std::memcpy(in.v128.bytes, p, 16);
      break;
    case ImmKind::I32:
      in.bits = uint64_t(int64_t(r.s32()));
      break;
    case ImmKind::I64:
      in.bits = uint64_t(r.s64());
      break;
    case ImmKind::F32:
      in.bits = r.fixed32();
      break;
    case ImmKind::F64:
      in.bits = r.fixed64();
      break;
    case ImmKind::SelectT: {
      uint32_t n = r.count();
      in.index = n;
      in.type = ValType::I32;
      for (uint32_t i = 0; i < n && r.ok(); ++i) {
        ValType t = read_valtype(r);
        if (i == 0) in.type = t;
      }
      break;
    }
    case ImmKind::RefType:
      in.type = read_heap_type(r, true);
      break;
    case ImmKind::MemInit:
      in.index = r.u32();
      in.index2 = memory_index(r, features);
      break;
    case ImmKind::MemCopy:
      in.index = memory_index(r, features);
      in.index2 = memory_index(r, features);
      break;
    case ImmKind::TableInit:
    case ImmKind::TableCopy:
    case ImmKind::TypeField:
    case ImmKind::TypeCount:
    case ImmKind::TypeData:
    case ImmKind::TypeElem:
    case ImmKind::TypeType:
      in.index = r.u32();
      in.index2 = r.u32();
      break;
    case ImmKind::HeapType:
      in.type = read_heap_type(r, in.op == Opcode::RefTestNull || in.op == Opcode::RefCastNull);
      break;
    case ImmKind::BrOnCast:
      read_cast_types(r, in);
      break;
  }
  in.end = uint32_t(r.pos());
  return r.ok();
}

}  // namespace tern
