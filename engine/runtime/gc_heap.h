// A store's GC heap: the struct and array objects of Wasm GC, and the boxes that give host
// references an identity in the any hierarchy (any.convert_extern).
//
// An object is a 16-byte header followed by its fields, unboxed at their storage width (i8 and
// i16 packed, references as 8-byte slots; engine/runtime/gc_type.h gives the layout). The
// header names the object's canonical type, whose declared supertypes a cast walks, and an
// array's length. Objects are 8-aligned, so a reference to one never has the low bit an i31
// has (engine/runtime/i31.h).
//
// Memory management is mark-sweep, non-moving (docs/gc.md). Objects sit back to back in 1 MiB
// chunks (a large one gets a chunk of its own), every byte of a chunk belonging to an object or
// to a free cell, so a sweep walks a chunk by the sizes its headers give. Allocation bumps a
// pointer through the current free region: a fresh chunk, or a hole a sweep left. This file is
// the heap's half; engine/runtime/gc_collector.* finds the roots, marks, and decides when.
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
  uint32_t length = 0;   // an array's length; a free cell's size in bytes
  uint32_t gc_bits = 0;  // the collector's mark

  uint8_t* fields() { return reinterpret_cast<uint8_t*>(this + 1); }
  bool is_host_box() const { return type == nullptr; }
  bool is_struct() const { return type && type->kind == CompositeKind::Struct; }
  bool is_array() const { return type && type->kind == CompositeKind::Array; }
};
static_assert(sizeof(GcObject) == 16);

class GcHeap {
 public:
  // The first collection comes after this many bytes; each later one after the heap has grown
  // by what the previous one kept, but at least this much.
  static constexpr uint64_t kMinCollectionBytes = uint64_t(1) << 20;

  GcHeap() = default;
  GcHeap(const GcHeap&) = delete;
  GcHeap& operator=(const GcHeap&) = delete;
  ~GcHeap();

  // The bytes an object takes, header included (a multiple of 8).
  static uint64_t struct_bytes(const GcType& type);
  static uint64_t array_bytes(const GcType& type, uint32_t length);
  static constexpr uint64_t kBoxBytes = sizeof(GcObject) + sizeof(void*);
  static uint64_t object_bytes(const GcObject& o);

  // A zeroed object of `bytes`, its header still to be set; null when the heap would hold
  // more than `limit` bytes of objects or the system has no memory for it.
  GcObject* allocate(uint64_t bytes, uint64_t limit);
  // Whether the collection policy wants a collection before `bytes` more are allocated: the
  // heap has grown by as much as the last collection kept (at least a floor), or stress mode.
  bool wants_collection(uint64_t bytes) const {
    return stress_ || bytes_ + bytes > next_collection_;
  }
  void set_stress(bool on) { stress_ = on; }

  // The one box of host reference `host`, if it has one; boxes are made by the caller so that
  // converting the same reference twice gives the same object.
  GcObject* find_box(void* host) const;
  void add_box(void* host, GcObject* box) { boxes_.emplace(host, box); }
  // Whether `p` points into this heap (an object, as opposed to a host reference).
  bool contains(const void* p) const;

  // A collection: the collector marks every reachable object (mark() is true the first time),
  // then sweep() frees the others, clears the marks, and sets the next trigger from what it
  // kept (`limit` caps it).
  static bool mark(GcObject* o) {
    if (o->gc_bits) return false;
    o->gc_bits = 1;
    return true;
  }
  void sweep(uint64_t limit);

  uint64_t bytes() const { return bytes_; }
  uint64_t live_bytes() const { return live_bytes_; }
  uint64_t freed_bytes() const { return freed_bytes_; }

 private:
  struct Chunk {
    uint8_t* base = nullptr;
    size_t size = 0;
  };
  struct Region {
    uint8_t* begin;
    uint8_t* end;
  };
  // Makes [begin, end) a free cell (sizes are multiples of 8; a cell takes at least 16).
  static void make_free_cell(uint8_t* begin, uint8_t* end);
  // Ends allocation in the current region; what is left of it becomes a free cell.
  void retire_region();
  bool next_region(uint64_t bytes);  // a region with room for `bytes`, from holes or a new chunk
  bool add_chunk(uint64_t size);
  GcObject* allocate_large(uint64_t bytes);
  // Sweeps one chunk: frees its dead objects (merging neighbouring free space into one cell,
  // recorded as a hole) and returns whether anything in it survived.
  bool sweep_chunk(const Chunk& c);

  std::vector<Chunk> chunks_;
  std::map<uintptr_t, uintptr_t> ranges_;   // chunk start → end, for contains
  uintptr_t low_ = UINTPTR_MAX, high_ = 0;  // the chunks' span, a quick test before ranges_
  Region region_{nullptr, nullptr};         // allocation bumps region_.begin
  bool region_zeroed_ = false;              // a fresh chunk's: calloc zeroed it
  std::vector<Region> holes_;               // free cells the last sweep left, allocated in order
  size_t next_hole_ = 0;
  std::unordered_map<void*, GcObject*> boxes_;
  uint64_t bytes_ = 0;  // the objects' bytes, which the limit bounds
  uint64_t live_bytes_ = 0;
  uint64_t freed_bytes_ = 0;
  uint64_t next_collection_ = kMinCollectionBytes;
  bool stress_ = false;
};

}  // namespace tern::rt
