// The embedder's stdio streams: the Stream defaults, the memory and callback streams, and how
// fd_read / fd_write reach a stream.
#include <errno.h>

#include <algorithm>
#include <cstring>

#include "wasi/context.h"

namespace tern::wasi {

IoResult Stream::read(std::span<uint8_t>) {
  return {0, EBADF};
}

IoResult Stream::write(std::span<const uint8_t>) {
  return {0, EBADF};
}

IoResult MemoryInput::read(std::span<uint8_t> buffer) {
  size_t n = std::min(buffer.size(), data_.size() - offset_);
  std::memcpy(buffer.data(), data_.data() + offset_, n);
  offset_ += n;
  return {n, 0};
}

IoResult MemoryOutput::write(std::span<const uint8_t> data) {
  std::lock_guard lock(mutex_);
  if (data.size() > limit_ - data_.size()) return {0, EFBIG};
  data_.append(reinterpret_cast<const char*>(data.data()), data.size());
  return {data.size(), 0};
}

std::string MemoryOutput::contents() const {
  std::lock_guard lock(mutex_);
  return data_;
}

IoResult CallbackOutput::write(std::span<const uint8_t> data) {
  sink_(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
  return {data.size(), 0};
}

namespace {

template <class Transfer>
Errno each_buffer(const std::vector<struct iovec>& iov, size_t& moved, Transfer transfer) {
  moved = 0;
  for (const struct iovec& v : iov) {
    IoResult r = transfer(static_cast<uint8_t*>(v.iov_base), v.iov_len);
    // An error after some bytes moved is reported by the next call, as readv/writev do.
    if (r.error) return moved ? Errno::success : os::from_errno(r.error);
    moved += r.bytes;
    if (r.bytes < v.iov_len) break;
  }
  return Errno::success;
}

}  // namespace

Errno stream_read(Stream& stream, const std::vector<struct iovec>& iov, size_t& moved) {
  return each_buffer(iov, moved,
                     [&](uint8_t* p, size_t n) { return stream.read(std::span(p, n)); });
}

Errno stream_write(Stream& stream, const std::vector<struct iovec>& iov, size_t& moved) {
  return each_buffer(iov, moved, [&](uint8_t* p, size_t n) {
    return stream.write(std::span<const uint8_t>(p, n));
  });
}

}  // namespace tern::wasi
