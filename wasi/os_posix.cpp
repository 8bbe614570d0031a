#include "wasi/os_posix.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <deque>
#include <vector>

namespace tern::wasi::os {

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

// One line per errno, read as the table it is.
// clang-format off
Errno from_errno(int e) {
  switch (e) {
    case 0: return Errno::success;
    case E2BIG: return Errno::toobig;
    case EACCES: return Errno::acces;
    case EADDRINUSE: return Errno::addrinuse;
    case EADDRNOTAVAIL: return Errno::addrnotavail;
    case EAFNOSUPPORT: return Errno::afnosupport;
    case EAGAIN: return Errno::again;
    case EALREADY: return Errno::already;
    case EBADF: return Errno::badf;
    case EBADMSG: return Errno::badmsg;
    case EBUSY: return Errno::busy;
    case ECANCELED: return Errno::canceled;
    case ECHILD: return Errno::child;
    case ECONNABORTED: return Errno::connaborted;
    case ECONNREFUSED: return Errno::connrefused;
    case ECONNRESET: return Errno::connreset;
    case EDEADLK: return Errno::deadlk;
    case EDESTADDRREQ: return Errno::destaddrreq;
    case EDOM: return Errno::dom;
    case EDQUOT: return Errno::dquot;
    case EEXIST: return Errno::exist;
    case EFAULT: return Errno::fault;
    case EFBIG: return Errno::fbig;
    case EHOSTUNREACH: return Errno::hostunreach;
    case EIDRM: return Errno::idrm;
    case EILSEQ: return Errno::ilseq;
    case EINPROGRESS: return Errno::inprogress;
    case EINTR: return Errno::intr;
    case EINVAL: return Errno::inval;
    case EIO: return Errno::io;
    case EISCONN: return Errno::isconn;
    case EISDIR: return Errno::isdir;
    case ELOOP: return Errno::loop;
    case EMFILE: return Errno::mfile;
    case EMLINK: return Errno::mlink;
    case EMSGSIZE: return Errno::msgsize;
    case EMULTIHOP: return Errno::multihop;
    case ENAMETOOLONG: return Errno::nametoolong;
    case ENETDOWN: return Errno::netdown;
    case ENETRESET: return Errno::netreset;
    case ENETUNREACH: return Errno::netunreach;
    case ENFILE: return Errno::nfile;
    case ENOBUFS: return Errno::nobufs;
    case ENODEV: return Errno::nodev;
    case ENOENT: return Errno::noent;
    case ENOEXEC: return Errno::noexec;
    case ENOLCK: return Errno::nolck;
    case ENOLINK: return Errno::nolink;
    case ENOMEM: return Errno::nomem;
    case ENOMSG: return Errno::nomsg;
    case ENOPROTOOPT: return Errno::noprotoopt;
    case ENOSPC: return Errno::nospc;
    case ENOSYS: return Errno::nosys;
    case ENOTCONN: return Errno::notconn;
    case ENOTDIR: return Errno::notdir;
    case ENOTEMPTY: return Errno::notempty;
    case ENOTRECOVERABLE: return Errno::notrecoverable;
    case ENOTSOCK: return Errno::notsock;
    case ENOTSUP: return Errno::notsup;  // == EOPNOTSUPP on Linux
    case ENOTTY: return Errno::notty;
    case ENXIO: return Errno::nxio;
    case EOVERFLOW: return Errno::overflow;
    case EOWNERDEAD: return Errno::ownerdead;
    case EPERM: return Errno::perm;
    case EPIPE: return Errno::pipe;
    case EPROTO: return Errno::proto;
    case EPROTONOSUPPORT: return Errno::protonosupport;
    case EPROTOTYPE: return Errno::prototype;
    case ERANGE: return Errno::range;
    case EROFS: return Errno::rofs;
    case ESPIPE: return Errno::spipe;
    case ESRCH: return Errno::srch;
    case ESTALE: return Errno::stale;
    case ETIMEDOUT: return Errno::timedout;
    case ETXTBSY: return Errno::txtbsy;
    case EXDEV: return Errno::xdev;
    default: return Errno::io;
  }
}
// clang-format on

Filetype filetype_of(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFBLK:
      return Filetype::block_device;
    case S_IFCHR:
      return Filetype::character_device;
    case S_IFDIR:
      return Filetype::directory;
    case S_IFREG:
      return Filetype::regular_file;
    case S_IFLNK:
      return Filetype::symbolic_link;
    case S_IFSOCK:
      return Filetype::socket_stream;  // refined by the caller with SO_TYPE
    default:
      return Filetype::unknown;
  }
}

uint64_t to_ns(const struct timespec& t) {
  return uint64_t(t.tv_sec) * 1000000000ull + uint64_t(t.tv_nsec);
}

