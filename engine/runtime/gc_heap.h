// A store's GC heap: the struct and array objects of Wasm GC, and the boxes that give host
// references an identity in the any hierarchy (any.convert_extern).
//
// An object is a 16-byte header followed by its fields, unboxed at their storage width (i8 and
// i16 packed, references as 8-byte slots; engine/runtime/gc_type.h gives the layout). The
// header names the object's canonical type, whose declared supertypes a cast walks, and an
// array's length. Objects are 8-aligned, so a reference to one never has the low bit an i31
// has (engine/runtime/i31.h).
//
// The collector is a null collector for now (docs/gc.md): objects live until their store dies.
// The heap is laid out for a precise collector to come: objects sit back to back in chunks and
// each one's size follows from its header (for_each_object), and each type lists its reference
// fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "engine/runtime/gc_type.h"

namespace tern::rt {

struct GcObject {
  // The object's type; null for a host box (a host reference converted into the any
  // hierarchy), whose field is the host pointer.
  const GcType* type = nullptr;
  uint32_t length = 0;  // an array's length
  uint32_t reserved = 0;

  uint8_t* fields() { return reinterpret_cast<uint8_t*>(this + 1); }
  bool is_host_box() const { return type == nullptr; }
  bool is_struct() const { return type && type->kind == CompositeKind::Struct; }
  bool is_array() const { return type && type->kind == CompositeKind::Array; }
};
static_assert(sizeof(GcObject) == 16);

class GcHeap {
 public:
  GcHeap() = default;
  GcHeap(const GcHeap&) = delete;
  GcHeap& operator=(const GcHeap&) = delete;
  ~GcHeap();

  // A new object with zero (default) fields, or null when it would take the heap past
  // `limit` bytes or the system has no memory for it.
  GcObject* new_struct(const GcType& type, uint64_t limit);
  GcObject* new_array(const GcType& type, uint32_t length, uint64_t limit);
  // The one box of host reference `host` (not null), made on its first conversion so that
  // converting the same reference twice gives the same object; null at the limit.
  GcObject* box_host(void* host, uint64_t limit);
  // Whether `p` points into this heap (an object, as opposed to a host reference).
  bool contains(const void* p) const;

  uint64_t bytes() const { return bytes_; }
  // Calls f(GcObject*) for every object, in allocation order within each chunk.
  template <class F>
  void for_each_object(F&& f) const {
    for (const Chunk& c : chunks_) {
      for (size_t at = 0; at < c.used;) {
        auto* o = reinterpret_cast<GcObject*>(c.base + at);
        f(o);
        at += object_bytes(*o);
      }
    }
  }
  static uint64_t object_bytes(const GcObject& o);

 private:
  struct Chunk {
    uint8_t* base = nullptr;
    size_t size = 0;
    size_t used = 0;
  };
  GcObject* allocate(uint64_t bytes, uint64_t limit);

  std::vector<Chunk> chunks_;              // the last one is bumped into
  std::map<uintptr_t, uintptr_t> ranges_;  // chunk start → end, for contains
  std::unordered_map<void*, GcObject*> boxes_;
  uint64_t bytes_ = 0;  // the objects' bytes, which the limit bounds
};

}  // namespace tern::rt
