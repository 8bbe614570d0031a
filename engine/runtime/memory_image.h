// Copy-on-write memory images. A defined memory whose active data segments all have constant
// offsets gets, once per compiled module, a file holding its initial contents; instantiation
// maps that file privately over the start of the memory's reservation instead of copying the
// segments, so it costs the pages a request touches rather than the size of the data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace tern::rt {

struct CompiledModule;
struct Instance;

// Below this many bytes of data a memory's segments are copied: a copy of a few pages costs
// less than mapping a file and taking its page faults.
constexpr size_t kMinImageDataBytes = size_t(64) << 10;

// One memory's initial contents: a file of `bytes` (a multiple of the system page size) whose
// holes read as zero.
class MemoryImage {
 public:
  MemoryImage(int fd, size_t bytes) : fd_(fd), bytes_(bytes) {}
  MemoryImage(const MemoryImage&) = delete;
  MemoryImage& operator=(const MemoryImage&) = delete;
  ~MemoryImage();
  size_t bytes() const { return bytes_; }
  // Maps the image copy-on-write over [base, base+bytes()), which must be accessible.
  bool map_at(uint8_t* base) const;

 private:
  int fd_;
  size_t bytes_;
};

// The images of one compiled module, built on its first instantiation (thread-safe).
class MemoryImages {
 public:
  // Indexed by memory index: null for a memory without an image. Empty when the module has
  // none: images are off, the system has no memfd, or some active data segment has an offset
  // that is not constant, targets an imported memory or may trap, in which case the segments
  // run one by one as the spec orders them.
  const std::vector<std::unique_ptr<const MemoryImage>>& of(const CompiledModule& module) const;

 private:
  mutable std::once_flag built_;
  mutable std::vector<std::unique_ptr<const MemoryImage>> images_;
};

// Maps each image of `instance`'s module over its memory, allocated and still zero. Returns
// which memories now hold their initial contents (indexed by memory index; the data segments
// of those need not run), empty when none do.
std::vector<bool> map_memory_images(Instance& instance);

}  // namespace tern::rt
