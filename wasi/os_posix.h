// The host-side helpers the WASI functions share: an owned descriptor, host errno → WASI errno,
// stat → filestat fields, and path resolution that never leaves a directory (openat2
// RESOLVE_BENEATH, or a component walk where the kernel lacks it). Not the whole POSIX layer:
// each WASI function makes its own single POSIX calls in its file (fs_fd.cpp, fs_path.cpp,
// clocks_poll.cpp, sockets.cpp, fd_table.cpp); what is more than one call lives here.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "wasi/abi.h"

namespace tern::wasi::os {

// An owned host descriptor.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

Errno from_errno(int host_errno);
Filetype filetype_of(mode_t mode);
uint64_t to_ns(const struct timespec& t);

// Opens `path` relative to `dir` with open(2) `flags` (O_CLOEXEC is added), refusing any path
// that leaves `dir`: `..` above it, absolute paths, symlinks (absolute or climbing out) and
// /proc-style magic links. `follow_final` says whether a symlink in the last component is
// followed. Returns 0 or a host errno; EXDEV means "escapes the directory".
int open_beneath(int dir, std::string_view path, int flags, mode_t mode, bool follow_final,
                 UniqueFd& out);
// The same, always with the component walk (the fallback for kernels without openat2); public
// so tests can exercise both.
int open_beneath_walk(int dir, std::string_view path, int flags, mode_t mode, bool follow_final,
                      UniqueFd& out);

// The directory holding the last component of `path` (opened O_PATH beneath `dir`) and that
// component's name, for the *at(2) calls. A path ending in '/' sets `trailing_slash`.
struct Parent {
  UniqueFd dir;
  std::string name;
  bool trailing_slash = false;
};
int resolve_parent(int dir, std::string_view path, Parent& out);

// A path through which the kernel reaches an open descriptor (for calls with no fd variant).
std::string fd_path(int fd);

// How many directories `fd` lies below `root` (both open directories), or -1 when it is not
// below it.
int depth_below(int root, int fd);

}  // namespace tern::wasi::os
