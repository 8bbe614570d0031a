// Converting between typed API values and the untyped cells globals (and the interpreter) hold.
#pragma once

#include "engine/runtime/objects.h"

namespace tern::rt {

inline Cell to_cell(const Value& v) {
  Cell c;
  c.v128 = V128{};  // every byte defined, whatever the type
  switch (v.type()) {
    case ValType::I32:
      c.i32 = uint32_t(v.i32());
      break;
    case ValType::I64:
      c.i64 = uint64_t(v.i64());
      break;
    case ValType::F32:
      c.i32 = v.f32_bits();
      break;
    case ValType::F64:
      c.i64 = v.f64_bits();
      break;
    case ValType::V128:
      c.v128 = v.v128();
      break;
    case ValType::FuncRef:
    case ValType::ExternRef:
      c.ref = v.ref();
      break;
  }
  return c;
}

inline Value from_cell(ValType type, const Cell& c) {
  switch (type) {
    case ValType::I32:
      return Value::i32(int32_t(c.i32));
    case ValType::I64:
      return Value::i64(int64_t(c.i64));
    case ValType::F32:
      return Value::f32_bits(c.i32);
    case ValType::F64:
      return Value::f64_bits(c.i64);
    case ValType::V128:
      return Value::v128(c.v128);
    case ValType::FuncRef:
    case ValType::ExternRef:
      return Value::ref(type, c.ref);
  }
  return Value::zero(type);
}

}  // namespace tern::rt
