// A typed Wasm value as it crosses the embedding API.
#pragma once

#include <tern/types.h>

#include <cstdint>
#include <cstring>
#include <string>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

struct V128 {
  uint8_t bytes[16];  // lane 0 first (little-endian); trivial so it can live in unions
  bool operator==(const V128&) const = default;
};

// A reference: a function (rt::FuncInstance*) for funcref, an embedder pointer for externref.
// nullptr is the null reference of either type.
using Ref = void*;

class Value {
 public:
  Value() : type_(ValType::I32) { bits_.v = {}; }
  static Value i32(int32_t v) {
    Value r(ValType::I32);
    r.bits_.u64 = uint32_t(v);
    return r;
  }
  static Value i64(int64_t v) {
    Value r(ValType::I64);
    r.bits_.u64 = uint64_t(v);
    return r;
  }
  static Value f32(float v) {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    return f32_bits(b);
  }
  static Value f64(double v) {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    return f64_bits(b);
  }
  static Value f32_bits(uint32_t b) {
    Value r(ValType::F32);
    r.bits_.u64 = b;
    return r;
  }
  static Value f64_bits(uint64_t b) {
    Value r(ValType::F64);
    r.bits_.u64 = b;
    return r;
  }
  static Value v128(const V128& v) {
    Value r(ValType::V128);
    r.bits_.v = v;
    return r;
  }
  static Value ref(ValType t, Ref p) {
    Value r(t);
    r.bits_.ref = p;
    return r;
  }
  static Value funcref(Ref p) { return ref(ValType::FuncRef, p); }
  static Value externref(Ref p) { return ref(ValType::ExternRef, p); }
  static Value zero(ValType t) {
    Value r(t);
    r.bits_.v = {};
    return r;
  }

  ValType type() const { return type_; }
  int32_t i32() const { return int32_t(uint32_t(bits_.u64)); }
  int64_t i64() const { return int64_t(bits_.u64); }
  uint32_t f32_bits() const { return uint32_t(bits_.u64); }
  uint64_t f64_bits() const { return bits_.u64; }
  float f32() const {
    float f;
    uint32_t b = f32_bits();
    std::memcpy(&f, &b, 4);
    return f;
  }
  double f64() const {
    double d;
    std::memcpy(&d, &bits_.u64, 8);
    return d;
  }
  const V128& v128() const { return bits_.v; }
  Ref ref() const { return bits_.ref; }
  bool is_null() const { return bits_.ref == nullptr; }

  // Raw 64-bit payload (i32/f32 zero-extended, refs as pointer bits); v128 has low half only.
  uint64_t raw() const { return bits_.u64; }

 private:
  explicit Value(ValType t) : type_(t) { bits_.v = {}; }
  ValType type_;
  union {
    uint64_t u64;
    Ref ref;
    V128 v;
  } bits_;
};

// Text for diagnostics and the CLI: integers in decimal, floats in shortest round-trip form.
std::string to_string(const Value& v);

}  // namespace tern

#pragma GCC visibility pop
