// The one value layout every tier and the runtime share: a slot area holds values at 8 bytes
// each (v128: 16), numbers in the low bytes (i32/f32 zero-extended), refs as pointer bits. The
// interpreter's frames, the JIT's value area, host-call arguments and results, and a global's
// Cell all use it, so moving values between them is a copy.
#pragma once

#include <cstdint>
#include <cstring>

#include "tern/types.h"
#include "tern/value.h"

namespace tern::rt {

inline constexpr uint32_t kSlotBytes = 8;
inline uint32_t slot_bytes(ValType t) {
  return t == ValType::V128 ? 16 : kSlotBytes;
}

// The bytes a tag's payload (its parameters) takes in a slot area.
inline uint32_t payload_bytes(const FuncType& tag_type) {
  uint32_t n = 0;
  for (ValType t : tag_type.params) n += slot_bytes(t);
  return n;
}

// Reads and writes a typed value at `slot` (the inverse of each other).
inline Value read_slot(ValType type, const void* slot) {
  uint64_t bits;
  std::memcpy(&bits, slot, sizeof bits);
  switch (storage_type(type)) {
    case ValType::I32:
      return Value::i32(int32_t(uint32_t(bits)));
    case ValType::I64:
      return Value::i64(int64_t(bits));
    case ValType::F32:
      return Value::f32_bits(uint32_t(bits));
    case ValType::F64:
      return Value::f64_bits(bits);
    case ValType::V128: {
      V128 v;
      std::memcpy(&v, slot, sizeof v);
      return Value::v128(v);
    }
    default: {
      // Every reference type (the any hierarchy's too: an i31 is its slot's bits).
      Ref r;
      std::memcpy(&r, slot, sizeof r);
      return Value::ref(type, r);
    }
  }
}

inline void write_slot(void* slot, const Value& v) {
  if (v.type() == ValType::V128) {
    std::memcpy(slot, &v.v128(), sizeof(V128));
  } else if (is_ref(v.type())) {
    Ref r = v.ref();
    std::memcpy(slot, &r, sizeof r);
  } else {
    uint64_t bits = v.raw();
    std::memcpy(slot, &bits, sizeof bits);
  }
}

}  // namespace tern::rt
