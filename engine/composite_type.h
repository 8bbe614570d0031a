// The composite types of Wasm GC (syntax/types.rst): a type definition is a function, a struct
// or an array type. Structs and arrays are made of fields, whose storage type is a value type or
// a packed integer (i8, i16) that reads as i32.
#pragma once

#include <cstdint>

#include "tern/types.h"

namespace tern {

enum class CompositeKind : uint8_t { Func, Struct, Array };

// A packed storage type, by its binary byte (binary/types.rst); None for a value type.
enum class Packed : uint8_t { None = 0, I8 = 0x78, I16 = 0x77 };

struct FieldType {
  ValType type = ValType::I32;  // the value type, or I32 for a packed field
  Packed packed = Packed::None;
  bool mut = false;
  bool operator==(const FieldType&) const = default;
};

// The type a field's value has on the operand stack: a packed field reads as i32.
inline ValType unpacked(const FieldType& f) {
  return f.packed == Packed::None ? f.type : ValType::I32;
}
// A type with a default value (valid/types.rst): a number, a vector, or a nullable reference.
inline bool defaultable(ValType t) {
  return !is_ref(t) || is_nullable(t);
}

// The index of a type with no declared supertype.
constexpr uint32_t kNoSuper = UINT32_MAX;

}  // namespace tern
