// Building memory images in memfds and mapping them; see memory_image.h. Off Linux, or when a
// system call fails, a module simply has no images and its segments are copied.
#include "engine/runtime/memory_image.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <optional>

#include "engine/runtime/const_expr.h"
#include "engine/runtime/objects.h"
#include "engine/runtime/os_memory.h"
#include "tern/engine.h"

namespace tern::rt {

namespace {

// Where an active segment starts, if its offset is a constant: evaluated against an instance
// with no globals, so global.get fails and the offset counts as unknown.
std::optional<uint64_t> constant_offset(const DataSegment& seg) {
  static const Instance kEmpty{};
  auto v = eval_const_expr(seg.offset, kEmpty);
  if (!v) return std::nullopt;
  return v->type() == ValType::I64 ? uint64_t(v->i64()) : uint64_t(uint32_t(v->i32()));
}

struct Placement {
  const DataSegment* seg;
  uint64_t start;
};

// Every active segment with its constant offset, if all of them fit in defined memories at
// their initial sizes; otherwise nothing, since then some segment may trap part-way.
std::optional<std::vector<Placement>> place_segments(const ModuleInfo& mi) {
  std::vector<Placement> placed;
  for (const DataSegment& seg : mi.datas) {
    if (seg.mode != SegmentMode::Active) continue;
    if (seg.memory < mi.num_imported_memories || seg.memory >= mi.memories.size()) {
      return std::nullopt;
    }
    std::optional<uint64_t> start = constant_offset(seg);
    const uint64_t memory_bytes = mi.memories[seg.memory].limits.min * kPageSize;
    if (!start || *start > memory_bytes || seg.data_size > memory_bytes - *start) {
      return std::nullopt;
    }
    placed.push_back(Placement{&seg, *start});
  }
  return placed;
}

bool write_all(int fd, const uint8_t* data, size_t size, uint64_t offset) {
  while (size > 0) {
    ssize_t n = pwrite(fd, data, size, off_t(offset));
    if (n <= 0) return false;
    data += n;
    size -= size_t(n);
    offset += uint64_t(n);
  }
  return true;
}

// The image of memory `memory` from `placed`, in segment order so later segments overwrite
// earlier ones as they would when copied. Null when its data is small or a call fails.
std::unique_ptr<const MemoryImage> build_image(const ModuleInfo& mi, uint32_t memory,
                                               const std::vector<Placement>& placed) {
#ifdef __linux__
  uint64_t data_bytes = 0, end = 0;
  for (const Placement& p : placed) {
    if (p.seg->memory != memory) continue;
    data_bytes += p.seg->data_size;
    end = std::max(end, p.start + p.seg->data_size);
  }
  if (data_bytes < kMinImageDataBytes) return nullptr;
  const uint64_t page = uint64_t(sysconf(_SC_PAGESIZE));
  // Never past the memory's initial size, which is a multiple of any system page size.
  const uint64_t bytes = (end + page - 1) / page * page;
  const int fd = memfd_create("tern-memory-image", MFD_CLOEXEC);
  if (fd < 0) return nullptr;
  auto image = std::make_unique<const MemoryImage>(fd, size_t(bytes));
  if (ftruncate(fd, off_t(bytes)) != 0) return nullptr;
  for (const Placement& p : placed) {
    if (p.seg->memory != memory) continue;
    if (!write_all(fd, mi.bytes.data() + p.seg->data_start, p.seg->data_size, p.start)) {
      return nullptr;
    }
  }
  return image;
#else
  (void)mi;
  (void)memory;
  (void)placed;
  return nullptr;
#endif
}

}  // namespace

MemoryImage::~MemoryImage() {
  close(fd_);
}

bool MemoryImage::map_at(uint8_t* base) const {
  void* p = mmap(base, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd_, 0);
  return p == base;
}

const std::vector<std::unique_ptr<const MemoryImage>>& MemoryImages::of(
    const CompiledModule& module) const {
  std::call_once(built_, [&] {
    if (!module.engine->config().memory_images) return;
    const ModuleInfo& mi = module.info;
    std::optional<std::vector<Placement>> placed = place_segments(mi);
    if (!placed || placed->empty()) return;
    std::vector<std::unique_ptr<const MemoryImage>> images(mi.memories.size());
    bool any = false;
    for (uint32_t i = mi.num_imported_memories; i < mi.memories.size(); ++i) {
      images[i] = build_image(mi, i, *placed);
      any = any || images[i];
    }
    if (any) images_ = std::move(images);
  });
  return images_;
}

std::vector<bool> map_memory_images(Instance& instance) {
  const auto& images = instance.module->images.of(*instance.module);
  std::vector<bool> mapped(images.size());
  for (size_t i = 0; i < images.size(); ++i) {
    if (!images[i]) continue;
    MemoryInstance& memory = *instance.memories[i];
    // After a failed mapping the segments are copied instead, over zero pages again.
    if (!images[i]->map_at(memory.base)) {
      if (!os::replace_with_zero_pages(memory.base, images[i]->bytes())) return {};
      continue;
    }
    memory.image_bytes = images[i]->bytes();
    mapped[i] = true;
  }
  return mapped;
}

}  // namespace tern::rt
