// path_*: calls naming a file by a path relative to a directory descriptor. Every path is
// resolved beneath that directory (os::open_beneath / os::resolve_parent); leaving it is
// `notcapable`.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>

#include "wasi/blocking.h"
#include "wasi/context.h"

namespace tern::wasi {

namespace {

Errno resolve_errno(int host_errno) {
  return host_errno == EXDEV ? Errno::notcapable : os::from_errno(host_errno);
}

Errno host_result(int r) {
  return r == 0 ? Errno::success : os::from_errno(errno);
}

Errno get_dir(Call& call, uint32_t fd, Rights needed, FdEntry*& dir) {
  WASI_TRY(call.ctx.get(fd, needed, dir));
  return dir->type == Filetype::directory ? Errno::success : Errno::notdir;
}

// A directory descriptor with `needed` rights and the parent of `path` beneath it.
Errno parent_of(Call& call, uint32_t fd, Rights needed, uint32_t path, uint32_t path_len,
                os::Parent& parent, FdEntry** dir_out = nullptr) {
  FdEntry* dir;
  WASI_TRY(get_dir(call, fd, needed, dir));
  std::string p;
  WASI_TRY(read_path(call.mem, path, path_len, p));
  if (int r = os::resolve_parent(dir->host.get(), p, parent)) return resolve_errno(r);
  if (dir_out) *dir_out = dir;
  return Errno::success;
}

// `path` itself opened O_PATH beneath the directory, following a final symlink if asked.
Errno open_path(Call& call, uint32_t fd, Rights needed, uint32_t path, uint32_t path_len,
                bool follow, os::UniqueFd& out) {
  FdEntry* dir;
  WASI_TRY(get_dir(call, fd, needed, dir));
  std::string p;
  WASI_TRY(read_path(call.mem, path, path_len, p));
  if (int r = os::open_beneath(dir->host.get(), p, O_PATH, 0, follow, out)) return resolve_errno(r);
  return Errno::success;
}

// How often path_open retries a FIFO that has no reader yet.
constexpr uint64_t kFifoRetryNs = 10'000'000;

// Whether `path` beneath the directory names a FIFO.
bool is_fifo(const FdEntry& dir, const std::string& path, bool follow) {
  os::UniqueFd fd;
  struct stat st;
  return os::open_beneath(dir.host.get(), path, O_PATH, 0, follow, fd) == 0 &&
         fstat(fd.get(), &st) == 0 && S_ISFIFO(st.st_mode);
}

// "name/" names a directory: a non-directory there is `notdir`.
Errno check_trailing_slash(const os::Parent& p) {
  if (!p.trailing_slash) return Errno::success;
  struct stat st;
  if (fstatat(p.dir.get(), p.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return os::from_errno(errno);
  return S_ISDIR(st.st_mode) ? Errno::success : Errno::notdir;
}

// A symlink's target may not climb above the preopen its link lives in (absolute targets
// never resolve inside).
Errno check_symlink_target(const FdEntry& dir, const os::Parent& link, std::string_view target) {
  if (target.empty()) return Errno::noent;
  if (target.front() == '/') return Errno::notcapable;
  if (!dir.root) return Errno::notcapable;
  int depth = os::depth_below(dir.root->get(), link.dir.get());
  if (depth < 0) return Errno::notcapable;
  size_t i = 0;
  while (i < target.size()) {
    size_t j = target.find('/', i);
    if (j == std::string_view::npos) j = target.size();
    std::string_view part = target.substr(i, j - i);
    if (part == "..") {
      if (--depth < 0) return Errno::notcapable;
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    i = j + 1;
  }
  return Errno::success;
}

}  // namespace

namespace fn {

Errno path_create_directory(Call& call, uint32_t fd, uint32_t path, uint32_t path_len) {
  os::Parent p;
  WASI_TRY(parent_of(call, fd, right::path_create_directory, path, path_len, p));
  return host_result(mkdirat(p.dir.get(), p.name.c_str(), 0777));
}

Errno path_filestat_get(Call& call, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len,
                        uint32_t filestat_ptr) {
  os::UniqueFd target;
  WASI_TRY(open_path(call, fd, right::path_filestat_get, path, path_len,
                     flags & lookupflag::symlink_follow, target));
  struct stat st;
  if (fstat(target.get(), &st) != 0) return os::from_errno(errno);
  return store_filestat(call, filestat_ptr, st);
}

Errno path_filestat_set_times(Call& call, uint32_t fd, uint32_t flags, uint32_t path,
                              uint32_t path_len, uint64_t atim, uint64_t mtim, uint32_t fst_flags) {
  struct timespec ts[2];
  WASI_TRY(times_from_flags(atim, mtim, fst_flags, ts));
  if (flags & lookupflag::symlink_follow) {
    // Resolved (and confined) first; the kernel then reaches the file through its descriptor.
    os::UniqueFd target;
    WASI_TRY(open_path(call, fd, right::path_filestat_set_times, path, path_len, true, target));
    return host_result(utimensat(AT_FDCWD, os::fd_path(target.get()).c_str(), ts, 0));
  }
  os::Parent p;
  WASI_TRY(parent_of(call, fd, right::path_filestat_set_times, path, path_len, p));
  return host_result(utimensat(p.dir.get(), p.name.c_str(), ts, AT_SYMLINK_NOFOLLOW));
}

Errno path_link(Call& call, uint32_t old_fd, uint32_t old_flags, uint32_t old_path,
                uint32_t old_path_len, uint32_t new_fd, uint32_t new_path, uint32_t new_path_len) {
  os::Parent to;
  WASI_TRY(parent_of(call, new_fd, right::path_link_target, new_path, new_path_len, to));
  if (to.trailing_slash) return Errno::noent;
  if (old_flags & lookupflag::symlink_follow) {
    os::UniqueFd source;
    WASI_TRY(
        open_path(call, old_fd, right::path_link_source, old_path, old_path_len, true, source));
    return host_result(linkat(AT_FDCWD, os::fd_path(source.get()).c_str(), to.dir.get(),
                              to.name.c_str(), AT_SYMLINK_FOLLOW));
  }
  os::Parent from;
  WASI_TRY(parent_of(call, old_fd, right::path_link_source, old_path, old_path_len, from));
  WASI_TRY(check_trailing_slash(from));
  return host_result(linkat(from.dir.get(), from.name.c_str(), to.dir.get(), to.name.c_str(), 0));
}

Errno path_open(Call& call, uint32_t fd, uint32_t dirflags, uint32_t path, uint32_t path_len,
                uint32_t oflags, uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags,
                uint32_t opened_fd_ptr) {
  if (oflags & ~uint32_t(oflag::creat | oflag::directory | oflag::excl | oflag::trunc))
    return Errno::inval;
  if (fdflags > 0x1f) return Errno::inval;
  Rights needed = right::path_open;
  if (oflags & oflag::creat) needed |= right::path_create_file;
  if (oflags & oflag::trunc) needed |= right::path_filestat_set_size;
  FdEntry* dir;
  WASI_TRY(get_dir(call, fd, needed, dir));
  // A descriptor cannot gain rights its directory would not pass on.
  if ((rights_base & ~dir->inheriting) || (rights_inheriting & ~dir->inheriting))
    return Errno::notcapable;
  std::string p;
  WASI_TRY(read_path(call.mem, path, path_len, p));
  if (!call.mem.fits(opened_fd_ptr, 4)) return Errno::fault;

  const Rights write_rights = right::fd_write | right::fd_allocate | right::fd_filestat_set_size;
  bool write =
      (rights_base & write_rights) || (fdflags & fdflag::append) || (oflags & oflag::trunc);
  bool read = rights_base & (right::fd_read | right::fd_readdir);
  int flags = O_RDONLY;
  if (oflags & oflag::directory)
    flags = O_RDONLY | O_DIRECTORY;
  else if (write)
    flags = read ? O_RDWR : O_WRONLY;
  if (oflags & oflag::creat) flags |= O_CREAT;
  if (oflags & oflag::excl) flags |= O_EXCL;
  if (oflags & oflag::trunc) flags |= O_TRUNC;
  if (fdflags & fdflag::append) flags |= O_APPEND;
  if (fdflags & fdflag::nonblock) flags |= O_NONBLOCK;
  if (fdflags & fdflag::dsync) flags |= O_DSYNC;
  if (fdflags & (fdflag::sync | fdflag::rsync)) flags |= O_SYNC;

  // open(2) of a FIFO blocks until the other end opens: open non-blocking and wait here, where
  // an interruption ends the wait. The description stays non-blocking (prepare_waits).
  const bool guest_blocking = !(fdflags & fdflag::nonblock) && !(oflags & oflag::directory);
  if (guest_blocking) flags |= O_NONBLOCK;
  const bool follow = dirflags & lookupflag::symlink_follow;
  FdEntry entry;
  for (;;) {
    int r = os::open_beneath(dir->host.get(), p, flags, 0666, follow, entry.host);
    if (r == 0) break;
    // A FIFO opened write-only without a reader: poll(2) cannot wait for one, so retry.
    if (r != ENXIO || !guest_blocking || (flags & O_ACCMODE) != O_WRONLY ||
        !is_fifo(*dir, p, follow))
      return resolve_errno(r);
    if (!wait_for(call, -1, 0, kFifoRetryNs)) return Errno::intr;
  }
  struct stat st;
  if (fstat(entry.host.get(), &st) != 0) return os::from_errno(errno);
  // A FIFO opened for reading: wait for a writer's data or its close (Linux reports no hang-up
  // until a writer has come).
  if (guest_blocking && S_ISFIFO(st.st_mode) && (flags & O_ACCMODE) == O_RDONLY &&
      !wait_for(call, entry.host.get(), POLLIN))
    return Errno::intr;
  entry.type = filetype_of_fd(entry.host.get(), st);
  prepare_waits(entry, true);
  entry.guest_nonblocking = fdflags & fdflag::nonblock;
  if (entry.type == Filetype::directory) {
    // A directory cannot be written: asking for fd_write on one is `isdir` (the kernel says so
    // for O_RDWR; O_DIRECTORY opens read-only, so check here), as wasi-testsuite expects.
    if (rights_base & right::fd_write) return Errno::isdir;
    entry.base = rights_base & right::kDir;
    entry.inheriting = rights_inheriting;
    entry.root = dir->root;
  } else {
    entry.base = rights_base & right::kFile;
  }
  uint32_t guest_fd;
  if (!call.ctx.insert(std::move(entry), guest_fd)) return Errno::mfile;
  return store_u32(call.mem, opened_fd_ptr, guest_fd);
}

Errno path_readlink(Call& call, uint32_t fd, uint32_t path, uint32_t path_len, uint32_t buf,
                    uint32_t buf_len, uint32_t bufused_ptr) {
  os::Parent p;
  WASI_TRY(parent_of(call, fd, right::path_readlink, path, path_len, p));
  uint8_t* out = call.mem.range(buf, buf_len);
  if (!out || !call.mem.fits(bufused_ptr, 4)) return Errno::fault;
  char target[PATH_MAX];
  ssize_t n = readlinkat(p.dir.get(), p.name.c_str(), target, sizeof target);
  if (n < 0) return os::from_errno(errno);
  uint32_t copied = uint32_t(std::min<uint64_t>(uint64_t(n), buf_len));  // truncates to fit
  std::memcpy(out, target, copied);
  return store_u32(call.mem, bufused_ptr, copied);
}

Errno path_remove_directory(Call& call, uint32_t fd, uint32_t path, uint32_t path_len) {
  os::Parent p;
  WASI_TRY(parent_of(call, fd, right::path_remove_directory, path, path_len, p));
  return host_result(unlinkat(p.dir.get(), p.name.c_str(), AT_REMOVEDIR));
}

Errno path_rename(Call& call, uint32_t fd, uint32_t old_path, uint32_t old_path_len,
                  uint32_t new_fd, uint32_t new_path, uint32_t new_path_len) {
  os::Parent from, to;
  WASI_TRY(parent_of(call, fd, right::path_rename_source, old_path, old_path_len, from));
  WASI_TRY(parent_of(call, new_fd, right::path_rename_target, new_path, new_path_len, to));
  WASI_TRY(check_trailing_slash(from));
  if (to.trailing_slash) {
    struct stat st;
    if (fstatat(from.dir.get(), from.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        !S_ISDIR(st.st_mode))
      return Errno::notdir;
  }
  return host_result(renameat(from.dir.get(), from.name.c_str(), to.dir.get(), to.name.c_str()));
}

Errno path_symlink(Call& call, uint32_t old_path, uint32_t old_path_len, uint32_t fd,
                   uint32_t new_path, uint32_t new_path_len) {
  std::string target;
  WASI_TRY(read_path(call.mem, old_path, old_path_len, target));
  os::Parent link;
  FdEntry* dir;
  WASI_TRY(parent_of(call, fd, right::path_symlink, new_path, new_path_len, link, &dir));
  if (link.trailing_slash) return Errno::noent;
  WASI_TRY(check_symlink_target(*dir, link, target));
  return host_result(symlinkat(target.c_str(), link.dir.get(), link.name.c_str()));
}

Errno path_unlink_file(Call& call, uint32_t fd, uint32_t path, uint32_t path_len) {
  os::Parent p;
  WASI_TRY(parent_of(call, fd, right::path_unlink_file, path, path_len, p));
  if (p.trailing_slash) {
    struct stat st;
    if (fstatat(p.dir.get(), p.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      return os::from_errno(errno);
    return S_ISDIR(st.st_mode) ? Errno::isdir : Errno::notdir;
  }
  return host_result(unlinkat(p.dir.get(), p.name.c_str(), 0));
}

}  // namespace fn
}  // namespace tern::wasi
