#include "engine/runtime/gc_heap.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace tern::rt {

namespace {

// Small objects are bumped into chunks of this size; a larger object gets a chunk of its own.
constexpr uint64_t kChunkBytes = uint64_t(1) << 20;
constexpr uint64_t kLargeBytes = kChunkBytes / 4;
// A free cell is a header at least: what a region must keep when it is not used up exactly.
constexpr uint64_t kMinCell = sizeof(GcObject);

// The type a free cell's header names. Never seen by wasm: no reference points at a free cell.
const GcType kFreeCell{};

uint64_t round8(uint64_t n) {
  return (n + 7) & ~uint64_t(7);
}

bool fits(uint64_t room, uint64_t bytes) {
  return room == bytes || room >= bytes + kMinCell;
}

}  // namespace

GcHeap::~GcHeap() {
  for (Chunk& c : chunks_) std::free(c.base);
}

uint64_t GcHeap::struct_bytes(const GcType& type) {
  return sizeof(GcObject) + type.struct_bytes();
}

uint64_t GcHeap::array_bytes(const GcType& type, uint32_t length) {
  return sizeof(GcObject) + round8(uint64_t(length) * type.elem_bytes());
}

uint64_t GcHeap::object_bytes(const GcObject& o) {
  if (o.type == &kFreeCell) return o.length;
  if (o.is_host_box()) return kBoxBytes;
  if (o.is_struct()) return struct_bytes(*o.type);
  return array_bytes(*o.type, o.length);
}

void GcHeap::make_free_cell(uint8_t* begin, uint8_t* end) {
  auto* cell = reinterpret_cast<GcObject*>(begin);
  cell->type = &kFreeCell;
  cell->length = uint32_t(end - begin);  // within one small chunk: below 4 GiB
  cell->gc_bits = 0;
}

void GcHeap::retire_region() {
  if (region_.begin < region_.end) make_free_cell(region_.begin, region_.end);
  region_ = Region{nullptr, nullptr};
}

bool GcHeap::add_chunk(uint64_t size) {
  if (size > SIZE_MAX) return false;
  // calloc: a fresh chunk is zero, which every new object's fields start as, and a large
  // array's untouched pages stay unmapped.
  auto* base = static_cast<uint8_t*>(std::calloc(1, size_t(size)));
  if (!base) return false;
  chunks_.push_back(Chunk{base, size_t(size)});
  ranges_[uintptr_t(base)] = uintptr_t(base) + size;
  low_ = std::min(low_, uintptr_t(base));
  high_ = std::max(high_, uintptr_t(base) + size_t(size));
  return true;
}

bool GcHeap::next_region(uint64_t bytes) {
  retire_region();
  while (next_hole_ < holes_.size()) {
    Region h = holes_[next_hole_++];
    if (fits(uint64_t(h.end - h.begin), bytes)) {
      region_ = h;
      region_zeroed_ = false;
      return true;
    }
    // Too small: it stays a free cell until a sweep merges it with its neighbours.
  }
  if (!add_chunk(kChunkBytes)) return false;
  region_ = Region{chunks_.back().base, chunks_.back().base + kChunkBytes};
  region_zeroed_ = true;
  return true;
}

GcObject* GcHeap::allocate_large(uint64_t bytes) {
  if (!add_chunk(bytes)) return nullptr;
  return reinterpret_cast<GcObject*>(chunks_.back().base);
}

GcObject* GcHeap::allocate(uint64_t bytes, uint64_t limit) {
  if (bytes > limit || bytes_ > limit - bytes) return nullptr;
  GcObject* o;
  if (bytes > kLargeBytes) {
    o = allocate_large(bytes);
    if (!o) return nullptr;
  } else {
    if (!fits(uint64_t(region_.end - region_.begin), bytes) && !next_region(bytes)) {
      return nullptr;
    }
    o = reinterpret_cast<GcObject*>(region_.begin);
    region_.begin += bytes;
    if (!region_zeroed_) std::memset(static_cast<void*>(o), 0, size_t(bytes));
  }
  bytes_ += bytes;
  return o;
}

GcObject* GcHeap::find_box(void* host) const {
  auto it = boxes_.find(host);
  return it == boxes_.end() ? nullptr : it->second;
}

bool GcHeap::contains(const void* p) const {
  uintptr_t a = uintptr_t(p);
  if (a < low_ || a >= high_) return false;
  auto it = ranges_.upper_bound(a);
  if (it == ranges_.begin()) return false;
  --it;
  return a < it->second;
}

bool GcHeap::sweep_chunk(const Chunk& c) {
  size_t first_hole = holes_.size();
  bool survived = false;
  uint8_t* run = nullptr;  // start of the free space being merged
  uint8_t* const end = c.base + c.size;
  auto end_run = [&](uint8_t* at) {
    if (!run) return;
    make_free_cell(run, at);
    holes_.push_back(Region{run, at});
    run = nullptr;
  };
  for (uint8_t* at = c.base; at < end;) {
    auto* o = reinterpret_cast<GcObject*>(at);
    uint64_t size = object_bytes(*o);
    if (o->type != &kFreeCell) {
      if (o->gc_bits) {
        o->gc_bits = 0;
        live_bytes_ += size;
        survived = true;
        end_run(at);
        at += size;
        continue;
      }
      if (o->is_host_box()) {
        void* host;
        std::memcpy(&host, o->fields(), sizeof host);
        boxes_.erase(host);
      }
      freed_bytes_ += size;
    }
    if (!run) run = at;
    at += size;
  }
  end_run(end);
  if (!survived) holes_.resize(first_hole);
  return survived;
}

void GcHeap::sweep(uint64_t limit) {
  retire_region();
  holes_.clear();
  next_hole_ = 0;
  live_bytes_ = 0;
  const uint64_t keep_bound = std::min(next_collection_, limit);
  uint64_t kept_bytes = 0;
  std::vector<Chunk> kept;
  kept.reserve(chunks_.size());
  for (const Chunk& c : chunks_) {
    if (sweep_chunk(c)) {
      kept.push_back(c);
      kept_bytes += c.size;
      continue;
    }
    // An empty small chunk is kept as one hole while the heap stays within the size that
    // triggered this collection: freeing and recalloc-ing it every cycle costs page faults.
    if (c.size == kChunkBytes && kept_bytes + c.size <= keep_bound) {
      make_free_cell(c.base, c.base + c.size);
      holes_.push_back(Region{c.base, c.base + c.size});
      kept.push_back(c);
      kept_bytes += c.size;
      continue;
    }
    ranges_.erase(uintptr_t(c.base));
    std::free(c.base);
  }
  chunks_ = std::move(kept);
  low_ = UINTPTR_MAX;
  high_ = 0;
  for (const Chunk& c : chunks_) {
    low_ = std::min(low_, uintptr_t(c.base));
    high_ = std::max(high_, uintptr_t(c.base) + c.size);
  }
  bytes_ = live_bytes_;
  next_collection_ = std::max(kMinCollectionBytes, 2 * live_bytes_);
}

}  // namespace tern::rt