namespace {

constexpr int kMaxSymlinks = 40;  // as Linux's ELOOP limit

bool openat2_missing = false;  // set once the kernel answers ENOSYS

int open_beneath_openat2(int dir, std::string_view path, int flags, mode_t mode, bool follow_final,
                         UniqueFd& out) {
  std::string p(path);
  open_how how{};
  how.flags = uint64_t(flags | O_CLOEXEC | (follow_final ? 0 : O_NOFOLLOW));
  // openat2 rejects a mode without O_CREAT or O_TMPFILE (which includes O_DIRECTORY's bit).
  how.mode = ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (;;) {
    long fd = syscall(SYS_openat2, dir, p.c_str(), &how, sizeof how);
    if (fd >= 0) {
      out = UniqueFd(int(fd));
      return 0;
    }
    if (errno != EAGAIN && errno != EINTR) return errno;  // EAGAIN: a rename raced the lookup
  }
}

std::deque<std::string> split_components(std::string_view path) {
  std::deque<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  // "a/" must name a directory: resolve it as "a/.".
  if (!path.empty() && path.back() == '/') parts.emplace_back(".");
  return parts;
}

// The symlink at (dir, name), if it is one: 1 with its target, 0 when not a symlink, or -errno.
int read_symlink(int dir, const std::string& name, std::string& target) {
  std::vector<char> buf(256);
  for (;;) {
    ssize_t n = readlinkat(dir, name.c_str(), buf.data(), buf.size());
    if (n < 0) return errno == EINVAL ? 0 : -errno;
    if (size_t(n) < buf.size()) {
      target.assign(buf.data(), size_t(n));
      return 1;
    }
    if (buf.size() >= PATH_MAX) return -ENAMETOOLONG;
    buf.resize(buf.size() * 2);
  }
}

}  // namespace

int open_beneath_walk(int root, std::string_view path, int flags, mode_t mode, bool follow_final,
                      UniqueFd& out) {
  if (path.empty()) return ENOENT;
  if (path.front() == '/') return EXDEV;
  std::deque<std::string> parts = split_components(path);
  std::vector<UniqueFd> stack;  // directories entered below `root`; `..` pops
  auto current = [&] { return stack.empty() ? root : stack.back().get(); };
  int symlinks = 0;
  const bool exclusive = (flags & O_CREAT) && (flags & O_EXCL);
  while (!parts.empty()) {
    std::string part = std::move(parts.front());
    parts.pop_front();
    bool last = parts.empty();
    if (part == "..") {
      if (stack.empty()) return EXDEV;
      stack.pop_back();
      part = ".";
    }
    if (part == "." && !last) continue;
    bool follow = !last || (follow_final && !exclusive);
    if (follow && part != ".") {
      std::string target;
      int r = read_symlink(current(), part, target);
      if (r < 0 && !(last && r == -ENOENT)) return -r;
      if (r == 1) {
        if (++symlinks > kMaxSymlinks) return ELOOP;
        if (target.empty()) return ENOENT;
        if (target.front() == '/') return EXDEV;
        std::deque<std::string> more = split_components(target);
        if (more.empty()) more.emplace_back(".");
        parts.insert(parts.begin(), more.begin(), more.end());
        continue;
      }
    }
    if (last) {
      int fd = openat(current(), part.c_str(), flags | O_CLOEXEC | O_NOFOLLOW, mode);
      if (fd < 0) return errno;
      out = UniqueFd(fd);
      return 0;
    }
    int fd = openat(current(), part.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno;
    stack.emplace_back(fd);
  }
  // Only "." and ".." components: the result is the directory reached.
  int fd = openat(current(), ".", flags | O_CLOEXEC, mode);
  if (fd < 0) return errno;
  out = UniqueFd(fd);
  return 0;
}

int open_beneath(int dir, std::string_view path, int flags, mode_t mode, bool follow_final,
                 UniqueFd& out) {
  if (path.empty()) return ENOENT;
  if (!openat2_missing) {
    int r = open_beneath_openat2(dir, path, flags, mode, follow_final, out);
    if (r != ENOSYS) return r;
    openat2_missing = true;
  }
  return open_beneath_walk(dir, path, flags, mode, follow_final, out);
}

int resolve_parent(int dir, std::string_view path, Parent& out) {
  if (path.empty()) return ENOENT;
  if (path.find('\0') != std::string_view::npos) return EINVAL;
  size_t end = path.size();
  while (end > 1 && path[end - 1] == '/') --end;
  out.trailing_slash = end < path.size();
  std::string_view trimmed = path.substr(0, end);
  size_t slash = trimmed.rfind('/');
  std::string_view dir_part = slash == std::string_view::npos ? "." : trimmed.substr(0, slash + 1);
  std::string_view name = slash == std::string_view::npos ? trimmed : trimmed.substr(slash + 1);
  if (dir_part.empty() || name.empty()) return EXDEV;  // "/" or "/name": absolute
  if (name == "..") {
    // The name itself climbs: acceptable only if the whole path stays beneath.
    UniqueFd probe;
    if (int r = open_beneath(dir, path, O_PATH | O_DIRECTORY, 0, true, probe)) return r;
  }
  if (int r = open_beneath(dir, dir_part, O_PATH | O_DIRECTORY, 0, true, out.dir)) return r;
  out.name = std::string(name);
  return 0;
}

std::string fd_path(int fd) {
  return "/proc/self/fd/" + std::to_string(fd);
}

int depth_below(int root, int fd) {
  struct stat root_st, st;
  if (fstat(root, &root_st) != 0 || fstat(fd, &st) != 0) return -1;
  UniqueFd cur(fcntl(fd, F_DUPFD_CLOEXEC, 0));
  for (int depth = 0; cur && depth < 4096; ++depth) {
    if (st.st_dev == root_st.st_dev && st.st_ino == root_st.st_ino) return depth;
    UniqueFd up(openat(cur.get(), "..", O_PATH | O_DIRECTORY | O_CLOEXEC));
    struct stat up_st;
    if (!up || fstat(up.get(), &up_st) != 0) return -1;
    if (up_st.st_dev == st.st_dev && up_st.st_ino == st.st_ino) return -1;  // reached "/"
    cur = std::move(up);
    st = up_st;
  }
  return -1;
}

}  // namespace tern::wasi::os
