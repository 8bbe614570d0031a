// The runtime's view of a canonical type (engine/type_canon.h) for GC: its kind, its declared
// supertype and, for structs and arrays, the layout of its objects (engine/runtime/gc_heap.h).
// The engine's TypeRegistry keeps one per canonical id for the engine's life, so a heap object's
// header points at its GcType and a cast walks `super` pointers without a lock.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/composite_type.h"

namespace tern::rt {

// The bytes a field takes in an object: packed fields at their width, references as a slot.
inline uint32_t field_bytes(const FieldType& f) {
  if (f.packed == Packed::I8) return 1;
  if (f.packed == Packed::I16) return 2;
  switch (f.type) {
    case ValType::I32:
    case ValType::F32:
      return 4;
    case ValType::V128:
      return 16;
    default:
      return 8;  // i64, f64, references
  }
}

// How a field is read and written: its width, and for a packed read whether it sign-extends.
// The interpreter's struct and array ops carry one as an immediate.
enum class FieldAccess : uint32_t { I8S, I8U, I16S, I16U, B32, B64, B128 };

inline FieldAccess field_access(const FieldType& f, bool signed_read = false) {
  if (f.packed == Packed::I8) return signed_read ? FieldAccess::I8S : FieldAccess::I8U;
  if (f.packed == Packed::I16) return signed_read ? FieldAccess::I16S : FieldAccess::I16U;
  switch (field_bytes(f)) {
    case 4:
      return FieldAccess::B32;
    case 16:
      return FieldAccess::B128;
    default:
      return FieldAccess::B64;
  }
}

// Each field's offset from the start of a struct's fields, in declaration order, each aligned
// to its size (at most 8: objects are 8-aligned, and v128 fields are read with memcpy); the
// last entry is the fields' total size rounded up to 8.
inline std::vector<uint32_t> struct_offsets(std::span<const FieldType> fields) {
  std::vector<uint32_t> offsets;
  uint32_t at = 0;
  for (const FieldType& f : fields) {
    uint32_t align = field_bytes(f) < 8 ? field_bytes(f) : 8;
    at = (at + align - 1) / align * align;
    offsets.push_back(at);
    at += field_bytes(f);
  }
  offsets.push_back((at + 7) / 8 * 8);
  return offsets;
}

struct GcType {
  uint32_t id = 0;  // the canonical id
  CompositeKind kind = CompositeKind::Func;
  const GcType* super = nullptr;  // the declared supertype, if any
  // Struct: the fields; array: its one element type. Reference types hold canonical ids.
  std::vector<FieldType> fields;
  std::vector<uint32_t> offsets;  // struct: struct_offsets(fields)
  // The offsets of reference fields (struct), for a collector to trace; for an array, whether
  // its elements are references is fields[0]'s type.
  std::vector<uint32_t> ref_offsets;

  uint32_t struct_bytes() const { return offsets.empty() ? 0 : offsets.back(); }
  uint32_t elem_bytes() const { return field_bytes(fields[0]); }
  // Whether this type is `other` or declares it as a (transitive) supertype.
  bool is_subtype_of(const GcType* other) const {
    for (const GcType* t = this; t; t = t->super) {
      if (t == other) return true;
    }
    return false;
  }
};

}  // namespace tern::rt
