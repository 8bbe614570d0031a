// Values crossing between wasm_val_t and the engine's Value.
#include "capi/internal.h"

namespace tern::capi {

std::optional<Value> value_of(wasm_store_t* store, const wasm_val_t& v, ValType expected) {
  if (valtype_of(v.kind) != expected) return std::nullopt;
  switch (expected) {
    case ValType::I32:
      return Value::i32(v.of.i32);
    case ValType::I64:
      return Value::i64(v.of.i64);
    case ValType::F32:
      return Value::f32(v.of.f32);
    case ValType::F64:
      return Value::f64(v.of.f64);
    case ValType::FuncRef:
    case ValType::ExternRef: {
      auto ref = engine_ref_of(store, v.of.ref, expected);
      if (!ref) return std::nullopt;
      return Value::ref(expected, *ref);
    }
    case ValType::V128:
    case ValType::ExnRef:
      break;  // wasm_val_t has no room for 128 bits, wasm.h no exnref
  }
  return std::nullopt;
}

wasm_val_t val_of(wasm_store_t* store, const Value& v) {
  wasm_val_t out;
  out.kind = valkind_of(v.type());
  switch (storage_type(v.type())) {
    case ValType::I32:
      out.of.i32 = v.i32();
      break;
    case ValType::I64:
      out.of.i64 = v.i64();
      break;
    case ValType::F32:
      out.of.f32 = v.f32();
      break;
    case ValType::F64:
      out.of.f64 = v.f64();
      break;
    case ValType::FuncRef:
    case ValType::ExternRef:
      out.of.ref = ref_of(store, v.type(), v.ref());
      break;
    case ValType::ExnRef:
      out.of.ref = nullptr;  // wasm.h has no exnref
      break;
    case ValType::V128:
      out.of.i64 = int64_t(v.raw());
      break;  // the low half: all that fits
  }
  return out;
}

}  // namespace tern::capi
