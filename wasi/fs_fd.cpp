// fd_*: calls on an open descriptor.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "wasi/blocking.h"
#include "wasi/context.h"

namespace tern::wasi {

namespace {

constexpr uint64_t kMaxOff = uint64_t(INT64_MAX);

Errno host_result(int r) {
  return r == 0 ? Errno::success : os::from_errno(errno);
}

Errno transfer_result(ssize_t n, const GuestMemory& mem, uint32_t count_ptr) {
  if (n < 0) return os::from_errno(errno);
  return store_u32(mem, count_ptr, uint32_t(n));
}

uint16_t fdflags_of(int host_flags) {
  uint16_t f = 0;
  if (host_flags & O_APPEND) f |= fdflag::append;
  if (host_flags & O_NONBLOCK) f |= fdflag::nonblock;
  if ((host_flags & O_SYNC) == O_SYNC)
    f |= fdflag::sync | fdflag::rsync;  // Linux: O_RSYNC == O_SYNC
  else if (host_flags & O_DSYNC)
    f |= fdflag::dsync;
  return f;
}

struct DirEntryInfo {
  std::string name;
  uint64_t ino;
  Filetype type;
};

Filetype filetype_of_dirent(int dir, const struct dirent& d) {
  switch (d.d_type) {
    case DT_BLK:
      return Filetype::block_device;
    case DT_CHR:
      return Filetype::character_device;
    case DT_DIR:
      return Filetype::directory;
    case DT_REG:
      return Filetype::regular_file;
    case DT_LNK:
      return Filetype::symbolic_link;
    case DT_SOCK:
      return Filetype::socket_stream;
    case DT_UNKNOWN: {
      struct stat st;
      if (fstatat(dir, d.d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) return os::filetype_of(st.st_mode);
      return Filetype::unknown;
    }
    default:
      return Filetype::unknown;
  }
}

// The whole listing in the host's order (which includes "." and ".."); the cookie of an entry is
// its index plus one. A fresh open file description, so the guest's descriptor keeps its offset.
int list_directory(int dir, std::vector<DirEntryInfo>& out) {
  int fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  DIR* d = fdopendir(fd);
  if (!d) {
    int e = errno;
    close(fd);
    return e;
  }
  errno = 0;
  while (struct dirent* ent = readdir(d)) {
    out.push_back({ent->d_name, uint64_t(ent->d_ino), filetype_of_dirent(fd, *ent)});
  }
  int e = errno;
  closedir(d);
  return e;
}

}  // namespace

Errno times_from_flags(uint64_t atim, uint64_t mtim, uint32_t fst_flags, struct timespec out[2]) {
  if (fst_flags & ~uint32_t(fstflag::atim | fstflag::atim_now | fstflag::mtim | fstflag::mtim_now))
    return Errno::inval;
  auto one = [](uint64_t ns, bool set, bool now, struct timespec& ts) {
    if (set && now) return false;
    if (now)
      ts = {0, UTIME_NOW};
    else if (set)
      ts = {time_t(ns / 1000000000ull), long(ns % 1000000000ull)};
    else
      ts = {0, UTIME_OMIT};
    return true;
  };
  if (!one(atim, fst_flags & fstflag::atim, fst_flags & fstflag::atim_now, out[0]) ||
      !one(mtim, fst_flags & fstflag::mtim, fst_flags & fstflag::mtim_now, out[1]))
    return Errno::inval;
  return Errno::success;
}

namespace fn {

Errno fd_advise(Call& call, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, right::fd_advise, e));
  static constexpr int kAdvice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                    POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
  if (advice >= std::size(kAdvice) || offset > kMaxOff || len > kMaxOff) return Errno::inval;
  if (e->type == Filetype::directory) return Errno::success;  // advice is only a hint
  return os::from_errno(posix_fadvise(e->host.get(), off_t(offset), off_t(len), kAdvice[advice]));
}

Errno fd_allocate(Call& call, uint32_t fd, uint64_t offset, uint64_t len) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, right::fd_allocate, e));
  if (offset > kMaxOff || len > kMaxOff) return Errno::inval;
  if (offset + len > kMaxOff) return Errno::fbig;
  return os::from_errno(posix_fallocate(e->host.get(), off_t(offset), off_t(len)));
}

Errno fd_close(Call& call, uint32_t fd) {
  return call.ctx.fds.erase(fd) ? Errno::success : Errno::badf;
}

Errno fd_datasync(Call& call, uint32_t fd) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, right::fd_datasync, e));
  return host_result(fdatasync(e->host.get()));
}

Errno fd_sync(Call& call, uint32_t fd) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, right::fd_sync, e));
  return host_result(fsync(e->host.get()));
}

