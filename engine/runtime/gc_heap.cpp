#include "engine/runtime/gc_heap.h"

#include <cstdlib>

namespace tern::rt {

namespace {

// Small objects are bumped into chunks of this size; a larger object gets a chunk of its own.
constexpr uint64_t kChunkBytes = uint64_t(1) << 20;

uint64_t round8(uint64_t n) {
  return (n + 7) & ~uint64_t(7);
}

}  // namespace

GcHeap::~GcHeap() {
  for (Chunk& c : chunks_) std::free(c.base);
}

uint64_t GcHeap::object_bytes(const GcObject& o) {
  if (o.is_host_box()) return sizeof(GcObject) + sizeof(void*);
  if (o.is_struct()) return sizeof(GcObject) + o.type->struct_bytes();
  return sizeof(GcObject) + round8(uint64_t(o.length) * o.type->elem_bytes());
}

GcObject* GcHeap::allocate(uint64_t bytes, uint64_t limit) {
  if (bytes > limit || bytes_ > limit - bytes) return nullptr;
  if (chunks_.empty() || chunks_.back().size - chunks_.back().used < bytes) {
    // calloc: fresh chunks are zero, which every new object's fields start as, and a large
    // array's untouched pages stay unmapped.
    uint64_t size = bytes > kChunkBytes / 4 ? bytes : kChunkBytes;
    if (size > SIZE_MAX) return nullptr;
    auto* base = static_cast<uint8_t*>(std::calloc(1, size_t(size)));
    if (!base) return nullptr;
    ranges_[uintptr_t(base)] = uintptr_t(base) + size;
    // A large object fills its own chunk; the next small one starts a new bump chunk.
    chunks_.push_back(Chunk{base, size_t(size), 0});
  }
  Chunk& c = chunks_.back();
  auto* o = reinterpret_cast<GcObject*>(c.base + c.used);
  c.used += size_t(bytes);
  bytes_ += bytes;
  return o;
}

GcObject* GcHeap::new_struct(const GcType& type, uint64_t limit) {
  GcObject* o = allocate(sizeof(GcObject) + type.struct_bytes(), limit);
  if (o) o->type = &type;
  return o;
}

GcObject* GcHeap::new_array(const GcType& type, uint32_t length, uint64_t limit) {
  GcObject* o = allocate(sizeof(GcObject) + round8(uint64_t(length) * type.elem_bytes()), limit);
  if (!o) return nullptr;
  o->type = &type;
  o->length = length;
  return o;
}

GcObject* GcHeap::box_host(void* host, uint64_t limit) {
  auto it = boxes_.find(host);
  if (it != boxes_.end()) return it->second;
  GcObject* o = allocate(sizeof(GcObject) + sizeof(void*), limit);
  if (!o) return nullptr;
  *reinterpret_cast<void**>(o->fields()) = host;
  boxes_.emplace(host, o);
  return o;
}

bool GcHeap::contains(const void* p) const {
  auto it = ranges_.upper_bound(uintptr_t(p));
  if (it == ranges_.begin()) return false;
  --it;
  return uintptr_t(p) < it->second;
}

}  // namespace tern::rt