Errno fd_fdstat_get(Call& call, uint32_t fd, uint32_t fdstat_ptr) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, 0, e));
  uint8_t* p = call.mem.range(fdstat_ptr, layout::kFdstatSize);
  if (!p) return Errno::fault;
  int host_flags = e->stream ? 0 : fcntl(e->host.get(), F_GETFL);  // a stream has no flags
  if (host_flags < 0) return os::from_errno(errno);
  std::memset(p, 0, layout::kFdstatSize);
  p[0] = uint8_t(e->type);
  uint16_t flags = fdflags_of(host_flags) & ~fdflag::nonblock;
  if (e->guest_nonblocking) flags |= fdflag::nonblock;
  std::memcpy(p + 2, &flags, 2);
  std::memcpy(p + 8, &e->base, 8);
  std::memcpy(p + 16, &e->inheriting, 8);
  return Errno::success;
}

Errno fd_fdstat_set_flags(Call& call, uint32_t fd, uint32_t flags) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, right::fd_fdstat_set_flags, e));
  if (flags > 0x1f) return Errno::inval;
  int host_flags = fcntl(e->host.get(), F_GETFL);
  if (host_flags < 0) return os::from_errno(errno);
  // Linux cannot change the sync modes of an open file: only asking for what is there passes.
  uint16_t sync_bits = fdflag::dsync | fdflag::rsync | fdflag::sync;
  if ((flags & sync_bits) != (fdflags_of(host_flags) & sync_bits)) return Errno::notsup;
  host_flags &= ~(O_APPEND | O_NONBLOCK);
  if (flags & fdflag::append) host_flags |= O_APPEND;
  // A private description stays non-blocking; the guest's choice is kept in the entry.
  if ((flags & fdflag::nonblock) || e->wait_mode == WaitMode::nonblocking) host_flags |= O_NONBLOCK;
  if (fcntl(e->host.get(), F_SETFL, host_flags) != 0) return os::from_errno(errno);
  e->guest_nonblocking = flags & fdflag::nonblock;
  return Errno::success;
}

Errno fd_fdstat_set_rights(Call& call, uint32_t fd, uint64_t rights_base,
                           uint64_t rights_inheriting) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, 0, e));
  // Rights can only be dropped.
  if ((rights_base & ~e->base) || (rights_inheriting & ~e->inheriting)) return Errno::notcapable;
  e->base = rights_base;
  e->inheriting = rights_inheriting;
  return Errno::success;
}

Errno fd_filestat_get(Call& call, uint32_t fd, uint32_t filestat_ptr) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, right::fd_filestat_get, e));
  struct stat st;
  if (fstat(e->host.get(), &st) != 0) return os::from_errno(errno);
  return store_filestat(call, filestat_ptr, st);
}

Errno fd_filestat_set_size(Call& call, uint32_t fd, uint64_t size) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, right::fd_filestat_set_size, e));
  if (size > kMaxOff) return Errno::inval;
  return host_result(ftruncate(e->host.get(), off_t(size)));
}

Errno fd_filestat_set_times(Call& call, uint32_t fd, uint64_t atim, uint64_t mtim,
                            uint32_t fst_flags) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, right::fd_filestat_set_times, e));
  struct timespec ts[2];
  WASI_TRY(times_from_flags(atim, mtim, fst_flags, ts));
  return host_result(futimens(e->host.get(), ts));
}

Errno fd_read(Call& call, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nread_ptr) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, right::fd_read, e));
  if (!call.mem.fits(nread_ptr, 4)) return Errno::fault;
  std::vector<struct iovec> iov;
  WASI_TRY(read_iovecs(call.mem, iovs, iovs_len, iov));
  if (e->stream) {
    size_t moved;
    WASI_TRY(stream_read(*e->stream, iov, moved));
    return store_u32(call.mem, nread_ptr, uint32_t(moved));
  }
  ssize_t n = run_blocking(call, *e, POLLIN,
                           [&] { return readv(e->host.get(), iov.data(), int(iov.size())); });
  return transfer_result(n, call.mem, nread_ptr);
}

Errno fd_write(Call& call, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nwritten_ptr) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, right::fd_write, e));
  if (!call.mem.fits(nwritten_ptr, 4)) return Errno::fault;
  std::vector<struct iovec> iov;
  WASI_TRY(read_iovecs(call.mem, iovs, iovs_len, iov));
  if (e->stream) {
    size_t moved;
    WASI_TRY(stream_write(*e->stream, iov, moved));
    return store_u32(call.mem, nwritten_ptr, uint32_t(moved));
  }
  ssize_t n = run_blocking(call, *e, POLLOUT,
                           [&] { return writev(e->host.get(), iov.data(), int(iov.size())); });
  return transfer_result(n, call.mem, nwritten_ptr);
}

Errno fd_pread(Call& call, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset,
               uint32_t nread_ptr) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, right::fd_read | right::fd_seek, e));
  if (offset > kMaxOff) return Errno::inval;
  if (!call.mem.fits(nread_ptr, 4)) return Errno::fault;
  std::vector<struct iovec> iov;
  WASI_TRY(read_iovecs(call.mem, iovs, iovs_len, iov));
  ssize_t n = run_blocking(call, *e, POLLIN, [&] {
    return preadv(e->host.get(), iov.data(), int(iov.size()), off_t(offset));
  });
  return transfer_result(n, call.mem, nread_ptr);
}

Errno fd_pwrite(Call& call, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset,
                uint32_t nwritten_ptr) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, right::fd_write | right::fd_seek, e));
  if (offset > kMaxOff) return Errno::inval;
  if (!call.mem.fits(nwritten_ptr, 4)) return Errno::fault;
  std::vector<struct iovec> iov;
  WASI_TRY(read_iovecs(call.mem, iovs, iovs_len, iov));
  ssize_t n = run_blocking(call, *e, POLLOUT, [&] {
    return pwritev(e->host.get(), iov.data(), int(iov.size()), off_t(offset));
  });
  return transfer_result(n, call.mem, nwritten_ptr);
}

Errno fd_prestat_get(Call& call, uint32_t fd, uint32_t prestat_ptr) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, 0, e));
  if (!e->preopen_name) return Errno::badf;
  uint8_t bytes[layout::kPrestatSize] = {kPreopenTypeDir};
  uint32_t len = uint32_t(e->preopen_name->size());
  std::memcpy(bytes + 4, &len, 4);
  return call.mem.write_bytes(prestat_ptr, bytes, sizeof bytes) ? Errno::success : Errno::fault;
}

Errno fd_prestat_dir_name(Call& call, uint32_t fd, uint32_t path, uint32_t path_len) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, 0, e));
  if (!e->preopen_name) return Errno::badf;
  const std::string& name = *e->preopen_name;
  if (!call.mem.fits(path, path_len)) return Errno::fault;
  if (path_len < name.size()) return Errno::nametoolong;
  return call.mem.write_bytes(path, name.data(), name.size()) ? Errno::success : Errno::fault;
}

Errno fd_readdir(Call& call, uint32_t fd, uint32_t buf, uint32_t buf_len, uint64_t cookie,
                 uint32_t bufused_ptr) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, right::fd_readdir, e));
  if (e->type != Filetype::directory) return Errno::notdir;
  uint8_t* out = call.mem.range(buf, buf_len);
  if (!out || !call.mem.fits(bufused_ptr, 4)) return Errno::fault;
  std::vector<DirEntryInfo> entries;
  if (int err = list_directory(e->host.get(), entries)) return os::from_errno(err);
  uint32_t used = 0;
  for (uint64_t i = cookie; i < entries.size() && used < buf_len; ++i) {
    const DirEntryInfo& d = entries[i];
    uint8_t header[layout::kDirentSize] = {};
    uint64_t next = i + 1;
    uint32_t namlen = uint32_t(d.name.size());
    std::memcpy(header + 0, &next, 8);
    std::memcpy(header + 8, &d.ino, 8);
    std::memcpy(header + 16, &namlen, 4);
    header[20] = uint8_t(d.type);
    // A full buffer ends the listing; the guest sees a partly written entry and retries
    // from its cookie with a bigger buffer.
    uint32_t n = std::min<uint32_t>(sizeof header, buf_len - used);
    std::memcpy(out + used, header, n);
    used += n;
    n = std::min<uint32_t>(namlen, buf_len - used);
    std::memcpy(out + used, d.name.data(), n);
    used += n;
  }
  return store_u32(call.mem, bufused_ptr, used);
}

Errno fd_renumber(Call& call, uint32_t fd, uint32_t to) {
  // Both must be open (as wasmtime: renumbering onto a free number is badf).
  auto from_it = call.ctx.fds.find(fd);
  auto to_it = call.ctx.fds.find(to);
  if (from_it == call.ctx.fds.end() || to_it == call.ctx.fds.end()) return Errno::badf;
  if (fd == to) return Errno::success;
  to_it->second = std::move(from_it->second);
  call.ctx.fds.erase(from_it);
  return Errno::success;
}

Errno fd_seek(Call& call, uint32_t fd, int64_t offset, uint32_t whence, uint32_t newoffset_ptr) {
  // preview1 numbers whence set, cur, end; wasi_unstable cur, end, set.
  static constexpr int kPreview1[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  static constexpr int kUnstable[] = {SEEK_CUR, SEEK_END, SEEK_SET};
  if (whence > 2) return Errno::inval;
  int host_whence = (call.abi == Abi::Preview1 ? kPreview1 : kUnstable)[whence];
  // Asking for the position without moving needs only fd_tell.
  bool tell_only = offset == 0 && host_whence == SEEK_CUR;
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, tell_only ? right::fd_tell : right::fd_seek, e));
  if (!call.mem.fits(newoffset_ptr, 8)) return Errno::fault;
  off_t pos = lseek(e->host.get(), off_t(offset), host_whence);
  if (pos < 0) return os::from_errno(errno);
  return store_u64(call.mem, newoffset_ptr, uint64_t(pos));
}

Errno fd_tell(Call& call, uint32_t fd, uint32_t offset_ptr) {
  FdEntry* e;
  WASI_TRY(call.ctx.get(fd, right::fd_tell, e));
  if (!call.mem.fits(offset_ptr, 8)) return Errno::fault;
  off_t pos = lseek(e->host.get(), 0, SEEK_CUR);
  if (pos < 0) return os::from_errno(errno);
  return store_u64(call.mem, offset_ptr, uint64_t(pos));
}

}  // namespace fn
}  // namespace tern::wasi
